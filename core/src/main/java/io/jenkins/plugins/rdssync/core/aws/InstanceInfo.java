package io.jenkins.plugins.rdssync.core.aws;

import java.util.List;
import java.util.Map;

/**
 * What the engine needs to know of a DB instance, as plain values (never an SDK model object in saved state).
 *
 * @param clusterId the DB cluster it belongs to (Multi-AZ DB cluster, Aurora), else null
 * @param replicaSource the instance it is a read replica of, else null
 * @param readReplicas its own read replicas
 */
public record InstanceInfo(String id, String status, String endpointHost, Integer endpointPort, String engine,
        String instanceClass, String subnetGroup, String availabilityZone, List<String> securityGroups,
        String parameterGroup, String parameterApplyStatus, String optionGroup, boolean multiAz,
        boolean publiclyAccessible, String storageType, boolean deletionProtection, String masterUsername,
        int backupRetention, String arn, Map<String, String> tags, String engineVersion, Integer allocatedStorage,
        String clusterId, String replicaSource, List<String> readReplicas, CarriedSettings carried,
        List<String> pendingModifications) {

    public InstanceInfo {
        readReplicas = readReplicas == null ? List.of() : List.copyOf(readReplicas);
        carried = carried == null ? CarriedSettings.NONE : carried;
        pendingModifications = pendingModifications == null ? List.of() : List.copyOf(pendingModifications);
    }

    /** Usable: {@code available}, or {@code storage-optimization} (see {@link RdsStates}). */
    public boolean isAvailable() {
        return RdsStates.isReady(status);
    }

    public boolean isStopped() {
        return RdsStates.isStopped(status);
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

    /** The parameter group is still being applied: neither in-sync nor pending-reboot yet. */
    public boolean applyingParameters() {
        return "applying".equals(parameterApplyStatus);
    }

    public boolean hasEndpoint() {
        return endpointHost != null && endpointPort != null;
    }

    /** A copy with another status (for settings kept in the journal). */
    public InstanceInfo withStatus(String s) {
        return new InstanceInfo(id, s, endpointHost, endpointPort, engine, instanceClass, subnetGroup,
                availabilityZone, securityGroups, parameterGroup, parameterApplyStatus, optionGroup, multiAz,
                publiclyAccessible, storageType, deletionProtection, masterUsername, backupRetention, arn, tags,
                engineVersion, allocatedStorage, clusterId, replicaSource, readReplicas, carried, pendingModifications);
    }
}
