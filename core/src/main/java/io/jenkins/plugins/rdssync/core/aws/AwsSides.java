package io.jenkins.plugins.rdssync.core.aws;

import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.net.URI;
import java.time.Duration;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The two sides of a sync and their AWS access. The <em>target side</em> (the step's credentials, then
 * {@code roleArn}) does everything in acceptance's account; the <em>source side</em> (its own keys or profile, then
 * {@code sourceRoleArn}, in {@code sourceRegion}) only snapshots the source, shares the snapshot with the target's
 * account and later takes the share back and deletes old snapshots. Without a source side both are the same gateway,
 * as before. Each side also answers who it is (STS GetCallerIdentity, once) and describes KMS keys.
 */
public final class AwsSides implements AutoCloseable {
    /** The shipped policies, for "which line is missing" in AccessDenied messages (docs/iam/). */
    static final String SOURCE_POLICY = "docs/iam/cross-account-source.json";
    static final String TARGET_POLICY = "docs/iam/cross-account-target.json";

    private final RdsGateway target;
    private final RdsGateway source;
    private final Side targetSide;
    private final Side sourceSide;
    private String targetAccount;
    private String sourceAccount;

    /** How one side reaches AWS: for STS and KMS calls beside its RDS gateway. */
    private record Side(Region region, URI stsKmsEndpoint, AwsCredentialsProvider credentials,
            Function<String, String> policyLines, String roleField) {
    }

    private AwsSides(RdsGateway target, RdsGateway source, Side targetSide, Side sourceSide) {
        this.target = target;
        this.source = source;
        this.targetSide = targetSide;
        this.sourceSide = sourceSide;
    }

    /** One gateway for everything, without STS or KMS (tests that script RDS answers). */
    public static AwsSides single(RdsGateway rds) {
        return new AwsSides(rds, rds, null, null);
    }

    /**
     * The clients for a spec.
     *
     * @param stsAndKmsAtEndpointUrl STS and KMS calls go to {@code endpointUrl} too (the test kit's emulator)
     */
    public static AwsSides open(SyncSpec spec, Duration retryDelay, boolean stsAndKmsAtEndpointUrl) {
        Region region = AwsAccess.region(spec, DefaultAwsRegionProviderChain.builder().build());
        URI serviceEndpoint = stsAndKmsAtEndpointUrl ? spec.endpointUrl().map(URI::create).orElse(null) : null;
        boolean twoSides = spec.hasSourceSide();
        Function<String, String> targetLines = twoSides ? AwsSides::targetPolicyLine
                : ShippedPolicies.oneAccountLines(spec);
        AwsCredentialsProvider targetCredentials = AwsAccess.credentials(spec, region, serviceEndpoint);
        RdsGateway target = new RdsGateway(AwsAccess.rdsClient(region, spec.endpointUrl().map(URI::create)
                .orElse(null), targetCredentials, retryDelay), spec.dryRun(), targetLines, "roleArn");
        Side targetSide = new Side(region, serviceEndpoint, targetCredentials, targetLines, "roleArn");
        if (!twoSides) {
            return new AwsSides(target, target, targetSide, targetSide);
        }
        Region sourceRegion = AwsAccess.sourceRegion(spec, region);
        AwsCredentialsProvider sourceCredentials = AwsAccess.sourceCredentials(spec, sourceRegion, serviceEndpoint);
        RdsGateway source = new RdsGateway(AwsAccess.rdsClient(sourceRegion, AwsAccess.sourceRdsEndpoint(spec, region),
                sourceCredentials, retryDelay), spec.dryRun(), AwsSides::sourcePolicyLine, "sourceRoleArn");
        return new AwsSides(target, source, targetSide,
                new Side(sourceRegion, serviceEndpoint, sourceCredentials, AwsSides::sourcePolicyLine,
                        "sourceRoleArn"));
    }

    /** Acceptance's side: copies, restores, everything on the target. */
    public RdsGateway target() {
        return target;
    }

    /** Production's side: the snapshot and its share only. The target's gateway when there is no source side. */
    public RdsGateway source() {
        return source;
    }

    /** Are there two sides (own credentials, account or region for the source)? */
    public boolean twoSides() {
        return source != target;
    }

    public String targetRegion() {
        return targetSide == null ? null : targetSide.region().id();
    }

    public String sourceRegion() {
        return sourceSide == null ? null : sourceSide.region().id();
    }

    /** The target side's AWS account id (STS GetCallerIdentity; asked once). */
    public synchronized String targetAccount() {
        if (targetAccount == null) {
            targetAccount = accountOf(targetSide, "the target side");
        }
        return targetAccount;
    }

    /** The source side's AWS account id (STS GetCallerIdentity; asked once). */
    public synchronized String sourceAccount() {
        if (!twoSides()) {
            return targetAccount();
        }
        if (sourceAccount == null) {
            sourceAccount = accountOf(sourceSide, "the source side");
        }
        return sourceAccount;
    }

    private static String accountOf(Side side, String which) {
        if (side == null) {
            throw new IllegalStateException("no STS access for " + which);
        }
        try (StsClient sts = AwsAccess.stsClient(side.region(), side.stsKmsEndpoint(), side.credentials())) {
            return sts.getCallerIdentity().account();
        } catch (SdkException e) {
            // the call itself needs no permission; a refusal is the AssumeRole that got its credentials
            boolean role = String.valueOf(e.getMessage()).contains("sts:AssumeRole");
            String failed = role ? "sts:AssumeRole" : "sts:GetCallerIdentity";
            AwsFailure f = AwsFailure.of(failed, "(" + which + ")", e, side.policyLines().apply(failed));
            throw role && f.field() == null ? f.withField(side.roleField()) : f;
        }
    }

    /** KMS of the target side (DescribeKey); close it after use. */
    public KmsGateway targetKms() {
        return kms(targetSide);
    }

    /** KMS of the source side (DescribeKey); close it after use. */
    public KmsGateway sourceKms() {
        return kms(sourceSide);
    }

    private static KmsGateway kms(Side side) {
        if (side == null) {
            throw new IllegalStateException("no KMS access");
        }
        return new KmsGateway(AwsAccess.kmsClient(side.region(), side.stsKmsEndpoint(), side.credentials()),
                side.policyLines(), side.roleField());
    }

    /** Which statement of the source side's shipped policy allows an action (for AccessDenied messages). */
    static String sourcePolicyLine(String action) {
        String sid = switch (action) {
            case "CreateDBSnapshot", "AddTagsToResource" -> "SnapshotTheSource";
            case "ModifyDBSnapshotAttribute", "DeleteDBSnapshot" -> "ShareAndDeleteOwnSnapshots";
            case "kms:DescribeKey" -> "DescribeTheSourceKey";
            case "sts:AssumeRole" -> "TRUST";
            case "sts:GetCallerIdentity" -> null;
            default -> action.startsWith("Describe") || action.startsWith("List") ? "ReadOnlyDescribe" : null;
        };
        if ("TRUST".equals(sid)) {
            return "the trust policy of sourceRoleArn in the production account"
                    + " (docs/iam/cross-account-source-trust.json: it must name the identity that assumes it, and"
                    + " sourceExternalId when it requires one), and statement AssumeTheSourceRole of " + TARGET_POLICY;
        }
        return sid == null ? null : "statement " + sid + " of " + SOURCE_POLICY
                + ", attached to the source side's identity (sourceRoleArn) in the production account";
    }

    /** Which statement of the target side's shipped policies allows an action (for AccessDenied messages). */
    static String targetPolicyLine(String action) {
        String sid = switch (action) {
            case "CopyDBSnapshot" -> "CopyTheSharedSnapshot";
            case "DescribeDBSnapshots" -> "ReadSharedSnapshots";
            case "DeleteDBSnapshot" -> "DeleteOldCopies";
            case "kms:DescribeKey" -> "UseTheKeys";
            default -> null;
        };
        if ("sts:AssumeRole".equals(action)) {
            return "the trust policy of roleArn (it must name the identity of awsCredentialsId, and externalId when"
                    + " it requires one)";
        }
        if (sid == null) {
            return null;
        }
        String where = "statement " + sid + " of " + TARGET_POLICY + ", attached to the target side's identity"
                + " (awsCredentialsId, then roleArn) in the acceptance account";
        return action.startsWith("kms:") || action.equals("CopyDBSnapshot")
                ? where + "; for an encrypted source the production key's policy must also let the acceptance account"
                        + " use the key (docs/iam/cross-account-source-key-policy.json)"
                : where;
    }

    @Override
    public void close() {
        if (source != target) {
            source.close();
        }
        target.close();
    }
}
