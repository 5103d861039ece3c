package io.jenkins.plugins.rdssync.core.stage;

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
        String sgs = m.get(P + "securityGroups");
        List<String> groups = sgs == null || sgs.isEmpty() ? List.of() : Arrays.asList(sgs.split(","));
        String port = m.get(P + "port");
        return Optional.of(new InstanceInfo(m.get(P + "id"), "gone", null,
                port == null ? null : Integer.valueOf(port), m.get(P + "engine"), m.get(P + "instanceClass"),
                m.get(P + "subnetGroup"), m.get(P + "availabilityZone"), groups, m.get(P + "parameterGroup"), null,
                m.get(P + "optionGroup"), Boolean.parseBoolean(m.get(P + "multiAz")),
                Boolean.parseBoolean(m.get(P + "publiclyAccessible")), m.get(P + "storageType"),
                Boolean.parseBoolean(m.get(P + "deletionProtection")), null,
                Integer.parseInt(m.getOrDefault(P + "backupRetention", "0")), null, tags, List.of()));
    }
}
