package io.jenkins.plugins.rdssync.core.stage;

import io.jenkins.plugins.rdssync.core.db.PreservedRowsFile;
import io.jenkins.plugins.rdssync.core.run.StageName;
import java.time.Instant;

/** replace strategy: deletes the target (no final snapshot) once the preserved rows are safe on disk. */
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
        return ctx.journal.isDone(name()) || (ctx.journal.isDone(StageName.BACKUP)
                && ctx.rds.instance(ctx.spec.target()).isEmpty());
    }

    @Override
    public String run(RunContext ctx) throws Exception {
        StageLog log = ctx.log(name());
        Instant start = Instant.now();
        if (ctx.backupFile != null) {
            // the last check before the only destructive step of this strategy
            PreservedRowsFile.verify(ctx.backupFile);
            log.log("Preserved rows verified on disk: " + ctx.backupFile);
        }
        String target = ctx.spec.target();
        if (ctx.rds.instance(target).isEmpty()) {
            return "already gone";
        }
        // its data is production's: no final snapshot
        ctx.deleteInstance(name(), target, start, log, () -> {
            ctx.downtimeStart = Instant.now();
            ctx.journal.put(RunContext.J_DOWNTIME_START, ctx.downtimeStart.toString());
        });
        log.log(target + " is deleted");
        return "deleted " + target;
    }

    @Override
    public void plan(RunContext ctx) {
        StageLog log = ctx.log(name());
        ctx.currentTarget.ifPresent(t -> {
            if (t.deletionProtection()) {
                log.log("Would call ModifyDBInstance " + t.id() + " DeletionProtection=false");
            }
            log.log("Would call DeleteDBInstance " + t.id() + " SkipFinalSnapshot=true and wait until it is gone");
        });
    }
}
