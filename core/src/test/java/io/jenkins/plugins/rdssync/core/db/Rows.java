package io.jenkins.plugins.rdssync.core.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** Byte-exact pictures of table contents, for comparing before and after. */
final class Rows {
    private Rows() {
    }

    /**
     * Every row of the table in key order, every column (generated ones too) as the hex of the server's bytes;
     * FLOAT and DOUBLE also as exact decimals, since their text form could hide a difference.
     */
    static List<String> snapshot(Connection c, String schema, String table, String key) throws SQLException {
        List<String> types = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '" + schema
                        + "' AND TABLE_NAME = '" + table + "' ORDER BY ORDINAL_POSITION")) {
            while (rs.next()) {
                names.add(rs.getString(1));
                types.add(rs.getString(2).toLowerCase(Locale.ROOT));
            }
        }
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < names.size(); i++) {
            String col = "`" + names.get(i) + "`";
            sql.append(i == 0 ? "" : ", ").append(col);
            if (types.get(i).equals("float") || types.get(i).equals("double")) {
                sql.append(", CAST(").append(col).append(" AS DECIMAL(65,30))");
            }
        }
        sql.append(" FROM `").append(schema).append("`.`").append(table).append("` ORDER BY `").append(key)
                .append('`');
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            s.execute("SET SESSION time_zone = '+00:00'");
            try (ResultSet rs = s.executeQuery(sql.toString())) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        byte[] v = rs.getBytes(i);
                        row.append(i == 1 ? "" : " | ").append(md.getColumnLabel(i)).append('=')
                                .append(v == null ? "NULL" : HexFormat.of().formatHex(v));
                    }
                    out.add(row.toString());
                }
            }
        }
        return out;
    }

    /** Fails with the first differing row and column instead of two walls of hex. */
    static void assertSame(String what, List<String> expected, List<String> actual) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                String[] e = expected.get(i).split(" \\| ");
                String[] a = actual.get(i).split(" \\| ");
                for (int k = 0; k < Math.min(e.length, a.length); k++) {
                    if (!e[k].equals(a[k])) {
                        throw new AssertionError(what + ": row " + i + " (" + e[0] + ") differs in " + e[k] + " but was " + a[k]);
                    }
                }
                throw new AssertionError(what + ": row " + i + " differs");
            }
        }
        if (expected.size() != actual.size()) {
            throw new AssertionError(what + ": " + expected.size() + " rows expected, " + actual.size() + " found");
        }
    }

    /** CHECKSUM TABLE ... EXTENDED: a byte-level checksum of every row. */
    static long checksum(Connection c, String schema, String table) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("CHECKSUM TABLE `" + schema + "`.`" + table + "` EXTENDED")) {
            rs.next();
            return rs.getLong(2);
        }
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String string(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
