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
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.api.BackoffStrategy;
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
        Region region = region(spec, DefaultAwsRegionProviderChain.builder().build());
        var builder = RdsClient.builder()
                .httpClientBuilder(ApacheHttpClient.builder())
                .region(region)
                .credentialsProvider(credentials(spec, region))
                .overrideConfiguration(overrides(retryDelay));
        spec.endpointUrl().ifPresent(u -> builder.endpointOverride(URI.create(u)));
        return builder.build();
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
        AwsCredentialsProvider base = baseCredentials(spec);
        if (spec.roleArn().isEmpty()) {
            return base;
        }
        StsClient stsClient = StsClient.builder().httpClientBuilder(ApacheHttpClient.builder()).credentialsProvider(base)
                .overrideConfiguration(overrides()).region(region).build();
        return StsAssumeRoleCredentialsProvider.builder()
                .stsClient(stsClient)
                .refreshRequest(r -> {
                    r.roleArn(spec.roleArn().get()).roleSessionName(spec.roleSessionName());
                    spec.externalId().ifPresent(r::externalId);
                })
                .build();
    }

    private static AwsCredentialsProvider baseCredentials(SyncSpec spec) {
        if (spec.accessKeyId().isEmpty() || spec.secretAccessKey().isEmpty()) {
            return DefaultCredentialsProvider.builder().build();
        }
        String keyId = spec.accessKeyId().get();
        String secret = spec.secretAccessKey().get().reveal();
        return StaticCredentialsProvider.create(spec.sessionToken()
                .<software.amazon.awssdk.auth.credentials.AwsCredentials>map(
                        t -> AwsSessionCredentials.create(keyId, secret, t.reveal()))
                .orElseGet(() -> AwsBasicCredentials.create(keyId, secret)));
    }
}
