package io.jenkins.plugins.rdssync.core.stage;

import io.jenkins.plugins.rdssync.core.aws.AwsFailure;
import io.jenkins.plugins.rdssync.core.aws.KmsGateway;
import io.jenkins.plugins.rdssync.core.aws.SnapshotEncryption;
import io.jenkins.plugins.rdssync.core.spec.SnapshotMode;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.util.Optional;

/**
 * Preflight's read-only checks of a source with a side of its own: which accounts and regions the two sides are in,
 * and — as far as describes can tell — that the share and the copy will be allowed. An encrypted source needs a
 * customer managed key (RDS cannot share a snapshot encrypted with {@code aws/rds}) whose key policy lets the
 * acceptance account use it, and a key of the acceptance account to re-encrypt the copy with
 * ({@code snapshotCopyKmsKeyId}).
 */
final class CrossAccountCheck {
    private static final String KEY_POLICY = "docs/iam/cross-account-source-key-policy.json";

    private CrossAccountCheck() {
    }

    static CopyPlan check(RunContext ctx, StageLog log) {
        SyncSpec spec = ctx.spec;
        String target = ctx.sides.targetAccount();
        String source = ctx.sides.sourceAccount();
        String sourceRegion = ctx.sides.sourceRegion();
        String targetRegion = ctx.sides.targetRegion();
        boolean share = !source.equals(target);
        boolean copy = share || !sourceRegion.equals(targetRegion);
        log.log("Source side: account " + source + ", region " + sourceRegion
                + spec.sourceRoleArn().map(r -> ", role " + r).orElse("") + "; target side: account " + target
                + ", region " + targetRegion);
        if (!copy) {
            log.log("Both sides are in one account and region: the snapshot is restored as it is, without a copy");
            return new CopyPlan(source, target, sourceRegion, targetRegion, false, false, null);
        }
        SnapshotEncryption enc = encryption(ctx);
        String key = enc.encrypted() ? enc.kmsKeyId() : null;
        if (spec.snapshotMode() == SnapshotMode.EXISTING) {
            // read-only proof that the source side may read (and so manage) the share of this snapshot
            log.log("Snapshot " + spec.snapshotName() + " is shared with: "
                    + ctx.sourceRds.sharedWith(spec.snapshotName()));
        }
        if (key != null) {
            checkEncrypted(ctx, log, key, share, target, targetRegion);
        } else {
            log.log("The source is not encrypted" + spec.snapshotCopyKmsKeyId().map(k -> "; the copy is encrypted"
                    + " with " + k).orElse(""));
        }
        spec.snapshotCopyKmsKeyId().ifPresent(k -> checkCopyKey(ctx, k, target, targetRegion));
        log.log((share ? "The snapshot will be shared with account " + target + " and copied there"
                : "The snapshot will be copied to region " + targetRegion)
                + spec.snapshotCopyKmsKeyId().map(k -> ", re-encrypted with " + k).orElse(""));
        return new CopyPlan(source, target, sourceRegion, targetRegion, share, true, key);
    }

    /** How the snapshot to be copied is encrypted: the existing one's, else the source instance's (it inherits it). */
    private static SnapshotEncryption encryption(RunContext ctx) {
        SyncSpec spec = ctx.spec;
        Optional<SnapshotEncryption> e = spec.snapshotMode() == SnapshotMode.EXISTING
                ? ctx.sourceRds.snapshotEncryption(spec.snapshotName())
                : ctx.sourceRds.instanceEncryption(spec.source());
        return e.orElseThrow(() -> new StageFailure("source", "the source side cannot describe "
                + (spec.snapshotMode() == SnapshotMode.EXISTING ? "snapshot " + spec.snapshotName()
                        : "instance " + spec.source())));
    }

    private static void checkEncrypted(RunContext ctx, StageLog log, String key, boolean share, String target,
            String targetRegion) {
        SyncSpec spec = ctx.spec;
        if (spec.snapshotCopyKmsKeyId().isEmpty()) {
            throw new StageFailure("snapshotCopyKmsKeyId", "the source's snapshot is encrypted (KMS key " + key
                    + "), and a copy in the acceptance account must be encrypted with a key of that account: set"
                    + " snapshotCopyKmsKeyId to a KMS key of account " + target + " in " + targetRegion
                    + " (its ARN or alias)");
        }
        if (!share) {
            log.log("The source is encrypted with " + key + "; the copy in " + targetRegion + " is encrypted with "
                    + spec.snapshotCopyKmsKeyId().get());
            return;
        }
        KmsGateway.KeyInfo info;
        try (KmsGateway kms = ctx.sides.sourceKms()) {
            info = kms.describe(key).orElseThrow(() -> new StageFailure("source", "the source side cannot find"
                    + " the KMS key " + key + " of the source's storage"));
        }
        if (info.awsManaged()) {
            throw new StageFailure("source", "'" + spec.source() + "' is encrypted with the AWS managed key aws/rds"
                    + " of account " + info.accountId() + ", and RDS cannot share a snapshot encrypted with it"
                    + " (RDS User Guide, \"Sharing encrypted snapshots\"). Fix: use a customer managed KMS key in the"
                    + " production account whose key policy lets account " + target + " use it (the statement in "
                    + KEY_POLICY + "), and encrypt with it what is shared: restore production from a copy made with"
                    + " that key, or give rds-sync a manual snapshot copied with it (snapshotMode existing)");
        }
        // the acceptance account's view of production's key: AccessDenied unless the key policy names it
        try (KmsGateway kms = ctx.sides.targetKms()) {
            Optional<KmsGateway.KeyInfo> seen = kms.describe(key);
            if (seen.isEmpty()) {
                throw keyNotUsable(key, target, "KMS does not show the key to the acceptance account");
            }
        } catch (AwsFailure e) {
            if (e.errorCode() != null && e.errorCode().startsWith("AccessDenied")) {
                throw keyNotUsable(key, target, "KMS answered " + e.errorCode());
            }
            throw e;
        }
        log.log("The source is encrypted with the customer managed key " + key + ", which account " + target
                + " may use");
    }

    private static StageFailure keyNotUsable(String key, String target, String why) {
        return new StageFailure("source", "the acceptance account " + target + " may not use the production key "
                + key + " (" + why + "), so it cannot copy the shared snapshot. The missing line: in the key policy"
                + " of " + key + ", the statement of " + KEY_POLICY + " that names arn:aws:iam::" + target
                + ":root (kms:DescribeKey, kms:CreateGrant, kms:Decrypt, kms:ReEncrypt*, kms:GenerateDataKey*); and"
                + " in the acceptance side's IAM policy, statement UseTheKeys of docs/iam/cross-account-target.json");
    }

    private static void checkCopyKey(RunContext ctx, String copyKey, String target, String targetRegion) {
        KmsGateway.KeyInfo info;
        try (KmsGateway kms = ctx.sides.targetKms()) {
            info = kms.describe(copyKey).orElseThrow(() -> new StageFailure("snapshotCopyKmsKeyId", "there is no"
                    + " KMS key '" + copyKey + "' in account " + target + " (region " + targetRegion + "); give the"
                    + " ARN or alias of a key of the acceptance account"));
        }
        if (!target.equals(info.accountId())) {
            throw new StageFailure("snapshotCopyKmsKeyId", "'" + copyKey + "' is a key of account "
                    + info.accountId() + "; the copy is made in the acceptance account " + target
                    + " and must be encrypted with one of its own keys");
        }
        if (!info.enabled()) {
            throw new StageFailure("snapshotCopyKmsKeyId", "the KMS key " + info.arn() + " is not enabled");
        }
    }
}
