package io.jenkins.plugins.rdssync.core.stage;

import io.jenkins.plugins.rdssync.core.aws.InstanceInfo;
import io.jenkins.plugins.rdssync.core.aws.RdsWait;
import io.jenkins.plugins.rdssync.core.aws.RestoreRequest;
import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.spec.Strategy;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Restores the snapshot (under the target's name, or a temporary one for swap) with the configured settings, else
 * those of the current target; then resets the master password, applies retention and deletion protection, reboots
 * only when a parameter group waits for it, and waits until the databases accept the acceptance login.
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
            log.log("Restoring " + ctx.snapshotId + " as " + id + describe(request));
            ctx.cancellation.check();
            ctx.journal.put(RunContext.J_RESTORE_INSTANCE, id);
            ctx.rds.restore(request);
        }
        InstanceInfo i = ctx.await.untilSettled(id, ctx.options.settle(), ctx.timeLeft(name(), start),
                inst -> log.progress(id + ": " + inst.status(), -1));
        log.log(id + " is available at " + i.endpointHost() + ":" + i.endpointPort());

        String password = spec.resetMasterPassword() ? spec.mysqlPassword().map(p -> p.reveal()).orElse(null) : null;
        Integer retention = spec.backupRetention().orElse(ctx.targetSettings.map(InstanceInfo::backupRetention)
                .orElse(null));
        boolean retentionChanges = retention != null && retention != i.backupRetention();
        boolean protect = ctx.targetSettings.map(InstanceInfo::deletionProtection).orElse(false)
                && !i.deletionProtection();
        if (password != null || retentionChanges || protect) {
            log.log("Modifying " + id + ":" + (password != null ? " master password reset to the acceptance login;" : "")
                    + (retentionChanges ? " backup retention " + retention + " days;" : "")
                    + (protect ? " deletion protection on, as on " + spec.target() : ""));
            ctx.rds.modify(id, null, null, password, retentionChanges ? retention : null, protect ? true : null);
            // turning backups on starts a backup once the change is applied: then wait until it stays available
            boolean backupFollows = retentionChanges && i.backupRetention() == 0;
            i = backupFollows
                    ? ctx.await.untilSettled(id, ctx.options.settle(), ctx.timeLeft(name(), start),
                            inst -> log.progress(id + ": " + inst.status(), -1))
                    : ctx.await.untilModified(id, ctx.options.settle(), ctx.timeLeft(name(), start),
                            inst -> log.progress(id + ": " + inst.status(), -1));
        }
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
        SyncSpec s = ctx.spec;
        Optional<InstanceInfo> t = ctx.targetSettings;
        Map<String, String> tags = new LinkedHashMap<>();
        t.ifPresent(cur -> cur.tags().forEach((k, v) -> {
            if (!k.startsWith("aws:")) {
                tags.put(k, v);
            }
        }));
        tags.putAll(s.tags());
        tags.put(RunContext.TAG_MANAGED, s.target());
        tags.put(RunContext.TAG_RESTORED_FROM, ctx.snapshotId);
        if (ctx.runId() != null) {
            tags.put(RunContext.TAG_RUN, ctx.runId());
        }
        Boolean multiAz = s.multiAz().orElse(t.map(InstanceInfo::multiAz).orElse(null));
        List<String> sgs = !s.securityGroups().isEmpty() ? s.securityGroups()
                : t.map(InstanceInfo::securityGroups).orElse(List.of());
        return new RestoreRequest(id, ctx.snapshotId,
                s.instanceClass().orElse(t.map(InstanceInfo::instanceClass).orElse(null)),
                s.subnetGroup().orElse(t.map(InstanceInfo::subnetGroup).orElse(null)),
                Boolean.TRUE.equals(multiAz) ? null
                        : s.availabilityZone().orElse(t.map(InstanceInfo::availabilityZone).orElse(null)),
                sgs,
                s.parameterGroup().orElse(t.map(InstanceInfo::parameterGroup).orElse(null)),
                s.optionGroup().orElse(t.map(InstanceInfo::optionGroup).orElse(null)),
                s.instancePort().orElse(t.map(InstanceInfo::endpointPort).orElse(null)),
                s.storageType().orElse(t.map(InstanceInfo::storageType).orElse(null)),
                multiAz,
                s.publiclyAccessible().orElse(t.map(InstanceInfo::publiclyAccessible).orElse(null)),
                tags,
                // turned on by the modification after the restore worked: a failed restore stays deletable
                null);
    }

    private static String describe(RestoreRequest r) {
        StringBuilder b = new StringBuilder();
        append(b, "class", r.instanceClass());
        append(b, "subnet group", r.subnetGroup());
        append(b, "AZ", r.availabilityZone());
        append(b, "security groups", r.securityGroups() == null || r.securityGroups().isEmpty() ? null
                : String.join(",", r.securityGroups()));
        append(b, "parameter group", r.parameterGroup());
        append(b, "option group", r.optionGroup());
        append(b, "port", r.port());
        append(b, "multi-AZ", r.multiAz());
        return b.length() == 0 ? "" : " (" + b.substring(2) + ")";
    }

    private static void append(StringBuilder b, String label, Object value) {
        if (value != null) {
            b.append(", ").append(label).append(' ').append(value);
        }
    }

    @Override
    public void plan(RunContext ctx) {
        StageLog log = ctx.log(name());
        RestoreRequest r = request(ctx, ctx.restoreId());
        log.log("Would call RestoreDBInstanceFromDBSnapshot " + r.instanceId() + " from " + ctx.snapshotId
                + describe(r) + " and wait until it is available and settled");
        if (ctx.spec.resetMasterPassword() && ctx.spec.mysqlPassword().isPresent()) {
            log.log("Would call ModifyDBInstance " + r.instanceId() + " MasterUserPassword=**** (the acceptance login)");
        }
        log.log("Would call RebootDBInstance " + r.instanceId() + " only if its parameter group is pending-reboot");
    }
}
