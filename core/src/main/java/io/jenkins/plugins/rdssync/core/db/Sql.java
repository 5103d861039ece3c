package io.jenkins.plugins.rdssync.core.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.regex.Pattern;

/** Small SQL helpers shared by the package: identifier quoting, session settings, one-line shortening. */
final class Sql {
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_]+");

    private Sql() {
    }

    /** A MySQL identifier in backticks. */
    static String id(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /** {@code `schema`.`table`}. */
    static String id(String schema, String table) {
        return id(schema) + "." + id(table);
    }

    /** A character set or collation name taken from information_schema, checked before it goes into SQL. */
    static String word(String name) {
        if (name == null || !WORD.matcher(name).matches()) {
            throw new IllegalArgumentException("unexpected character set or collation name: " + name);
        }
        return name;
    }

    /** A string literal safe under any sql_mode (no backslash escapes needed). */
    static String literal(String s) {
        StringBuilder b = new StringBuilder("'");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'') {
                b.append("''");
            } else if (c == '\\') {
                // under NO_BACKSLASH_ESCAPES a lone backslash is literal; elsewhere it must be doubled
                b.append("\\\\");
            } else {
                b.append(c);
            }
        }
        return b.append('\'').toString();
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.setEscapeProcessing(false);
            s.execute(sql);
        }
    }

    static long queryLong(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Does the server know this system variable? (e.g. MySQL 8's information_schema_stats_expiry) */
    static boolean hasVariable(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW VARIABLES LIKE " + literal(name))) {
            return rs.next();
        }
    }

    /**
     * Session settings of every connection that moves preserved data: UTC for TIMESTAMP values, no backslash
     * surprises, zero keys kept as written, and values neither truncated nor silently changed.
     */
    static void dataSession(Connection c) throws SQLException {
        exec(c, "SET SESSION time_zone = '+00:00', SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION'");
    }

    /** {@link #dataSession} for loading: also without foreign key checks, so tables load in any order. */
    static void loadSession(Connection c) throws SQLException {
        exec(c, "SET SESSION time_zone = '+00:00', SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION',"
                + " SESSION FOREIGN_KEY_CHECKS = 0");
    }

    /** A statement shortened to one line for the log. */
    static String oneLine(String sql, int max) {
        String s = sql.replaceAll("\\s+", " ").trim();
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    static boolean isIntegerType(String dataType) {
        switch (dataType.toLowerCase(Locale.ROOT)) {
            case "tinyint", "smallint", "mediumint", "int", "integer", "bigint":
                return true;
            default:
                return false;
        }
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String rate(long rows, long nanos) {
        if (nanos <= 0 || rows == 0) {
            return "";
        }
        return String.format(Locale.ROOT, ", %,.0f rows/s", rows / (nanos / 1e9));
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        if (n < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GiB", n / (1024.0 * 1024 * 1024));
    }
}
