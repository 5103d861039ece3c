package io.jenkins.plugins.rdssync.core.stage;

import io.jenkins.plugins.rdssync.core.aws.InstanceInfo;
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
 * instance answers under the target's name. Each step can be recognised on resume from the instances' names.
 */
final class SwitchStage implements Stage {
    @Override
    public StageName name() {
        return StageName.SWITCH;
    }

    @Override
    public boolean alreadyDone(RunContext ctx) {
        Optional<InstanceInfo> target = ctx.rds.instance(ctx.spec.target());
        if (target.isPresent() && ctx.snapshotId != null
                && ctx.snapshotId.equals(target.get().tags().get(RunContext.TAG_RESTORED_FROM))
                && ctx.rds.instance(ctx.newId()).isEmpty() && target.get().isAvailable()) {
            ctx.restored = target.get();
            return true;
        }
        return false;
    }

    @Override
    public String run(RunContext ctx) throws Exception {
        StageLog log = ctx.log(name());
        Instant start = Instant.now();
        String target = ctx.spec.target();
        Optional<InstanceInfo> current = ctx.rds.instance(target);
        boolean oldServes = current.isPresent() && !ctx.newId().equals(current.get().id());

        if (oldServes) {
            catchUp(ctx, current.get(), log);
            checkOffset(ctx, ctx.restored, log);
            log.log("Renaming " + target + " to " + ctx.oldId() + " (acceptance is unavailable from now)");
            ctx.downtimeStart = Instant.now();
            ctx.journal.put("downtime.start", ctx.downtimeStart.toString());
            ctx.rds.rename(target, ctx.oldId());
            ctx.await.untilAvailable(ctx.oldId(), ctx.timeLeft(name(), start),
                    i -> log.progress(ctx.oldId() + ": " + i.status(), -1));
        } else if (ctx.journal.get("downtime.start").isPresent()) {
            ctx.downtimeStart = Instant.parse(ctx.journal.get("downtime.start").get());
        }
        if (ctx.rds.instance(ctx.newId()).isPresent()) {
            log.log("Renaming " + ctx.newId() + " to " + target);
            ctx.rds.rename(ctx.newId(), target);
        }
        InstanceInfo ready = ctx.await.untilAvailable(target, ctx.timeLeft(name(), start),
                i -> log.progress(target + ": " + i.status(), -1));
        if (ctx.spec.needsDatabaseLogin()) {
            ctx.await.until("the databases to answer at " + ctx.address(ready), ctx.timeLeft(name(), start),
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
