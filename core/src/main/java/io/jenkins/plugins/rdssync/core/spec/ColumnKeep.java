package io.jenkins.plugins.rdssync.core.spec;

import java.io.Serializable;

/**
 * Values of one column kept across the clone, for the rows matching {@code where} (all rows when null).
 * Written {@code [schema.]table.column}; {@code key} defaults to the table's primary key.
 */
public record ColumnKeep(String schema, String table, String column, String key, String where)
        implements Serializable {

    /** Parses {@code [schema.]table.column}. */
    public static ColumnKeep parse(String text) {
        String t = text.trim();
        String[] parts = t.split("\\.");
        if (parts.length == 2 && !parts[0].isBlank() && !parts[1].isBlank()) {
            return new ColumnKeep(null, parts[0], parts[1], null, null);
        }
        if (parts.length == 3 && !parts[0].isBlank() && !parts[1].isBlank() && !parts[2].isBlank()) {
            return new ColumnKeep(parts[0], parts[1], parts[2], null, null);
        }
        throw new IllegalArgumentException("preserveColumns entry '" + text
                + "' is not of the form table.column (for example users.password_hash)");
    }

    public ColumnKeep withKey(String newKey) {
        return new ColumnKeep(schema, table, column, newKey, where);
    }

    public ColumnKeep withWhere(String newWhere) {
        return new ColumnKeep(schema, table, column, key, newWhere);
    }

    @Override
    public String toString() {
        return (schema == null ? "" : schema + ".") + table + "." + column + (where == null ? "" : " where " + where);
    }
}
