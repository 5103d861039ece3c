package io.jenkins.plugins.rdssync.core.aws;

import java.util.List;
import java.util.Map;

/** What the engine needs to know of a DB instance, as plain values (never an SDK model object in saved state). */
public record InstanceInfo(String id, String status, String endpointHost, Integer endpointPort, String engine,
        String instanceClass, String subnetGroup, String availabilityZone, List<String> securityGroups,
        String parameterGroup, String parameterApplyStatus, String optionGroup, boolean multiAz,
        boolean publiclyAccessible, String storageType, boolean deletionProtection, String masterUsername,
        int backupRetention, String arn, Map<String, String> tags, List<String> pendingModifications) {

    public InstanceInfo {
        pendingModifications = pendingModifications == null ? List.of() : List.copyOf(pendingModifications);
    }

    public boolean isAvailable() {
        return "available".equals(status);
    }

    /** True when a DB parameter group change waits for a reboot. */
    public boolean pendingReboot() {
        return "pending-reboot".equals(parameterApplyStatus);
    }

    /**
     * Modifications waiting for the maintenance window (PendingModifiedValues): a request with ApplyImmediately
     * applies them too (ModifyDBInstance API reference), a rename included.
     */
    public boolean hasPendingModifications() {
        return !pendingModifications.isEmpty();
    }

    public boolean hasEndpoint() {
        return endpointHost != null && endpointPort != null;
    }
}
