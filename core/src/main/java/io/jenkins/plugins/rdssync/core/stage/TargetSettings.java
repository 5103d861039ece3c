package io.jenkins.plugins.rdssync.core.stage;

import io.jenkins.plugins.rdssync.core.aws.CarriedSettings;
import io.jenkins.plugins.rdssync.core.aws.InstanceInfo;
import io.jenkins.plugins.rdssync.core.run.Journal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The target's restore settings in the journal ({@code target.*}): written when a run starts, read by a resume that
 * no longer finds the target (replace deleted it; swap renamed it), so that the replacement is restored with the
 * settings of the instance it replaces and not with RDS defaults. Plain values, no secret.
 */
final class TargetSettings {
    private static final String P = "target.";
    private static final String TAG = P + "tag.";
    private static final String C = P + "carried.";

    private TargetSettings() {
    }

    static void save(Journal journal, InstanceInfo t) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(P + "id", t.id());
        m.put(P + "instanceClass", t.instanceClass());
        m.put(P + "subnetGroup", t.subnetGroup());
        m.put(P + "availabilityZone", t.availabilityZone());
        m.put(P + "securityGroups", t.securityGroups() == null ? null : String.join(",", t.securityGroups()));
        m.put(P + "parameterGroup", t.parameterGroup());
        m.put(P + "optionGroup", t.optionGroup());
        m.put(P + "port", t.endpointPort() == null ? null : t.endpointPort().toString());
        m.put(P + "storageType", t.storageType());
        m.put(P + "multiAz", Boolean.toString(t.multiAz()));
        m.put(P + "publiclyAccessible", Boolean.toString(t.publiclyAccessible()));
        m.put(P + "deletionProtection", Boolean.toString(t.deletionProtection()));
        m.put(P + "backupRetention", Integer.toString(t.backupRetention()));
        m.put(P + "engine", t.engine());
        m.put(P + "engineVersion", t.engineVersion());
        m.put(P + "allocatedStorage", str(t.allocatedStorage()));
        CarriedSettings c = t.carried();
        m.put(C + "iops", str(c.iops()));
        m.put(C + "storageThroughput", str(c.storageThroughput()));
        m.put(C + "maxAllocatedStorage", str(c.maxAllocatedStorage()));
        m.put(C + "iamDatabaseAuthentication", str(c.iamDatabaseAuthentication()));
        m.put(C + "cloudwatchLogsExports", c.cloudwatchLogsExports() == null ? null
                : String.join(",", c.cloudwatchLogsExports()));
        m.put(C + "copyTagsToSnapshot", str(c.copyTagsToSnapshot()));
        m.put(C + "caCertificate", c.caCertificate());
        m.put(C + "autoMinorVersionUpgrade", str(c.autoMinorVersionUpgrade()));
        m.put(C + "networkType", c.networkType());
        m.put(C + "monitoringInterval", str(c.monitoringInterval()));
        m.put(C + "monitoringRoleArn", c.monitoringRoleArn());
        m.put(C + "performanceInsights", str(c.performanceInsights()));
        m.put(C + "performanceInsightsKmsKeyId", c.performanceInsightsKmsKeyId());
        m.put(C + "performanceInsightsRetention", str(c.performanceInsightsRetention()));
        m.put(C + "maintenanceWindow", c.maintenanceWindow());
        m.put(C + "backupWindow", c.backupWindow());
        m.put(C + "masterUserSecretKmsKeyId", c.masterUserSecretKmsKeyId());
        m.values().removeIf(java.util.Objects::isNull);
        t.tags().forEach((k, v) -> m.put(TAG + k, v));
        journal.putAll(m);
    }

    static Optional<InstanceInfo> load(Journal journal) {
        Map<String, String> m = journal.withPrefix(P);
        if (!m.containsKey(P + "id")) {
            return Optional.empty();
        }
        Map<String, String> tags = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (k.startsWith(TAG)) {
                tags.put(k.substring(TAG.length()), v);
            }
        });
        CarriedSettings c = new CarriedSettings(integer(m, C + "iops"), integer(m, C + "storageThroughput"),
                integer(m, C + "maxAllocatedStorage"), bool(m, C + "iamDatabaseAuthentication"),
                m.containsKey(C + "cloudwatchLogsExports") ? list(m.get(C + "cloudwatchLogsExports")) : null,
                bool(m, C + "copyTagsToSnapshot"), m.get(C + "caCertificate"), bool(m, C + "autoMinorVersionUpgrade"),
                m.get(C + "networkType"), integer(m, C + "monitoringInterval"), m.get(C + "monitoringRoleArn"),
                bool(m, C + "performanceInsights"), m.get(C + "performanceInsightsKmsKeyId"),
                integer(m, C + "performanceInsightsRetention"), m.get(C + "maintenanceWindow"),
                m.get(C + "backupWindow"), m.get(C + "masterUserSecretKmsKeyId"));
        String port = m.get(P + "port");
        return Optional.of(new InstanceInfo(m.get(P + "id"), "gone", null,
                port == null ? null : Integer.valueOf(port), m.get(P + "engine"), m.get(P + "instanceClass"),
                m.get(P + "subnetGroup"), m.get(P + "availabilityZone"), list(m.get(P + "securityGroups")),
                m.get(P + "parameterGroup"), null,
                m.get(P + "optionGroup"), Boolean.parseBoolean(m.get(P + "multiAz")),
                Boolean.parseBoolean(m.get(P + "publiclyAccessible")), m.get(P + "storageType"),
                Boolean.parseBoolean(m.get(P + "deletionProtection")), null,
                Integer.parseInt(m.getOrDefault(P + "backupRetention", "0")), null, tags, m.get(P + "engineVersion"),
                integer(m, P + "allocatedStorage"), null, null, List.of(), c, List.of()));
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    private static Integer integer(Map<String, String> m, String key) {
        String v = m.get(key);
        return v == null || v.isEmpty() ? null : Integer.valueOf(v);
    }

    private static Boolean bool(Map<String, String> m, String key) {
        String v = m.get(key);
        return v == null || v.isEmpty() ? null : Boolean.valueOf(v);
    }

    private static List<String> list(String v) {
        return v == null || v.isEmpty() ? List.of() : Arrays.asList(v.split(","));
    }
}
