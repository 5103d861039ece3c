package io.jenkins.plugins.rdssync.core.stage;

import io.jenkins.plugins.rdssync.core.aws.InstanceInfo;
import io.jenkins.plugins.rdssync.core.db.BackupManifest;
import io.jenkins.plugins.rdssync.core.db.PreservedRowsBackup;
import io.jenkins.plugins.rdssync.core.db.PreservedRowsFile;
import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.spec.OldTarget;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * replace strategy: stops testers' writes on the target, copies what they changed since the backup into the
 * verified file (the backup ran beside the snapshot, minutes or hours ago), then deletes the target: with a final
 * snapshot {@code <target>-rds-sync-final} by default (oldTarget: snapshot), so that the old acceptance can always
 * be brought back; without one for oldTarget: delete.
 */
final class DeleteTargetStage implements Stage {
    @Override
    public StageName name() {
        return StageName.DELETE_TARGET;
    }

    @Override
    public String skipReason(RunContext ctx) {
        return ctx.targetSettings.isEmpty() ? "no target to delete" : null;
    }

    @Override
    public boolean alreadyDone(RunContext ctx) {
        if (ctx.journal.isDone(name())) {
            return true;
        }
        Optional<InstanceInfo> now = ctx.rds.instance(ctx.spec.target());
        // gone, or already this run's restore (a first night has no old target: the name holds the new instance)
        return (ctx.journal.isDone(StageName.BACKUP) && now.isEmpty())
                || now.filter(ctx::restoredByThisRun).isPresent();
    }

    @Override
    public String run(RunContext ctx) throws Exception {
        StageLog log = ctx.log(name());
        Instant start = Instant.now();
        String target = ctx.spec.target();
        Optional<InstanceInfo> now = ctx.rds.instance(target);
        if (now.isEmpty()) {
            return "already gone";
        }
        InstanceInfo t = now.get();
        boolean accepted = false;
        try {
            if (!"deleting".equals(t.status())) {
                fenceAndCatchUp(ctx, t, log);
            }
            if (ctx.backupFile != null) {
                // the last check before the only destructive step of this strategy
                PreservedRowsFile.verify(ctx.backupFile);
                log.log("Preserved rows verified on disk: " + ctx.backupFile);
            }
            String finalSnapshot = ctx.spec.oldTarget() == OldTarget.DELETE ? null : ctx.finalSnapshotId();
            ctx.deleteInstance(name(), target, finalSnapshot, start, log, () -> {
                // the fenced accounts were the deleted instance's; the restore fences its own
                ctx.journal.put(RunContext.J_FENCE_ACCOUNTS, null);
                ctx.journal.put(RunContext.J_FENCE_START, null);
                ctx.fenceStart = null;
                if (ctx.downtimeStart == null) {
                    ctx.downtimeStart = Instant.now();
                    ctx.journal.put(RunContext.J_DOWNTIME_START, ctx.downtimeStart.toString());
                }
            });
            accepted = true;
            log.log(target + " is deleted" + (finalSnapshot == null ? ""
                    : "; its last state is in snapshot " + finalSnapshot + " (restore it to go back)"));
            return "deleted " + target + (finalSnapshot == null ? "" : " (final snapshot " + finalSnapshot + ")");
        } finally {
            if (!accepted && ctx.rds.instance(target).filter(i -> !"deleting".equals(i.status())).isPresent()) {
                // acceptance is still there: let testers work on it again
                ctx.downtimeStart = null;
                ctx.journal.put(RunContext.J_DOWNTIME_START, null);
                ctx.rds.instance(target).ifPresent(i -> ctx.lowerFenceQuietly(i, log));
            }
        }
    }

    /** No write a tester got acknowledged may be lost: fence, then read again what changed since the backup. */
    private static void fenceAndCatchUp(RunContext ctx, InstanceInfo t, StageLog log) throws Exception {
        if (!ctx.catchesUp()) {
            return;
        }
        if (!t.isAvailable()) {
            log.log(t.id() + " is " + t.status() + ": nobody can write on it, its preserved rows are those of the"
                    + " backup");
            return;
        }
        ctx.raiseFence(t, log);
        ctx.downtimeStart = ctx.fenceStart;
        ctx.journal.put(RunContext.J_DOWNTIME_START, ctx.downtimeStart.toString());
        log.log("Re-reading the preserved rows of " + t.id() + " changed since the backup");
        BackupManifest m = new PreservedRowsBackup().write(ctx.db, ctx.address(t), ctx.tables, ctx.columns,
                ctx.spec.offset(), ctx.catchUpPath(), log, ctx.cancellation);
        // from now on the caught-up file is the run's preserved rows (the reload and a resume use it)
        ctx.backupFile = ctx.catchUpPath();
        ctx.journal.putAll(Map.of(BackupStage.JOURNAL_FILE, ctx.backupFile.toAbsolutePath().toString(),
                BackupStage.JOURNAL_SHA, m.sha256()));
        ctx.preservedRows.clear();
        ctx.preservedRows.putAll(m.rowCounts());
    }

    @Override
    public void plan(RunContext ctx) {
        StageLog log = ctx.log(name());
        ctx.currentTarget.ifPresent(t -> {
            if (ctx.spec.needsDatabaseLogin() && (ctx.spec.preserveRows() || !ctx.spec.preserveColumns().isEmpty())) {
                log.log("Would stop testers' writes on " + t.id() + " (ALTER USER ... ACCOUNT LOCK for every account"
                        + " but " + t.masterUsername() + ", the engine's login and the system accounts; their"
                        + " sessions ended) and re-read the preserved rows changed since the backup");
            }
            if (t.deletionProtection()) {
                log.log("Would call ModifyDBInstance " + t.id() + " DeletionProtection=false");
            }
            log.log("Would call DeleteDBInstance " + t.id() + (ctx.spec.oldTarget() == OldTarget.DELETE
                    ? " SkipFinalSnapshot=true" : " FinalDBSnapshotIdentifier=" + ctx.finalSnapshotId()
                            + " (after deleting the previous snapshot of that name)") + " and wait until it is gone");
        });
    }
}
