package io.jenkins.plugins.rdssync.core.db;

import java.io.Serializable;

/**
 * A table whose rows with {@code key >= offset} are preserved across the clone, as resolved on the target: real
 * schema and table names, and the integer key column.
 */
public record PreservedTable(String schema, String table, String key) implements Serializable {

    /** {@code schema.table}, the name used in logs, manifests and row counts. */
    public String qualified() {
        return schema + "." + table;
    }

    @Override
    public String toString() {
        return qualified() + ":" + key;
    }
}
