package io.jenkins.plugins.rdssync.core.stage;

import io.jenkins.plugins.rdssync.core.aws.InstanceInfo;
import io.jenkins.plugins.rdssync.core.aws.RdsGateway;
import io.jenkins.plugins.rdssync.core.aws.SnapshotInfo;
import io.jenkins.plugins.rdssync.core.aws.WaitTimeoutException;
import io.jenkins.plugins.rdssync.core.db.LateWrites;
import io.jenkins.plugins.rdssync.core.db.PreservedRowsBackup;
import io.jenkins.plugins.rdssync.core.db.SwitchMarker;
import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.spec.OldTarget;
import io.jenkins.plugins.rdssync.core.spec.SnapshotMode;
import io.jenkins.plugins.rdssync.core.spec.Strategy;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the run no longer needs. swap: a last catch-up from the old target through its {@code -rds-sync-old}
 * endpoint (anything written there after the catch-up before the renames), then the old target's fate as
 * {@code oldTarget} says: deleted with a final snapshot (the default), kept, or deleted. snapshotMode new: the
 * snapshots this tool made beyond snapshotKeep (manual snapshots are limited per account).
 */
final class CleanupStage implements Stage {
    /** How long the renamed old target may take to answer for the last catch-up (its reboot, its new DNS name). */
    private static final int LAST_READ_WAIT_MINUTES = 20;

    @Override
    public StageName name() {
        return StageName.CLEANUP;
    }

    @Override
    public String run(RunContext ctx) throws Exception {
        StageLog log = ctx.log(name());
        Instant start = Instant.now();
        List<String> done = new ArrayList<>();
        if (ctx.spec.strategy() == Strategy.SWAP) {
            Optional<InstanceInfo> old = ctx.rds.instance(ctx.oldId());
            if (old.isPresent() && old.get().tags().containsKey(RunContext.TAG_KEPT_UNTIL)) {
                done.add("kept " + ctx.oldId() + " until " + old.get().tags().get(RunContext.TAG_KEPT_UNTIL));
            } else if (old.isPresent()) {
                boolean read = lastCatchUp(ctx, old.get(), log, start, done);
                done.add(oldTargetFate(ctx, old.get(), read, log, start));
            }
            if (ctx.catchesUp() && ctx.restored != null) {
                try {
                    SwitchMarker.remove(ctx.db, ctx.address(ctx.restored));
                } catch (io.jenkins.plugins.rdssync.core.db.DbException e) {
                    log.warn(e.getMessage() + "; drop it by hand (DROP DATABASE " + SwitchMarker.SCHEMA + ")");
                }
            }
        }
        // replace: a resume after the reload may find the restored instance still keeping testers out
        ReloadStage.openToTesters(ctx, log);
        // after the last catch-up: turning backups on restarts the instance (ModifyDBInstance API reference,
        // BackupRetentionPeriod: "an outage occurs" from 0 to a nonzero value), which would cut its connections
        String finished = FinalSettings.apply(ctx, start, log);
        if (finished != null) {
            done.add(finished);
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

    /**
     * Copies to the new target what the old one got after the catch-up (writes of accounts the fence could not
     * lock). Returns whether the old target could be read.
     */
    private static boolean lastCatchUp(RunContext ctx, InstanceInfo old, StageLog log, Instant start,
            List<String> done) throws Exception {
        if (!ctx.catchesUp() || !Files.exists(ctx.catchUpPath()) || "deleting".equals(old.status())) {
            return true;
        }
        Duration bound = ctx.options.stageMinute().multipliedBy(LAST_READ_WAIT_MINUTES);
        bound = bound.compareTo(ctx.timeLeft(StageName.CLEANUP, start)) < 0 ? bound
                : ctx.timeLeft(StageName.CLEANUP, start);
        InstanceInfo o;
        try {
            o = ctx.await.untilAvailable(old.id(), bound, i -> log.progress(old.id() + ": " + i.status(), -1));
            InstanceInfo reachable = o;
            ctx.await.steady().until("the databases of " + o.id() + " to answer at " + ctx.address(o), bound,
                    () -> RestoreStage.canLogIn(ctx, reachable));
            ctx.await.steady().until("the target's name to lead to the new instance", bound, () -> SwitchMarker
                    .holds(ctx.db, ctx.address(ctx.restored), ctx.runId()).orElse(false));
        } catch (WaitTimeoutException e) {
            log.warn("the last catch-up could not read " + old.id() + ": " + e.getMessage());
            return false;
        }
        log.log("Last catch-up: reading what " + o.id() + " holds now");
        new PreservedRowsBackup().write(ctx.db, ctx.address(o), ctx.tables, ctx.columns, ctx.spec.offset(),
                ctx.lastReadPath(), log, ctx.cancellation);
        LateWrites.Outcome late = new LateWrites().copy(ctx.db, ctx.address(ctx.restored), ctx.catchUpPath(),
                ctx.lastReadPath(), log);
        log.log("Last catch-up from " + o.id() + ": " + late.rowsInserted() + " rows added, " + late.rowsUpdated()
                + " rows and " + late.valuesUpdated() + " column values updated on " + ctx.spec.target());
        if (!late.conflicts().isEmpty()) {
            log.warn(late.conflicts().size() + " rows changed on both instances since the switch were left as"
                    + " acceptance has them (" + String.join("; ", late.conflicts()) + "); the old target's version"
                    + " is in " + ctx.lastReadPath());
        }
        done.add(late.copied() + " late writes copied");
        return true;
    }

    private static String oldTargetFate(RunContext ctx, InstanceInfo old, boolean read, StageLog log,
            Instant start) {
        OldTarget fate = ctx.spec.oldTarget();
        String accounts = ctx.fencedAccounts().isEmpty() ? "" : " (its testers' accounts are locked: "
                + String.join(", ", ctx.fencedAccounts()) + "; ALTER USER ... ACCOUNT UNLOCK opens them)";
        if (fate == OldTarget.DELETE && !read) {
            throw new StageFailure("oldTarget", ctx.oldId() + " was not deleted: the last catch-up could not read it,"
                    + " so writes made on it late would be lost; resume to try again, or delete it by hand");
        }
        switch (fate) {
            case KEEP: {
                Instant until = Instant.now().plus(ctx.spec.oldTargetKeepHours(), ChronoUnit.HOURS)
                        .truncatedTo(ChronoUnit.SECONDS);
                ctx.rds.addTags(old.arn(), Map.of(RunContext.TAG_KEPT_UNTIL, until.toString()));
                log.log("Keeping the old target as " + ctx.oldId() + " until " + until + accounts
                        + "; the first run after that deletes it");
                return "kept " + ctx.oldId() + " until " + until;
            }
            case DELETE:
                log.log("Deleting the old target, now " + old.id() + " (oldTarget: delete)");
                deleteQuietly(ctx, old.id(), null, start, log);
                return "deleted " + ctx.oldId();
            default:
                log.log("Deleting the old target, now " + old.id() + ", with a final snapshot");
                deleteQuietly(ctx, old.id(), ctx.finalSnapshotId(), start, log);
                log.log("The old target is in snapshot " + ctx.finalSnapshotId() + ": restore it to go back"
                        + accounts);
                return "deleted " + ctx.oldId() + " (final snapshot " + ctx.finalSnapshotId() + ")";
        }
    }

    private static void deleteQuietly(RunContext ctx, String id, String finalSnapshot, Instant start,
            StageLog log) {
        try {
            ctx.deleteInstance(StageName.CLEANUP, id, finalSnapshot, start, log, () -> { });
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
        // RDS stores identifiers in lower case: a snapshotName typed in capitals must still find its snapshots
        String prefix = ctx.spec.snapshotName().toLowerCase(Locale.ROOT) + "-";
        List<SnapshotInfo> ours = side.snapshotsOf(ctx.spec.source(), "manual").stream()
                .filter(s -> s.id().toLowerCase(Locale.ROOT).startsWith(prefix))
                .filter(s -> ctx.spec.target().equalsIgnoreCase(s.tags().getOrDefault(RunContext.TAG_MANAGED, "")))
                .filter(s -> !s.id().equalsIgnoreCase(current))
                .toList();
        int keepOthers = Math.max(0, ctx.spec.snapshotKeep() - 1);
        return ours.size() <= keepOthers ? List.of() : ours.subList(keepOthers, ours.size());
    }

    @Override
    public void plan(RunContext ctx) {
        StageLog log = ctx.log(name());
        if (ctx.spec.strategy() == Strategy.SWAP && ctx.currentTarget.isPresent()) {
            log.log("Would read " + ctx.oldId() + " once more and copy to " + ctx.spec.target()
                    + " what it got after the catch-up");
            switch (ctx.spec.oldTarget()) {
                case KEEP -> log.log("Would keep " + ctx.oldId() + " for " + ctx.spec.oldTargetKeepHours()
                        + " hours (tag " + RunContext.TAG_KEPT_UNTIL + ")");
                case DELETE -> log.log("Would call DeleteDBInstance " + ctx.oldId() + " SkipFinalSnapshot=true");
                default -> log.log("Would call DeleteDBInstance " + ctx.oldId() + " FinalDBSnapshotIdentifier="
                        + ctx.finalSnapshotId() + " (after deleting the previous snapshot of that name)");
            }
        }
        if (ctx.copyPlan != null && ctx.copyPlan.share()) {
            log.log("Would call ModifyDBSnapshotAttribute " + ctx.sourceSnapshotId + " ValuesToRemove="
                    + ctx.copyPlan.targetAccount() + " (if this run added the share)");
        }
        FinalSettings.plan(ctx, log);
        if (ctx.spec.snapshotMode() == SnapshotMode.NEW) {
            log.log("Would delete the snapshots named " + ctx.spec.snapshotName() + "-* beyond the newest "
                    + ctx.spec.snapshotKeep() + (ctx.sides.twoSides() ? ", on the source side and their copies on"
                            + " the target side" : ""));
        }
    }
}
