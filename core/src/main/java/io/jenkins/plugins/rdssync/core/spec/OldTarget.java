package io.jenkins.plugins.rdssync.core.spec;

import java.util.Locale;

/**
 * What becomes of the old target once acceptance answers from the new instance (swap) or before it is replaced
 * (replace): the old instance holds every write a tester made until the fence, so it is not destroyed without a way
 * back unless asked.
 */
public enum OldTarget {
    /** Delete it with a final snapshot {@code <target>-rds-sync-final} (the previous one of that name removed). */
    SNAPSHOT,
    /** swap only: keep it, stopped from taking writes, as {@code <target>-rds-sync-old} for oldTargetKeepHours. */
    KEEP,
    /** Delete it without a final snapshot. */
    DELETE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static OldTarget fromId(String id) {
        for (OldTarget o : values()) {
            if (o.id().equalsIgnoreCase(id.trim())) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown oldTarget '" + id + "'; use snapshot, keep or delete");
    }

    @Override
    public String toString() {
        return id();
    }
}
