package io.jenkins.plugins.rdssync.core.stage;

import io.jenkins.plugins.rdssync.core.aws.InstanceInfo;
import io.jenkins.plugins.rdssync.core.aws.RdsWait;
import io.jenkins.plugins.rdssync.core.db.AutoIncrementOffset;
import io.jenkins.plugins.rdssync.core.db.PreservedRowsBackup;
import io.jenkins.plugins.rdssync.core.db.PreservedRowsReload;
import io.jenkins.plugins.rdssync.core.db.PreservedTable;
import io.jenkins.plugins.rdssync.core.run.StageName;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * swap strategy: re-copies the preserved rows that changed on the old target since the backup, then renames the old
 * target away and the new instance in. Acceptance is unavailable between the first rename and the moment the new
 * instance answers under the target's name.
 * <p>
 * Each step is recognised from the instances' names and states, so a resume continues wherever the interrupted run
 * stopped: before the first rename (the old target still serves), with the first rename in flight (the old target
 * shows {@code renaming}), between the renames (the target's name is free), with the second rename in flight, or
 * after it. Once the first rename is asked for, cancellation waits until the target's name answers again: stopping
 * in between would leave acceptance without an instance under its name until someone resumes.
 */
final class SwitchStage implements Stage {
    @Override
    public StageName name() {
        return StageName.SWITCH;
    }

    @Override
    public boolean alreadyDone(RunContext ctx) {
        Optional<InstanceInfo> target = ctx.rds.instance(ctx.spec.target());
        if (target.isPresent() && isNew(ctx, target.get()) && ctx.rds.instance(ctx.newId()).isEmpty()
                && target.get().isAvailable()) {
            ctx.restored = target.get();
            ctx.switched = true;
            return true;
        }
        return false;
    }

    /** Is this instance the one this run restored (whatever its name now)? */
    private static boolean isNew(RunContext ctx, InstanceInfo i) {
        return ctx.restoredByThisRun(i);
    }

    @Override
    public String run(RunContext ctx) throws Exception {
        StageLog log = ctx.log(name());
        Instant start = Instant.now();
        String target = ctx.spec.target();
        // from the first rename until the new instance answers, acceptance is down: poll often, ignore stop requests
        RdsWait critical = ctx.await.ignoringCancellation().steady();
        Optional<InstanceInfo> current = ctx.rds.instance(target);
        ctx.journal.get(RunContext.J_DOWNTIME_START).ifPresent(t -> ctx.downtimeStart = Instant.parse(t));

        if (current.isPresent() && !isNew(ctx, current.get()) && !"renaming".equals(current.get().status())) {
            // the old target serves: copy what changed since the backup, then rename it away
            if (ctx.restored == null) {
                ctx.restored = ctx.rds.instance(ctx.newId()).orElseThrow(() -> new StageFailure(
                        "the new instance " + ctx.newId() + " is gone; resume runs the restore again"));
            }
            catchUp(ctx, current.get(), log);
            checkOffset(ctx, ctx.restored, log);
            ctx.cancellation.check(); // the last moment to stop with acceptance untouched
            log.log("Renaming " + target + " to " + ctx.oldId() + " (acceptance is unavailable from now)");
            ctx.downtimeStart = Instant.now();
            ctx.journal.putAll(java.util.Map.of(RunContext.J_DOWNTIME_START, ctx.downtimeStart.toString(),
                    RunContext.J_SWITCH_OLD, ctx.oldId()));
            ctx.rds.rename(target, ctx.oldId());
            ctx.acceptanceDown = target + " was renamed to " + ctx.oldId() + " (the old target, unchanged) and "
                    + ctx.newId() + " is not yet renamed to " + target;
            awaitNameFree(ctx, critical, start, log);
        } else if (current.isPresent() && !isNew(ctx, current.get())) {
            // resumed with the first rename in flight: no catch-up from an instance that is going away
            log.log(target + " is being renamed to " + ctx.oldId() + " by the interrupted run; waiting for it");
            ctx.acceptanceDown = target + " is being renamed to " + ctx.oldId();
            awaitNameFree(ctx, critical, start, log);
        }

        Optional<InstanceInfo> fresh = ctx.rds.instance(ctx.newId());
        if (fresh.isPresent() && "renaming".equals(fresh.get().status())) {
            log.log(ctx.newId() + " is being renamed to " + target + " by the interrupted run; waiting for it");
        } else if (fresh.isPresent()) {
            if (ctx.rds.instance(ctx.oldId()).isPresent()) {
                ctx.acceptanceDown = target + " was renamed to " + ctx.oldId() + " (the old target, unchanged) and "
                        + ctx.newId() + " is not yet renamed to " + target;
            }
            log.log("Renaming " + ctx.newId() + " to " + target);
            ctx.journal.put(RunContext.J_SWITCH_NEW, target);
            ctx.rds.rename(ctx.newId(), target);
        } else if (ctx.rds.instance(target).filter(i -> isNew(ctx, i)).isEmpty()) {
            throw new StageFailure("neither " + target + " nor " + ctx.newId() + " is the instance restored from "
                    + ctx.snapshotId + "; check the instances in the RDS console"
                    + (ctx.rds.instance(ctx.oldId()).isPresent() ? " (" + ctx.oldId() + " holds the old target)" : ""));
        }
        InstanceInfo ready = critical.untilAvailable(target, ctx.timeLeft(name(), start),
                i -> log.progress(target + ": " + i.status(), -1));
        ctx.acceptanceDown = null;
        ctx.switched = true;
        ctx.cancellation.check();
        if (ctx.spec.needsDatabaseLogin()) {
            ctx.await.steady().until("the databases to answer at " + ctx.address(ready), ctx.timeLeft(name(), start),
                    () -> RestoreStage.canLogIn(ctx, ready));
        }
        ctx.restored = ready;
        if (ctx.downtimeStart != null) {
            ctx.downtimeEnd = Instant.now();
            log.log(target + " answers again at " + ready.endpointHost() + ":" + ready.endpointPort() + " after "
                    + String.format("%.1f", (ctx.downtimeEnd.toEpochMilli() - ctx.downtimeStart.toEpochMilli())
                            / 1000.0) + " s");
        }
        if (ctx.spec.preserveRows()) {
            checkOffset(ctx, ready, log);
        }
        return "acceptance is now the restore of " + ctx.snapshotId;
    }

    /**
     * Waits until the first rename has taken effect and the target's name is free for the new instance. Not until
     * the old instance is available again: its reboot under the new name would add minutes to the downtime.
     */
    private static void awaitNameFree(RunContext ctx, RdsWait critical, Instant start, StageLog log) {
        String target = ctx.spec.target();
        critical.untilNameFree(target, ctx.timeLeft(StageName.SWITCH, start),
                i -> log.progress(target + ": " + i.status(), -1));
    }

    /** Copies what testers changed on the old target since the backup, so that nothing they did is lost. */
    private static void catchUp(RunContext ctx, InstanceInfo old, StageLog log) throws Exception {
        if (ctx.backupFile == null || !ctx.spec.needsDatabaseLogin()) {
            return;
        }
        log.log("Re-reading the preserved rows of " + old.id() + " changed since the backup");
        var manifest = new PreservedRowsBackup().write(ctx.db, ctx.address(old), ctx.tables, ctx.columns,
                ctx.spec.offset(), ctx.catchUpPath(), log, ctx.cancellation);
        PreservedRowsReload reload = new PreservedRowsReload();
        Map<String, Long> rows = reload.replaceRange(ctx.db, ctx.address(ctx.restored), ctx.catchUpPath(), log,
                ctx.cancellation, ctx.options.reloadParallelism());
        reload.restoreColumns(ctx.db, ctx.address(ctx.restored), ctx.catchUpPath(), log);
        ctx.preservedRows.clear();
        ctx.preservedRows.putAll(manifest.rowCounts());
        log.log("Caught up: " + rows.values().stream().mapToLong(Long::longValue).sum() + " preserved rows now on "
                + ctx.restored.id());
    }

    /** AUTO_INCREMENT must still be the offset (MySQL 5.7 recomputes it on restart) and no key may collide. */
    private static void checkOffset(RunContext ctx, InstanceInfo instance, StageLog log) throws Exception {
        if (!ctx.spec.preserveRows()) {
            return;
        }
        try (Connection c = ctx.db.open(ctx.address(instance), null)) {
            List<PreservedTable> tables = OffsetStage.tables(ctx, c);
            AutoIncrementOffset offset = new AutoIncrementOffset();
            if (!offset.isApplied(c, tables, ctx.spec.offset())) {
                log.warn("AUTO_INCREMENT was reset on " + instance.id() + " (a restart?); setting it again");
                offset.apply(c, tables, ctx.spec.offset(), log);
            }
        }
    }

    @Override
    public void plan(RunContext ctx) {
        StageLog log = ctx.log(name());
        if (ctx.currentTarget.isPresent()) {
            log.log("Would re-copy preserved rows changed on " + ctx.spec.target() + " since the backup");
            log.log("Would call ModifyDBInstance " + ctx.spec.target() + " NewDBInstanceIdentifier=" + ctx.oldId());
        }
        log.log("Would call ModifyDBInstance " + ctx.newId() + " NewDBInstanceIdentifier=" + ctx.spec.target()
                + " and wait until the databases answer");
    }
}
