package io.jenkins.plugins.rdssync.core.stage;

import io.jenkins.plugins.rdssync.core.aws.CarriedSettings;
import io.jenkins.plugins.rdssync.core.aws.InstanceInfo;
import io.jenkins.plugins.rdssync.core.aws.ModifyRequest;
import io.jenkins.plugins.rdssync.core.aws.RestoreRequest;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which settings the restored instance gets, and when: configured, else the current target's, else the snapshot's.
 * <ul>
 * <li>the restore call carries all it accepts ({@link #restore});</li>
 * <li>what only ModifyDBInstance takes goes into one modification right after the restore ({@link #afterRestore}):
 * the acceptance master password, deletion protection, max allocated storage, enhanced monitoring, Performance
 * Insights, the maintenance window;</li>
 * <li>two things wait for the end of the run ({@link #atEnd}), after the last step that needs the instance
 * {@code available} or the master password: automated backups (the restore turns them off, because RDS takes a
 * baseline backup right after a restore with backups on, hours of {@code backing-up} for a large database,
 * hashicorp/terraform-provider-aws#44104; turning them on at the end starts that backup without the run waiting for
 * it) and Secrets Manager management of the master password (the restore cannot turn it on for MySQL, and while it
 * is on the engine could not set the password it logs in with; ModifyDBInstance API reference,
 * ManageMasterUserPassword).</li>
 * </ul>
 */
final class RestoreSettings {
    private RestoreSettings() {
    }

    /** The target's settings the run carries over (empty on a first run). */
    private static CarriedSettings carried(RunContext ctx) {
        return ctx.targetSettings.map(InstanceInfo::carried).orElse(CarriedSettings.NONE);
    }

    /** The retention the instance ends with: configured, else the target's, else the source's. */
    static Integer finalRetention(RunContext ctx) {
        return ctx.spec.backupRetention().orElse(ctx.targetSettings.map(InstanceInfo::backupRetention)
                .orElse(ctx.source == null ? null : ctx.source.backupRetention()));
    }

    static RestoreRequest restore(RunContext ctx, String id) {
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
        Integer storage = t.map(InstanceInfo::allocatedStorage).orElse(null);
        Integer snapshotStorage = ctx.snapshotInfo == null ? null : ctx.snapshotInfo.allocatedStorage();
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
                null,
                // no baseline backup now; the retention comes at the end of the run
                0,
                storage != null && snapshotStorage != null && storage > snapshotStorage ? storage : null,
                carried(ctx));
    }

    /** The one modification right after the restore: only what differs from the restored instance. */
    static ModifyRequest afterRestore(RunContext ctx, InstanceInfo restored) {
        ModifyRequest m = ModifyRequest.of(restored.id());
        if (ctx.spec.resetMasterPassword()) {
            ctx.spec.mysqlPassword().ifPresent(p -> m.masterPassword(p.reveal()));
        }
        if (ctx.targetSettings.map(InstanceInfo::deletionProtection).orElse(false) && !restored.deletionProtection()) {
            m.deletionProtection(true);
        }
        CarriedSettings want = carried(ctx);
        CarriedSettings has = restored.carried();
        if (want.maxAllocatedStorage() != null && !want.maxAllocatedStorage().equals(has.maxAllocatedStorage())) {
            m.maxAllocatedStorage(want.maxAllocatedStorage());
        }
        if (want.monitoringInterval() != null && !want.monitoringInterval().equals(has.monitoringInterval())) {
            m.monitoring(want.monitoringInterval(), want.monitoringInterval() > 0 ? want.monitoringRoleArn() : null);
        }
        if (want.performanceInsights() != null && !want.performanceInsights().equals(has.performanceInsights())) {
            boolean on = want.performanceInsights();
            m.performanceInsights(on, on ? want.performanceInsightsKmsKeyId() : null,
                    on ? want.performanceInsightsRetention() : null);
        }
        if (want.maintenanceWindow() != null && !want.maintenanceWindow().equalsIgnoreCase(
                String.valueOf(has.maintenanceWindow()))) {
            m.maintenanceWindow(want.maintenanceWindow());
        }
        return m;
    }

    /** The modification at the end of the run: backups on, the master password managed again. */
    static ModifyRequest atEnd(RunContext ctx, InstanceInfo now) {
        ModifyRequest m = ModifyRequest.of(now.id());
        Integer retention = finalRetention(ctx);
        if (retention != null && retention != now.backupRetention()) {
            m.backupRetention(retention);
        }
        CarriedSettings want = carried(ctx);
        if (want.managedMasterPassword() && !now.carried().managedMasterPassword()) {
            m.manageMasterPassword("aws/secretsmanager".equals(want.masterUserSecretKmsKeyId()) ? null
                    : want.masterUserSecretKmsKeyId());
        }
        return m;
    }

    /** Every carried setting, for the plan and the restore's log line. */
    static List<String> describe(RestoreRequest r, RunContext ctx) {
        List<String> out = new ArrayList<>();
        add(out, "class", r.instanceClass());
        add(out, "subnet group", r.subnetGroup());
        add(out, "AZ", r.availabilityZone());
        add(out, "security groups", r.securityGroups() == null || r.securityGroups().isEmpty() ? null
                : String.join(",", r.securityGroups()));
        add(out, "parameter group", r.parameterGroup());
        add(out, "option group", r.optionGroup());
        add(out, "port", r.port());
        add(out, "storage", r.storageType());
        add(out, "allocated storage GiB", r.allocatedStorage());
        add(out, "multi-AZ", r.multiAz());
        add(out, "publicly accessible", r.publiclyAccessible());
        CarriedSettings c = r.carried();
        add(out, "Iops", c.iops());
        add(out, "throughput", c.storageThroughput());
        add(out, "IAM database authentication", c.iamDatabaseAuthentication());
        add(out, "log exports", c.cloudwatchLogsExports() == null || c.cloudwatchLogsExports().isEmpty() ? null
                : String.join(",", c.cloudwatchLogsExports()));
        add(out, "copy tags to snapshots", c.copyTagsToSnapshot());
        add(out, "CA", c.caCertificate());
        add(out, "auto minor version upgrade", c.autoMinorVersionUpgrade());
        add(out, "network type", c.networkType());
        add(out, "backup window", c.backupWindow());
        add(out, "backup retention", r.backupRetention() + " now, " + Objects.toString(finalRetention(ctx), "the snapshot's")
                + " at the end");
        return out;
    }

    private static void add(List<String> out, String label, Object value) {
        if (value != null) {
            out.add(label + " " + value);
        }
    }
}
