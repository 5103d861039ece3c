package io.jenkins.plugins.rdssync.core.aws;

import java.util.Set;

/**
 * The one table of DB instance states (DescribeDBInstances DBInstanceStatus) every wait of the engine reads: which
 * states are usable, which pass by themselves, which no waiting cures, and {@code stopped}, which lasts until someone
 * starts the instance. Sources: the RDS User Guide's "Viewing Amazon RDS DB instance status" table, and Terraform's
 * RDS waiter, which treats {@code storage-optimization} as ready (shared/RDS-FACTS.md, "Instance states").
 */
public final class RdsStates {
    public static final String AVAILABLE = "available";
    /** After a storage change: usable, and may last a day or more. */
    public static final String STORAGE_OPTIMIZATION = "storage-optimization";
    public static final String STOPPED = "stopped";
    public static final String STOPPING = "stopping";
    public static final String STARTING = "starting";
    public static final String DELETING = "deleting";
    public static final String BACKING_UP = "backing-up";
    public static final String RENAMING = "renaming";

    /** What a state means for a wait. */
    public enum Kind {
        /** The instance can be used and modified. */
        READY,
        /** RDS is working on it; the state ends by itself. */
        PASSING,
        /** It will not become usable by waiting: someone has to act (or delete it). */
        DEAD_END,
        /** Stays so until StartDBInstance (RDS starts it by itself after 7 days). */
        STOPPED
    }

    private static final Set<String> READY = Set.of(AVAILABLE, STORAGE_OPTIMIZATION);
    private static final Set<String> DEAD_ENDS = Set.of("failed", "incompatible-restore", "incompatible-parameters",
            "incompatible-network", "incompatible-option-group", "incompatible-credentials", "restore-error",
            "inaccessible-encryption-credentials", "inaccessible-encryption-credentials-recoverable",
            "insufficient-capacity", "storage-full");

    private RdsStates() {
    }

    /**
     * The kind of a status. Unknown statuses (RDS adds some now and then: {@code configuring-*}, {@code upgrading},
     * {@code maintenance}, ...) count as passing: the wait's timeout bounds them.
     */
    public static Kind kindOf(String status) {
        if (status == null) {
            return Kind.PASSING;
        }
        if (READY.contains(status)) {
            return Kind.READY;
        }
        if (DEAD_ENDS.contains(status)) {
            return Kind.DEAD_END;
        }
        if (STOPPED.equals(status)) {
            return Kind.STOPPED;
        }
        return Kind.PASSING;
    }

    public static boolean isReady(String status) {
        return kindOf(status) == Kind.READY;
    }

    public static boolean isDeadEnd(String status) {
        return kindOf(status) == Kind.DEAD_END;
    }

    public static boolean isStopped(String status) {
        return kindOf(status) == Kind.STOPPED;
    }

    /** Stopped, or on its way there or back: StartDBInstance (or waiting for it) brings it back. */
    public static boolean isStoppedOrStopping(String status) {
        return STOPPED.equals(status) || STOPPING.equals(status);
    }
}
