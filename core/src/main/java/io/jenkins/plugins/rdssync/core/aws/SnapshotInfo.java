package io.jenkins.plugins.rdssync.core.aws;

import java.time.Instant;
import java.util.Map;

/** A DB snapshot, as plain values. */
public record SnapshotInfo(String id, String instanceId, String status, int percentProgress, String type,
        Instant createdAt, String masterUsername, String arn, Map<String, String> tags, String engine,
        String engineVersion, Integer allocatedStorage, String storageType) {

    public boolean isAvailable() {
        return "available".equals(status);
    }

    public boolean isAutomated() {
        return "automated".equals(type);
    }
}
