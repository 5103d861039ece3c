package io.jenkins.plugins.rdssync.core.stage;

import io.jenkins.plugins.rdssync.core.aws.SnapshotInfo;
import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.spec.SnapshotMode;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Production in another account or region: the source side shares its snapshot with the target's account
 * (ModifyDBSnapshotAttribute {@code restore}), and the target side copies it by ARN into its own account and region
 * (CopyDBSnapshot, re-encrypted with {@code snapshotCopyKmsKeyId}), waits, and restores from the copy from then on.
 * The copy's name is the snapshot's (for {@code new}, the timestamped one; an earlier copy of a rolling name is
 * replaced). Runs after the backup, so nothing on acceptance changes before the copy exists.
 * <p>
 * The journal records the source's ARN, the copy's id and the share this run added (Cleanup takes that share back,
 * and only that one): a resume finds the share in place and a copy that is still being made, and waits for it
 * instead of starting another.
 */
final class CopyStage implements Stage {
    static final String TAG_COPIED_FROM = "rds-sync:copied-from";

    @Override
    public StageName name() {
        return StageName.COPY;
    }

    @Override
    public String skipReason(RunContext ctx) {
        CopyPlan plan = ctx.copyPlan;
        return plan != null && !plan.copy()
                ? "the source side is in the target's account and region: the snapshot is restored as it is" : null;
    }

    @Override
    public boolean alreadyDone(RunContext ctx) {
        Optional<String> copyId = ctx.journal.get(RunContext.J_COPY_ID);
        Optional<String> from = ctx.journal.get(RunContext.J_COPY_SOURCE_ARN);
        if (!ctx.journal.isDone(name()) || copyId.isEmpty() || from.isEmpty()
                || !from.get().endsWith(":snapshot:" + ctx.snapshotId)) {
            // (a copy of another snapshot than the one this run has: copy again)
            return false;
        }
        Optional<SnapshotInfo> copy = ctx.rds.snapshot(copyId.get());
        if (copy.isPresent() && copy.get().isAvailable() && from.get().equals(copy.get().tags().get(TAG_COPIED_FROM))) {
            ctx.sourceSnapshotId = ctx.snapshotId;
            ctx.snapshotId = copyId.get();
            ctx.log(name()).log("Copy " + copyId.get() + " from the interrupted run is available");
            return true;
        }
        return false;
    }

    @Override
    public String run(RunContext ctx) {
        SyncSpec spec = ctx.spec;
        CopyPlan plan = ctx.copyPlan;
        StageLog log = ctx.log(name());
        Instant start = Instant.now();
        String sourceId = ctx.snapshotId;
        SnapshotInfo source = ctx.sourceRds.snapshot(sourceId).orElseThrow(() -> new StageFailure("snapshotName",
                "the source side's snapshot " + sourceId + " is gone; run again (or resume) to make it anew"));
        String arn = source.arn();
        ctx.journal.put(RunContext.J_COPY_SOURCE_ARN, arn);
        if (plan.share()) {
            share(ctx, log, sourceId, plan.targetAccount());
        }
        String copyId = copyId(ctx, sourceId);
        replaceEarlierCopy(ctx, log, copyId, start);
        if (ctx.rds.snapshot(copyId).isEmpty()) {
            ctx.cancellation.check();
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put(RunContext.TAG_MANAGED, spec.target());
            tags.put(TAG_COPIED_FROM, arn);
            log.log("Copying " + arn + " to " + copyId + (plan.crossRegion() ? " in " + plan.targetRegion() : "")
                    + spec.snapshotCopyKmsKeyId().map(k -> ", encrypted with " + k).orElse(""));
            ctx.journal.put(RunContext.J_COPY_ID, copyId);
            ctx.rds.copySnapshot(arn, copyId, spec.snapshotCopyKmsKeyId().orElse(null), tags,
                    plan.crossRegion() ? plan.sourceRegion() : null);
        }
        SnapshotInfo copy = ctx.await.untilSnapshotAvailable(copyId, ctx.timeLeft(name(), start),
                s -> log.progress("Copy " + copyId + ": " + s.status() + " " + s.percentProgress() + "%",
                        s.percentProgress()));
        log.log("Copy " + copyId + " is available (" + copy.percentProgress() + "%)");
        ctx.sourceSnapshotId = sourceId;
        ctx.snapshotId = copyId;
        return (plan.share() ? "shared with " + plan.targetAccount() + ", " : "") + "copied to " + copyId;
    }

    /** Adds the target's account to the snapshot's restore attribute, unless it is there already. */
    private static void share(RunContext ctx, StageLog log, String sourceId, String account) {
        if (ctx.sourceRds.sharedWith(sourceId).contains(account)) {
            log.log("Snapshot " + sourceId + " is already shared with account " + account);
            return;
        }
        ctx.cancellation.check();
        // recorded first: if the run stops right after the call, Cleanup still knows the share is this run's
        ctx.journal.put(RunContext.J_COPY_SHARED_WITH, account);
        log.log("Sharing snapshot " + sourceId + " with account " + account);
        ctx.sourceRds.share(sourceId, account);
    }

    /**
     * A copy of this name in the target's account: the interrupted run's (waited for), or an earlier night's of a
     * rolling name (deleted, once it is not being made any more); never one rds-sync did not make.
     */
    private void replaceEarlierCopy(RunContext ctx, StageLog log, String copyId, Instant start) {
        Optional<SnapshotInfo> existing = ctx.rds.snapshot(copyId);
        if (existing.isEmpty()) {
            return;
        }
        SnapshotInfo s = existing.get();
        boolean ours = ctx.resuming && ctx.journal.get(RunContext.J_COPY_ID).filter(copyId::equals).isPresent()
                && ctx.journal.get(RunContext.J_COPY_SOURCE_ARN).filter(a -> a.equals(s.tags().get(TAG_COPIED_FROM)))
                        .isPresent()
                && !"deleting".equals(s.status()) && !"failed".equals(s.status());
        if (ours) {
            log.log("Copy " + copyId + " was started by the interrupted run (" + s.status() + ", "
                    + s.percentProgress() + "%); waiting for it");
            return;
        }
        if (!ctx.spec.target().equals(s.tags().get(RunContext.TAG_MANAGED))) {
            throw new StageFailure("snapshotName", "a snapshot '" + copyId + "' exists in the acceptance account and"
                    + " was not made by rds-sync for " + ctx.spec.target() + "; rename or delete it, or choose"
                    + " another snapshotName");
        }
        if ("creating".equals(s.status())) {
            log.log("The previous copy " + copyId + " is still being made; waiting to replace it");
            ctx.await.untilSnapshotAvailable(copyId, ctx.timeLeft(name(), start), x -> { });
        }
        log.log("Deleting the previous copy " + copyId + " (taken " + s.createdAt() + ")");
        if (!"deleting".equals(s.status())) {
            ctx.cancellation.check();
            ctx.rds.deleteSnapshot(copyId);
        }
        ctx.await.untilSnapshotGone(copyId, ctx.timeLeft(name(), start));
    }

    /** The copy has the snapshot's name; an automated one's would start with "rds:", which a copy may not. */
    static String copyId(RunContext ctx, String sourceId) {
        return ctx.spec.snapshotMode() == SnapshotMode.NEW ? sourceId : ctx.spec.snapshotName();
    }

    @Override
    public void plan(RunContext ctx) {
        CopyPlan plan = ctx.copyPlan;
        StageLog log = ctx.log(name());
        String sourceId = ctx.snapshotId;
        if (plan.share()) {
            log.log("Would call ModifyDBSnapshotAttribute " + sourceId + " AttributeName=restore ValuesToAdd="
                    + plan.targetAccount() + " (on the source side, account " + plan.sourceAccount() + ")");
        }
        String copyId = copyId(ctx, sourceId);
        log.log("Would call CopyDBSnapshot arn:aws:rds:" + plan.sourceRegion() + ":" + plan.sourceAccount()
                + ":snapshot:" + sourceId + " to " + copyId + (plan.crossRegion() ? " SourceRegion="
                        + plan.sourceRegion() : "")
                + ctx.spec.snapshotCopyKmsKeyId().map(k -> " KmsKeyId=" + k).orElse("") + " and wait");
        ctx.sourceSnapshotId = sourceId;
        ctx.snapshotId = copyId;
    }
}
