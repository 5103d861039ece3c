package io.jenkins.plugins.rdssync.core.aws;

import io.jenkins.plugins.rdssync.core.spec.InvalidSpecException;
import io.jenkins.plugins.rdssync.core.spec.SpecValidator;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Builds the {@link RdsClient} for a spec: region, endpoint override, the caller's credentials or the SDK default
 * chain, an optional role to assume, and the SDK's standard retry strategy (throttling and 5xx retried with
 * backoff) with more attempts than the default, because a nightly job would rather wait than fail.
 */
public final class AwsAccess {
    /** Attempts per call, first included; the SDK backs off exponentially with jitter between them. */
    static final int MAX_ATTEMPTS = 8;

    private AwsAccess() {
    }

    public static RdsClient rdsClient(SyncSpec spec) {
        return rdsClient(spec, null);
    }

    /**
     * @param retryDelay base delay of the backoff between attempts (null: the SDK's standard); the emulator's time
     *        runs faster than AWS's, and so may the retries against it
     */
    public static RdsClient rdsClient(SyncSpec spec, Duration retryDelay) {
        return rdsClient(spec, retryDelay, null);
    }

    /**
     * The target side's RDS client.
     *
     * @param stsEndpoint where to assume {@code roleArn} (null: the SDK's STS endpoint)
     */
    public static RdsClient rdsClient(SyncSpec spec, Duration retryDelay, URI stsEndpoint) {
        Region region = region(spec, DefaultAwsRegionProviderChain.builder().build());
        return rdsClient(region, spec.endpointUrl().map(URI::create).orElse(null),
                credentials(spec, region, stsEndpoint), retryDelay);
    }

    /** An RDS client for one side: region, endpoint override (or null), credentials, the standard retries. */
    public static RdsClient rdsClient(Region region, URI endpoint, AwsCredentialsProvider credentials,
            Duration retryDelay) {
        var builder = RdsClient.builder()
                .httpClientBuilder(ApacheHttpClient.builder())
                .region(region)
                .credentialsProvider(credentials)
                .overrideConfiguration(overrides(retryDelay));
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }

    /** An STS client (GetCallerIdentity, AssumeRole) with the given credentials. */
    public static StsClient stsClient(Region region, URI endpoint, AwsCredentialsProvider credentials) {
        var builder = StsClient.builder().httpClientBuilder(ApacheHttpClient.builder()).credentialsProvider(credentials)
                .overrideConfiguration(overrides()).region(region);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }

    /** A KMS client (DescribeKey) with the given credentials. */
    public static KmsClient kmsClient(Region region, URI endpoint, AwsCredentialsProvider credentials) {
        var builder = KmsClient.builder().httpClientBuilder(ApacheHttpClient.builder()).credentialsProvider(credentials)
                .overrideConfiguration(overrides()).region(region);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }

    /** The source side's region: {@code sourceRegion}, else the target's. */
    public static Region sourceRegion(SyncSpec spec, Region targetRegion) {
        return spec.sourceRegion().map(Region::of).orElse(targetRegion);
    }

    /**
     * The source side's RDS endpoint override: {@code sourceEndpointUrl}; else, in the target's region, the target's
     * {@code endpointUrl} (an RDS endpoint serves every account of its region); else none (AWS's regional endpoint).
     */
    public static URI sourceRdsEndpoint(SyncSpec spec, Region targetRegion) {
        if (spec.sourceEndpointUrl().isPresent()) {
            return URI.create(spec.sourceEndpointUrl().get());
        }
        boolean sameRegion = sourceRegion(spec, targetRegion).equals(targetRegion);
        return sameRegion ? spec.endpointUrl().map(URI::create).orElse(null) : null;
    }

    /**
     * The source side's credentials: its own keys or profile if given, else the step's own (the target side's before
     * its {@code roleArn}); then {@code sourceRoleArn}, assumed with those and renewed while the sync runs.
     */
    public static AwsCredentialsProvider sourceCredentials(SyncSpec spec, Region region, URI stsEndpoint) {
        AwsCredentialsProvider base;
        if (spec.sourceAccessKeyId().isPresent() && spec.sourceSecretAccessKey().isPresent()) {
            base = staticKeys(spec.sourceAccessKeyId().get(), spec.sourceSecretAccessKey().get(),
                    spec.sourceSessionToken().orElse(null));
        } else if (spec.sourceProfile().isPresent()) {
            base = ProfileCredentialsProvider.create(spec.sourceProfile().get());
        } else {
            base = baseCredentials(spec);
        }
        if (spec.sourceRoleArn().isEmpty()) {
            return base;
        }
        return assumeRole(base, region, stsEndpoint, spec.sourceRoleArn().get(), spec.roleSessionName(),
                spec.sourceExternalId().orElse(null));
    }

    /**
     * The spec's region, else the one the SDK finds on this machine ({@code aws.region}, {@code AWS_REGION}, the
     * profile, EC2 instance metadata), checked like a given one. Resolved here, before any client exists, so that a
     * missing or malformed region is a configuration problem naming {@code region}, not an SDK stack trace.
     *
     * @throws InvalidSpecException naming the field {@code region} and how to set it
     */
    public static Region region(SyncSpec spec, AwsRegionProvider chain) {
        if (spec.region().isPresent()) {
            return Region.of(spec.region().get()); // checked when the spec was built
        }
        String found;
        try {
            found = chain.getRegion().id();
        } catch (RuntimeException e) {
            throw new InvalidSpecException("region", "no AWS region was given and none is set on this machine"
                    + " (AWS_REGION, the region of the AWS profile in ~/.aws/config, EC2 instance metadata); set"
                    + " region to the region of the source instance, for example eu-west-1");
        }
        String problem = SpecValidator.regionProblem(found, spec.endpointUrl().isPresent());
        if (problem != null) {
            throw new InvalidSpecException("region", problem + " (no region was given: this one is set on this"
                    + " machine, by AWS_REGION or the AWS profile); set region, or correct AWS_REGION");
        }
        return Region.of(found);
    }

    static ClientOverrideConfiguration overrides() {
        return overrides(null);
    }

    static ClientOverrideConfiguration overrides(Duration retryDelay) {
        var retry = AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(MAX_ATTEMPTS);
        if (retryDelay != null) {
            BackoffStrategy backoff = BackoffStrategy.exponentialDelay(retryDelay, retryDelay.multipliedBy(200));
            retry.backoffStrategy(backoff).throttlingBackoffStrategy(backoff);
        }
        return ClientOverrideConfiguration.builder().retryStrategy(retry.build()).build();
    }

    static AwsCredentialsProvider credentials(SyncSpec spec, Region region) {
        return credentials(spec, region, null);
    }

    /** The target side's credentials: the step's own, then {@code roleArn} assumed with them. */
    public static AwsCredentialsProvider credentials(SyncSpec spec, Region region, URI stsEndpoint) {
        AwsCredentialsProvider base = baseCredentials(spec);
        if (spec.roleArn().isEmpty()) {
            return base;
        }
        return assumeRole(base, region, stsEndpoint, spec.roleArn().get(), spec.roleSessionName(),
                spec.externalId().orElse(null));
    }

    /** The SDK's provider that assumes a role with {@code base} and renews the session before it expires. */
    private static AwsCredentialsProvider assumeRole(AwsCredentialsProvider base, Region region, URI stsEndpoint,
            String roleArn, String sessionName, String externalId) {
        return StsAssumeRoleCredentialsProvider.builder()
                .stsClient(stsClient(region, stsEndpoint, base))
                .refreshRequest(r -> {
                    r.roleArn(roleArn).roleSessionName(sessionName);
                    if (externalId != null) {
                        r.externalId(externalId);
                    }
                })
                .build();
    }

    private static AwsCredentialsProvider baseCredentials(SyncSpec spec) {
        if (spec.accessKeyId().isEmpty() || spec.secretAccessKey().isEmpty()) {
            return DefaultCredentialsProvider.builder().build();
        }
        return staticKeys(spec.accessKeyId().get(), spec.secretAccessKey().get(), spec.sessionToken().orElse(null));
    }

    private static AwsCredentialsProvider staticKeys(String keyId, io.jenkins.plugins.rdssync.core.spec.Secret secretKey,
            io.jenkins.plugins.rdssync.core.spec.Secret token) {
        String secret = secretKey.reveal();
        return StaticCredentialsProvider.create(token == null ? AwsBasicCredentials.create(keyId, secret)
                : AwsSessionCredentials.create(keyId, secret, token.reveal()));
    }
}
