package io.jenkins.plugins.rdssync.core.stage;

import io.jenkins.plugins.rdssync.core.aws.InstanceInfo;
import io.jenkins.plugins.rdssync.core.aws.ModifyRequest;
import io.jenkins.plugins.rdssync.core.aws.RdsWait;
import io.jenkins.plugins.rdssync.core.aws.RestoreRequest;
import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.spec.Strategy;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Restores the snapshot (under the target's name, or a temporary one for swap) with the configured settings, else
 * those of the current target (everything the restore call accepts: {@link RestoreSettings}); then applies in one
 * modification what only ModifyDBInstance takes (the acceptance master password, deletion protection, monitoring,
 * ...), waits until the parameter group is applied, reboots only when it is pending-reboot, and waits until the
 * databases accept the acceptance login. Backups stay off until the end of the run (no baseline backup to wait for).
 * <p>
 * The journal names the instance this run restored ({@code restore.instance}): a resume reuses that one (waiting if
 * it is still being created), deletes and restores again one that ended in a dead-end state, and never reuses an
 * instance another run left behind. Deletion protection is only turned on once the restore has worked, so a failed
 * restore can always be deleted.
 */
final class RestoreStage implements Stage {
    @Override
    public StageName name() {
        return StageName.RESTORE;
    }

    @Override
    public boolean alreadyDone(RunContext ctx) {
        if (!ctx.journal.isDone(name())) {
            return false;
        }
        if (ctx.switchBegan()) {
            // the restored instance is being (or has been) renamed: the switch takes it from here
            return true;
        }
        // after a finished swap the restored instance carries the target's name
        Optional<InstanceInfo> i = ctx.rds.instance(ctx.restoreId())
                .or(() -> ctx.rds.instance(ctx.spec.target()).filter(ctx::restoredByThisRun));
        if (i.isPresent() && ctx.restoredByThisRun(i.get()) && i.get().isAvailable()) {
            ctx.restored = i.get();
            return true;
        }
        return false;
    }


    @Override
    public String run(RunContext ctx) throws Exception {
        SyncSpec spec = ctx.spec;
        StageLog log = ctx.log(name());
        Instant start = Instant.now();
        String id = ctx.restoreId();
        Optional<InstanceInfo> existing = ctx.rds.instance(id);
        boolean reuse = existing.isPresent() && ctx.restoredByThisRun(existing.get());
        if (reuse && RdsWait.isDeadEnd(existing.get().status())) {
            log.warn(id + " was restored by the interrupted run but ended " + existing.get().status()
                    + "; deleting it and restoring again");
            ctx.deleteInstance(name(), id, start, log);
            reuse = false;
        } else if (reuse) {
            log.log(id + " was restored from " + ctx.snapshotId + " by the interrupted run ("
                    + existing.get().status() + "); reusing it");
        } else if (existing.isPresent()) {
            if (spec.strategy() != Strategy.SWAP || !existing.get().tags().containsKey(RunContext.TAG_MANAGED)) {
                throw new StageFailure("target", "'" + id + "' exists, but this run did not restore it (it was"
                        + " created while the run was stopped?); it is left alone: delete or rename it, then resume");
            }
            // a temporary instance of an earlier run that did not finish: its data is not this snapshot's
            log.log("Deleting " + id + ", left over from an earlier run (restored from "
                    + existing.get().tags().get(RunContext.TAG_RESTORED_FROM) + ")");
            ctx.deleteInstance(name(), id, start, log);
        }
        if (!reuse) {
            RestoreRequest request = request(ctx, id);
            log.log("Restoring " + ctx.snapshotId + " as " + id + describe(request, ctx));
            ctx.cancellation.check();
            ctx.journal.put(RunContext.J_RESTORE_INSTANCE, id);
            ctx.rds.restore(request);
        }
        InstanceInfo i = ctx.await.untilSettled(id, ctx.options.settle(), ctx.timeLeft(name(), start),
                inst -> log.progress(id + ": " + inst.status(), -1));
        log.log(id + " is available at " + i.endpointHost() + ":" + i.endpointPort());

        ModifyRequest settings = RestoreSettings.afterRestore(ctx, i);
        if (!settings.isEmpty()) {
            log.log("Modifying " + id + ": " + String.join("; ", settings.describe()));
            ctx.rds.modify(settings);
            i = ctx.await.untilModified(id, ctx.options.settle(), ctx.timeLeft(name(), start),
                    inst -> log.progress(id + ": " + inst.status(), -1));
        }
        // a custom parameter group reads "applying" before it settles on in-sync or pending-reboot
        i = ctx.await.untilParametersApplied(id, ctx.timeLeft(name(), start),
                inst -> log.progress(id + ": " + inst.status() + ", parameters " + inst.parameterApplyStatus(), -1));
        if (i.pendingReboot()) {
            log.log("Parameter group " + i.parameterGroup() + " is pending-reboot; rebooting " + id);
            ctx.rds.reboot(id);
            i = ctx.await.untilModified(id, ctx.options.settle(), ctx.timeLeft(name(), start),
                    inst -> log.progress(id + ": " + inst.status(), -1));
        }
        InstanceInfo ready = i;
        if (spec.needsDatabaseLogin()) {
            log.log("Waiting until " + ctx.address(ready) + " accepts the login of " + spec.mysqlUser().get());
            ctx.await.until("a database login at " + ctx.address(ready), ctx.timeLeft(name(), start),
                    () -> canLogIn(ctx, ready));
        }
        ctx.restored = ready;
        if (spec.strategy() == Strategy.REPLACE && ctx.catchesUp()) {
            // it answers under acceptance's name already: a row written before the offset and the reload would get
            // a production key (and be dropped by the next sync), so testers wait until their rows are back
            log.log("Keeping testers out of " + id + " until their rows are back (stage Reload)");
            ctx.raiseFence(ready, log);
        } else if (spec.strategy() == Strategy.REPLACE && ctx.downtimeStart != null) {
            ctx.downtimeEnd = Instant.now();
        }
        return id + " restored from " + ctx.snapshotId;
    }

    static boolean canLogIn(RunContext ctx, InstanceInfo i) {
        try {
            ctx.db.checkLogin(ctx.address(i));
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** The restore settings: configured, else the current target's, else RDS defaults from the snapshot. */
    static RestoreRequest request(RunContext ctx, String id) {
        return RestoreSettings.restore(ctx, id);
    }

    private static String describe(RestoreRequest r, RunContext ctx) {
        List<String> settings = RestoreSettings.describe(r, ctx);
        return settings.isEmpty() ? "" : " (" + String.join(", ", settings) + ")";
    }

    @Override
    public void plan(RunContext ctx) {
        StageLog log = ctx.log(name());
        RestoreRequest r = request(ctx, ctx.restoreId());
        log.log("Would call RestoreDBInstanceFromDBSnapshot " + r.instanceId() + " from " + ctx.snapshotId
                + describe(r, ctx) + " and wait until it is available and settled");
        ModifyRequest after = RestoreSettings.afterRestore(ctx, placeholder(r.instanceId()));
        if (!after.isEmpty()) {
            log.log("Would call ModifyDBInstance " + r.instanceId() + " " + String.join("; ", after.describe()));
        }
        log.log("Would wait until its parameter group is in-sync or pending-reboot, and call RebootDBInstance "
                + r.instanceId() + " only if pending-reboot");
    }

    /** A freshly restored instance as RDS makes it: none of the target's own settings yet. */
    private static InstanceInfo placeholder(String id) {
        return new InstanceInfo(id, "available", null, null, null, null, null, null, List.of(), null, null, null,
                false, false, null, false, null, 0, null, Map.of(), null, null, null, null, List.of(), null, List.of());
    }
}
