package io.jenkins.plugins.rdssync.core.stage;

import io.jenkins.plugins.rdssync.core.aws.InstanceInfo;
import io.jenkins.plugins.rdssync.core.aws.RdsGateway;
import io.jenkins.plugins.rdssync.core.aws.SnapshotInfo;
import io.jenkins.plugins.rdssync.core.aws.WaitTimeoutException;
import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.spec.SnapshotMode;
import io.jenkins.plugins.rdssync.core.spec.Strategy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Deletes what the run no longer needs: the old target (swap) and, for snapshotMode new, the snapshots this tool
 * made beyond snapshotKeep (manual snapshots are limited per account).
 */
final class CleanupStage implements Stage {
    @Override
    public StageName name() {
        return StageName.CLEANUP;
    }

    @Override
    public String run(RunContext ctx) {
        StageLog log = ctx.log(name());
        Instant start = Instant.now();
        List<String> done = new ArrayList<>();
        if (ctx.spec.strategy() == Strategy.SWAP) {
            Optional<InstanceInfo> old = ctx.rds.instance(ctx.oldId());
            if (old.isPresent()) {
                deleteOld(ctx, old.get(), start, log);
                done.add("deleted " + ctx.oldId());
            }
        }
        if (ctx.sides.twoSides()) {
            unshare(ctx, log).ifPresent(done::add);
        }
        if (ctx.spec.snapshotMode() == SnapshotMode.NEW) {
            int deleted = 0;
            for (SnapshotInfo s : oldSnapshots(ctx, ctx.sourceRds, ctx.sourceSnapshotId != null
                    ? ctx.sourceSnapshotId : ctx.snapshotId)) {
                log.log("Deleting snapshot " + s.id() + " (beyond snapshotKeep " + ctx.spec.snapshotKeep() + ")");
                ctx.sourceRds.deleteSnapshot(s.id());
                deleted++;
            }
            done.add(deleted + " old snapshots deleted");
            if (ctx.sides.twoSides() && ctx.sourceSnapshotId != null) {
                int copies = 0;
                for (SnapshotInfo s : oldSnapshots(ctx, ctx.rds, ctx.snapshotId)) {
                    log.log("Deleting the copy " + s.id() + " (beyond snapshotKeep " + ctx.spec.snapshotKeep() + ")");
                    ctx.rds.deleteSnapshot(s.id());
                    copies++;
                }
                done.add(copies + " old copies deleted");
            }
        }
        return done.isEmpty() ? "nothing to clean up" : String.join(", ", done);
    }

    /**
     * Takes back the share this run added (the journal says which): acceptance has its own copy now. A share that was
     * there before the run (an existing snapshot someone shared) is left alone.
     */
    private static Optional<String> unshare(RunContext ctx, StageLog log) {
        Optional<String> account = ctx.journal.get(RunContext.J_COPY_SHARED_WITH);
        String sourceId = ctx.sourceSnapshotId;
        if (account.isEmpty() || sourceId == null) {
            return Optional.empty();
        }
        if (ctx.sourceRds.snapshot(sourceId).isPresent() && ctx.sourceRds.sharedWith(sourceId)
                .contains(account.get())) {
            log.log("Removing the share of snapshot " + sourceId + " with account " + account.get());
            ctx.sourceRds.unshare(sourceId, account.get());
        }
        ctx.journal.put(RunContext.J_COPY_SHARED_WITH, null);
        return Optional.of("share with " + account.get() + " removed");
    }

    private void deleteOld(RunContext ctx, InstanceInfo old, Instant start, StageLog log) {
        log.log("Deleting the old target, now " + old.id());
        try {
            ctx.deleteInstance(name(), old.id(), start, log);
        } catch (WaitTimeoutException e) {
            log.warn(e.getMessage() + "; it will finish on its own");
        }
    }

    /** Snapshots this tool made for this target with the configured prefix, beyond the newest snapshotKeep. */
    static List<SnapshotInfo> oldSnapshots(RunContext ctx) {
        return oldSnapshots(ctx, ctx.rds, ctx.snapshotId);
    }

    /**
     * As {@link #oldSnapshots(RunContext)}, on one side: the source side's snapshots, or the target side's copies of
     * them (a copy keeps the source's instance identifier), never {@code current}.
     */
    static List<SnapshotInfo> oldSnapshots(RunContext ctx, RdsGateway side, String current) {
        String prefix = ctx.spec.snapshotName() + "-";
        List<SnapshotInfo> ours = side.snapshotsOf(ctx.spec.source(), "manual").stream()
                .filter(s -> s.id().startsWith(prefix))
                .filter(s -> ctx.spec.target().equals(s.tags().get(RunContext.TAG_MANAGED)))
                .filter(s -> !s.id().equals(current))
                .toList();
        int keepOthers = Math.max(0, ctx.spec.snapshotKeep() - 1);
        return ours.size() <= keepOthers ? List.of() : ours.subList(keepOthers, ours.size());
    }

    @Override
    public void plan(RunContext ctx) {
        StageLog log = ctx.log(name());
        if (ctx.spec.strategy() == Strategy.SWAP && ctx.currentTarget.isPresent()) {
            log.log("Would call DeleteDBInstance " + ctx.oldId() + " SkipFinalSnapshot=true (the old target)");
        }
        if (ctx.copyPlan != null && ctx.copyPlan.share()) {
            log.log("Would call ModifyDBSnapshotAttribute " + ctx.sourceSnapshotId + " ValuesToRemove="
                    + ctx.copyPlan.targetAccount() + " (if this run added the share)");
        }
        if (ctx.spec.snapshotMode() == SnapshotMode.NEW) {
            log.log("Would delete the snapshots named " + ctx.spec.snapshotName() + "-* beyond the newest "
                    + ctx.spec.snapshotKeep() + (ctx.sides.twoSides() ? ", on the source side and their copies on"
                            + " the target side" : ""));
        }
    }
}
