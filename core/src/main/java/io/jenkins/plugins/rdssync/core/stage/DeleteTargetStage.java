package io.jenkins.plugins.rdssync.core.stage;

import io.jenkins.plugins.rdssync.core.aws.InstanceInfo;
import io.jenkins.plugins.rdssync.core.db.PreservedRowsFile;
import io.jenkins.plugins.rdssync.core.run.StageName;
import java.time.Instant;
import java.util.Optional;

/** replace strategy: deletes the target (no final snapshot) once the preserved rows are safe on disk. */
final class DeleteTargetStage implements Stage {
    @Override
    public StageName name() {
        return StageName.DELETE_TARGET;
    }

    @Override
    public String skipReason(RunContext ctx) {
        return ctx.currentTarget.isEmpty() ? "no target to delete" : null;
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
        Optional<InstanceInfo> now = ctx.rds.instance(target);
        if (now.isEmpty()) {
            return "already gone";
        }
        if (!"deleting".equals(now.get().status())) {
            if (now.get().deletionProtection()) {
                log.log("Turning off deletion protection on " + target);
                ctx.await.untilAvailable(target, ctx.timeLeft(name(), start), i -> { });
                ctx.rds.modify(target, null, null, null, null, false);
                ctx.await.untilSettled(target, ctx.options.settle(), ctx.timeLeft(name(), start), i -> { });
            } else if (!now.get().isAvailable()) {
                log.log(target + " is " + now.get().status() + "; waiting until it can be deleted");
                ctx.await.untilAvailable(target, ctx.timeLeft(name(), start), i -> { });
            }
            log.log("Deleting " + target + " (no final snapshot: its data is production's)");
            ctx.downtimeStart = Instant.now();
            ctx.journal.put("downtime.start", ctx.downtimeStart.toString());
            ctx.rds.delete(target);
        } else {
            log.log(target + " is already being deleted");
        }
        ctx.await.untilGone(target, ctx.timeLeft(name(), start),
                i -> log.progress(target + ": " + i.status(), -1));
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
