package io.jenkins.plugins.rdssync.testkit;

/**
 * The DB instance statuses the emulator shows (RDS User Guide, "Viewing Amazon RDS DB instance status"; the states
 * table of shared/RDS-FACTS.md).
 */
final class InstanceStatus {
    static final String AVAILABLE = "available";
    static final String CREATING = "creating";
    static final String BACKING_UP = "backing-up";
    static final String MODIFYING = "modifying";
    static final String STORAGE_OPTIMIZATION = "storage-optimization";
    static final String STOPPING = "stopping";
    static final String STOPPED = "stopped";
    static final String STARTING = "starting";
    static final String DELETING = "deleting";

    private InstanceStatus() {
    }

    /**
     * Accepts ModifyDBInstance, CreateDBSnapshot, StopDBInstance: available, and storage-optimization, during which the
     * instance is fully usable (aws-cloudformation-resource-providers-rds#267; RDS User Guide, "Working with storage":
     * no further storage change until it ends).
     */
    static boolean usable(String status) {
        return AVAILABLE.equals(status) || STORAGE_OPTIMIZATION.equals(status);
    }
}
