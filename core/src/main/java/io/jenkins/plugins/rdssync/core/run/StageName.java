package io.jenkins.plugins.rdssync.core.run;

import java.util.Locale;

/** The named steps of a run, in the order they can happen. Each is the unit of logging and of resume. */
public enum StageName {
    PREFLIGHT("Preflight"),
    SNAPSHOT("Snapshot"),
    BACKUP("Backup"),
    /** With the source in another account or region: share the snapshot there, copy it here. */
    COPY("Share and copy"),
    DELETE_TARGET("Delete target"),
    RESTORE("Restore"),
    POST_SQL("Post-restore SQL"),
    OFFSET("Offset"),
    MIGRATIONS("Migrations"),
    RELOAD("Reload"),
    SWITCH("Switch"),
    CLEANUP("Cleanup");

    private final String title;

    StageName(String title) {
        this.title = title;
    }

    /** The name shown to users, e.g. "Post-restore SQL". */
    public String title() {
        return title;
    }

    /** The key used in configuration (stageTimeoutMinutes) and the journal, e.g. "post-sql". */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static StageName fromId(String id) {
        for (StageName s : values()) {
            if (s.id().equalsIgnoreCase(id) || s.name().equalsIgnoreCase(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown stage '" + id + "'");
    }

    @Override
    public String toString() {
        return title;
    }
}
