package io.jenkins.plugins.rdssync.core.stage;

import io.jenkins.plugins.rdssync.core.aws.InstanceInfo;
import io.jenkins.plugins.rdssync.core.aws.ModifyRequest;
import java.time.Instant;
import java.util.Optional;

/**
 * The target's settings that wait for the end of the run (see {@link RestoreSettings}): automated backups and the
 * Secrets Manager management of the master password, in one ModifyDBInstance on the new acceptance instance once
 * nothing of the run needs it {@code available} or logs in with the master password any more. The engine does not
 * wait for the backup that turning backups on starts: acceptance is usable meanwhile. Idempotent (compares with the
 * instance as it is), so a resumed Cleanup does it once.
 */
final class FinalSettings {
    private FinalSettings() {
    }

    /** Applies them; returns what was done for the stage summary, or null when nothing was to do. */
    static String apply(RunContext ctx, Instant start, StageLog log) {
        Optional<InstanceInfo> now = ctx.rds.instance(ctx.spec.target());
        if (now.isEmpty() || !ctx.restoredByThisRun(now.get())) {
            return null;
        }
        ModifyRequest m = RestoreSettings.atEnd(ctx, now.get());
        if (m.isEmpty()) {
            return null;
        }
        String id = now.get().id();
        if (!now.get().isAvailable()) {
            ctx.await.untilAvailable(id, ctx.timeLeft(io.jenkins.plugins.rdssync.core.run.StageName.CLEANUP, start),
                    i -> log.progress(id + ": " + i.status(), -1));
        }
        log.log("Modifying " + id + " as the old target was: " + String.join("; ", m.describe())
                + (m.describe().stream().anyMatch(d -> d.startsWith("backup retention"))
                        ? " (RDS now takes a first backup; the instance stays usable and the run does not wait)" : ""));
        ctx.rds.modify(m);
        return String.join(", ", m.describe());
    }

    static void plan(RunContext ctx, StageLog log) {
        Integer retention = RestoreSettings.finalRetention(ctx);
        if (retention != null && retention > 0) {
            log.log("Would call ModifyDBInstance " + ctx.spec.target() + " BackupRetentionPeriod=" + retention
                    + " at the end (the restore runs without backups, so there is no baseline backup to wait for)");
        }
        if (ctx.targetSettings.map(t -> t.carried().managedMasterPassword()).orElse(false)) {
            log.log("Would call ModifyDBInstance " + ctx.spec.target() + " ManageMasterUserPassword=true at the end"
                    + " (RDS makes the new instance's own secret)");
        }
    }
}
