package io.jenkins.plugins.rdssync.core.spec;

import java.io.Serializable;

/**
 * A table whose rows with {@code key >= offset} are preserved. Written {@code table:key} or
 * {@code schema.table:key}; without a schema the table is looked up in every configured database.
 */
public record TableKey(String schema, String table, String key) implements Serializable {

    /** Parses {@code [schema.]table:key}. */
    public static TableKey parse(String text) {
        String t = text.trim();
        int colon = t.indexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException("preserveTables entry '" + text
                    + "' is not of the form table:key (for example orders:id or shop.orders:id)");
        }
        String name = t.substring(0, colon).trim();
        String key = t.substring(colon + 1).trim();
        int dot = name.indexOf('.');
        return dot > 0 ? new TableKey(name.substring(0, dot), name.substring(dot + 1), key)
                : new TableKey(null, name, key);
    }

    @Override
    public String toString() {
        return (schema == null ? "" : schema + ".") + table + ":" + key;
    }
}
