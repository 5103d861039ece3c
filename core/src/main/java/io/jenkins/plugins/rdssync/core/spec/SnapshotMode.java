package io.jenkins.plugins.rdssync.core.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Where the snapshot that the target is restored from comes from. */
public enum SnapshotMode {
    /** One fixed name: delete the previous snapshot of that name, create it anew, wait (the original toolkit). */
    ROLLING,
    /** A new timestamped snapshot each run; the tool keeps the newest {@code snapshotKeep} that it made. */
    NEW,
    /** An existing snapshot, by name; nothing is created or deleted. */
    EXISTING,
    /** The newest automated snapshot of the source; nothing is created or deleted. */
    LATEST_AUTOMATED;

    /** The name used in configuration files and forms, e.g. {@code latest-automated}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static SnapshotMode fromId(String id) {
        for (SnapshotMode m : values()) {
            if (m.id().equalsIgnoreCase(id.trim()) || m.name().equalsIgnoreCase(id.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown snapshotMode '" + id + "'; use one of " + ids());
    }

    public static String ids() {
        return Arrays.stream(values()).map(SnapshotMode::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id();
    }
}
