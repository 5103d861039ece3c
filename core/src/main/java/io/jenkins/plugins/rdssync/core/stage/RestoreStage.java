package io.jenkins.plugins.rdssync.core.stage;

import io.jenkins.plugins.rdssync.core.aws.InstanceInfo;
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
 * those of the current target; then resets the master password, applies retention, reboots only when a parameter
 * group waits for it, and waits until the databases accept the acceptance login.
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
        // after a finished swap the restored instance carries the target's name
        Optional<InstanceInfo> i = ctx.rds.instance(ctx.restoreId())
                .or(() -> ctx.rds.instance(ctx.spec.target()).filter(t -> restoredFromUs(ctx, t)));
        if (i.isPresent() && restoredFromUs(ctx, i.get()) && i.get().isAvailable()) {
            ctx.restored = i.get();
            return true;
        }
        return false;
    }

    private static boolean restoredFromUs(RunContext ctx, InstanceInfo i) {
        return ctx.snapshotId != null && ctx.snapshotId.equals(i.tags().get(RunContext.TAG_RESTORED_FROM));
    }

    @Override
    public String run(RunContext ctx) throws Exception {
        SyncSpec spec = ctx.spec;
        StageLog log = ctx.log(name());
        Instant start = Instant.now();
        String id = ctx.restoreId();
        Optional<InstanceInfo> existing = ctx.rds.instance(id);
        if (existing.isPresent() && restoredFromUs(ctx, existing.get())) {
            log.log(id + " was restored from " + ctx.snapshotId + " by the interrupted run ("
                    + existing.get().status() + "); reusing it");
        } else {
            if (existing.isPresent()) {
                // only a temporary instance of ours gets here (Preflight refuses anything else)
                log.log("Deleting " + id + ", left over from an earlier run");
                ctx.rds.delete(id);
                ctx.await.untilGone(id, ctx.timeLeft(name(), start), i -> { });
            }
            RestoreRequest request = request(ctx, id);
            log.log("Restoring " + ctx.snapshotId + " as " + id + describe(request));
            ctx.rds.restore(request);
        }
        InstanceInfo i = ctx.await.untilSettled(id, ctx.options.settle(), ctx.timeLeft(name(), start),
                inst -> log.progress(id + ": " + inst.status(), -1));
        log.log(id + " is available at " + i.endpointHost() + ":" + i.endpointPort());

        String password = spec.resetMasterPassword() ? spec.mysqlPassword().map(p -> p.reveal()).orElse(null) : null;
        Integer retention = spec.backupRetention().orElse(ctx.currentTarget.map(InstanceInfo::backupRetention)
                .orElse(null));
        boolean retentionChanges = retention != null && retention != i.backupRetention();
        if (password != null || retentionChanges) {
            log.log("Modifying " + id + ":" + (password != null ? " master password reset to the acceptance login;" : "")
                    + (retentionChanges ? " backup retention " + retention + " days" : ""));
            ctx.rds.modify(id, null, null, password, retentionChanges ? retention : null, null);
            i = ctx.await.untilSettled(id, ctx.options.settle(), ctx.timeLeft(name(), start),
                    inst -> log.progress(id + ": " + inst.status(), -1));
        }
        if (i.pendingReboot()) {
            log.log("Parameter group " + i.parameterGroup() + " is pending-reboot; rebooting " + id);
            ctx.rds.reboot(id);
            i = ctx.await.untilSettled(id, ctx.options.settle(), ctx.timeLeft(name(), start),
                    inst -> log.progress(id + ": " + inst.status(), -1));
        }
        InstanceInfo ready = i;
        if (spec.needsDatabaseLogin()) {
            log.log("Waiting until " + ctx.address(ready) + " accepts the login of " + spec.mysqlUser().get());
            ctx.await.until("a database login at " + ctx.address(ready), ctx.timeLeft(name(), start),
                    () -> canLogIn(ctx, ready));
        }
        ctx.restored = ready;
        if (spec.strategy() == Strategy.REPLACE && ctx.downtimeStart != null) {
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
        Optional<InstanceInfo> t = ctx.currentTarget;
        Map<String, String> tags = new LinkedHashMap<>();
        t.ifPresent(cur -> cur.tags().forEach((k, v) -> {
            if (!k.startsWith("aws:")) {
                tags.put(k, v);
            }
        }));
        tags.putAll(s.tags());
        tags.put(RunContext.TAG_MANAGED, s.target());
        tags.put(RunContext.TAG_RESTORED_FROM, ctx.snapshotId);
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
                t.map(InstanceInfo::deletionProtection).orElse(null));
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
