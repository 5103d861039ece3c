package io.jenkins.plugins.rdssync.core.stage;

import io.jenkins.plugins.rdssync.core.aws.InstanceInfo;
import io.jenkins.plugins.rdssync.core.aws.SnapshotInfo;
import io.jenkins.plugins.rdssync.core.aws.WaitTimeoutException;
import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.spec.SnapshotMode;
import io.jenkins.plugins.rdssync.core.spec.Strategy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
        String finished = FinalSettings.apply(ctx, start, log);
        if (finished != null) {
            done.add(finished);
        }
        if (ctx.spec.strategy() == Strategy.SWAP) {
            Optional<InstanceInfo> old = ctx.rds.instance(ctx.oldId());
            if (old.isPresent()) {
                deleteOld(ctx, old.get(), start, log);
                done.add("deleted " + ctx.oldId());
            }
        }
        if (ctx.spec.snapshotMode() == SnapshotMode.NEW) {
            int deleted = 0;
            for (SnapshotInfo s : oldSnapshots(ctx)) {
                log.log("Deleting snapshot " + s.id() + " (beyond snapshotKeep " + ctx.spec.snapshotKeep() + ")");
                ctx.rds.deleteSnapshot(s.id());
                deleted++;
            }
            done.add(deleted + " old snapshots deleted");
        }
        return done.isEmpty() ? "nothing to clean up" : String.join(", ", done);
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
        // RDS stores identifiers in lower case: a snapshotName typed in capitals must still find its snapshots
        String prefix = ctx.spec.snapshotName().toLowerCase(Locale.ROOT) + "-";
        List<SnapshotInfo> ours = ctx.rds.snapshotsOf(ctx.spec.source(), "manual").stream()
                .filter(s -> s.id().toLowerCase(Locale.ROOT).startsWith(prefix))
                .filter(s -> ctx.spec.target().equalsIgnoreCase(s.tags().getOrDefault(RunContext.TAG_MANAGED, "")))
                .filter(s -> !s.id().equalsIgnoreCase(ctx.snapshotId))
                .toList();
        int keepOthers = Math.max(0, ctx.spec.snapshotKeep() - 1);
        return ours.size() <= keepOthers ? List.of() : ours.subList(keepOthers, ours.size());
    }

    @Override
    public void plan(RunContext ctx) {
        StageLog log = ctx.log(name());
        FinalSettings.plan(ctx, log);
        if (ctx.spec.strategy() == Strategy.SWAP && ctx.currentTarget.isPresent()) {
            log.log("Would call DeleteDBInstance " + ctx.oldId() + " SkipFinalSnapshot=true (the old target)");
        }
        if (ctx.spec.snapshotMode() == SnapshotMode.NEW) {
            log.log("Would delete the snapshots named " + ctx.spec.snapshotName() + "-* beyond the newest "
                    + ctx.spec.snapshotKeep());
        }
    }
}
