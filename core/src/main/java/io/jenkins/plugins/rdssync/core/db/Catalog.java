package io.jenkins.plugins.rdssync.core.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads tables, columns and keys from information_schema. */
final class Catalog {
    private Catalog() {
    }

    /** The columns of a table in ordinal order; empty when the table does not exist. */
    static List<ColumnMeta> columns(Connection c, String schema, String table) throws SQLException {
        List<ColumnMeta> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, CHARACTER_SET_NAME,"
                + " COLLATION_NAME, EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"
                + " ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(meta(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6)));
                }
            }
        }
        return out;
    }

    static ColumnMeta meta(String name, String dataType, String columnType, String charset, String collation,
            String extra) {
        String e = extra == null ? "" : extra.toLowerCase(Locale.ROOT);
        // MySQL: "VIRTUAL GENERATED" / "STORED GENERATED" (but "DEFAULT_GENERATED" is a default expression);
        // MariaDB: "VIRTUAL GENERATED" / "STORED GENERATED", older "PERSISTENT" / "VIRTUAL"
        boolean generated = e.contains("virtual generated") || e.contains("stored generated")
                || e.contains("persistent generated") || e.equals("virtual") || e.equals("persistent");
        return new ColumnMeta(name, dataType, columnType, charset, collation, generated,
                e.contains("auto_increment"));
    }

    static ColumnMeta column(List<ColumnMeta> columns, String name) {
        for (ColumnMeta m : columns) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        for (ColumnMeta m : columns) {
            if (m.name().equalsIgnoreCase(name)) {
                return m;
            }
        }
        return null;
    }

    /** Base tables of the given schemas: schema → table names, in name order. */
    static Map<String, List<String>> tables(Connection c, Collection<String> schemas) throws SQLException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String s : schemas) {
            out.put(s, new ArrayList<>());
        }
        if (schemas.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA IN (" + placeholders(schemas.size()) + ") AND TABLE_TYPE = 'BASE TABLE'"
                + " ORDER BY TABLE_SCHEMA, TABLE_NAME")) {
            int i = 1;
            for (String s : schemas) {
                ps.setString(i++, s);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        return out;
    }

    /** Primary key columns in key order; empty when the table has none. */
    static List<String> primaryKey(Connection c, String schema, String table) throws SQLException {
        return indexColumns(c, schema, table).getOrDefault("PRIMARY", List.of());
    }

    /** Unique indexes (including PRIMARY): index name → columns in index order. */
    static Map<String, List<String>> uniqueIndexes(Connection c, String schema, String table) throws SQLException {
        return indexColumns(c, schema, table);
    }

    private static Map<String, List<String>> indexColumns(Connection c, String schema, String table)
            throws SQLException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT INDEX_NAME, COLUMN_NAME"
                + " FROM information_schema.STATISTICS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND NON_UNIQUE = 0 ORDER BY INDEX_NAME, SEQ_IN_INDEX")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        return out;
    }

    static String placeholders(int n) {
        return String.join(",", java.util.Collections.nCopies(n, "?"));
    }
}
