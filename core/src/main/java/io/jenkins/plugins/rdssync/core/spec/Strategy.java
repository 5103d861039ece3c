package io.jenkins.plugins.rdssync.core.spec;

import java.util.Locale;

/** How the target is replaced by the restored instance. */
public enum Strategy {
    /**
     * Restore under a temporary id and do all SQL work there while the old target still serves; re-copy the
     * preserved rows changed meanwhile; then rename the old target away and the new one in. Acceptance is
     * down for the renames only.
     */
    SWAP,
    /** The original toolkit's order: delete the target, restore under its name, then the SQL stages. */
    REPLACE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Strategy fromId(String id) {
        for (Strategy s : values()) {
            if (s.id().equalsIgnoreCase(id.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown strategy '" + id + "'; use swap or replace");
    }

    @Override
    public String toString() {
        return id();
    }
}
