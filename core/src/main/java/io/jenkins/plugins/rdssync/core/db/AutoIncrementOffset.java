package io.jenkins.plugins.rdssync.core.db;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sets {@code AUTO_INCREMENT = offset} on the preserved tables of a restored target, so that rows made on
 * acceptance from then on are recognisable, and reads the counter back. MySQL 8 caches
 * {@code information_schema.TABLES.AUTO_INCREMENT}; this class reads it with
 * {@code information_schema_stats_expiry = 0} where that variable exists, and falls back to
 * {@code SHOW CREATE TABLE}.
 */
public final class AutoIncrementOffset {
    static final String FIELD = "offset";
    private static final Pattern TABLE_OPTION = Pattern.compile("\\)[^)]*\\bAUTO_INCREMENT=(\\d+)");

    /**
     * Refuses when restored production keys already reach the offset: acceptance rows could no longer be told from
     * production rows.
     *
     * @throws DbException (field {@code offset}) naming each table and its {@code MAX(key)}
     */
    public void checkNoCollision(Connection c, List<PreservedTable> tables, long offset) throws DbException {
        List<String> hits = new ArrayList<>();
        try {
            for (PreservedTable t : tables) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(" + Sql.id(t.key())
                        + ") FROM " + Sql.id(t.schema(), t.table()))) {
                    if (rs.next()) {
                        BigInteger max = toBig(rs.getString(1));
                        if (max != null && max.compareTo(BigInteger.valueOf(offset)) >= 0) {
                            hits.add(t.qualified() + " has MAX(" + t.key() + ") = " + max);
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new DbException(null, "cannot read the largest keys of the preserved tables: " + e.getMessage(), e);
        }
        if (!hits.isEmpty()) {
            throw new DbException(FIELD, "production keys already reach the offset " + offset + ": "
                    + String.join("; ", hits) + ". Rows made on acceptance could no longer be told from production"
                    + " rows; raise offset above the largest production key (or leave these tables out of"
                    + " preserveTables).");
        }
    }

    /**
     * Sets {@code AUTO_INCREMENT = offset} on every table that has an AUTO_INCREMENT column and checks the value
     * read back. Where rows at or above the offset exist the server keeps {@code MAX(key) + 1}, which is reported.
     *
     * @throws DbException when a table's counter stays below the offset
     */
    public void apply(Connection c, List<PreservedTable> tables, long offset, DbProgress progress) throws DbException {
        try {
            prepare(c);
            for (PreservedTable t : tables) {
                if (!hasAutoIncrementColumn(c, t)) {
                    progress.log(t.qualified() + " has no AUTO_INCREMENT column: new rows there must choose keys >= "
                            + offset + " themselves");
                    continue;
                }
                Sql.exec(c, "ALTER TABLE " + Sql.id(t.schema(), t.table()) + " AUTO_INCREMENT = " + offset);
                OptionalLong now = read(c, t);
                if (now.isEmpty() || now.getAsLong() < offset) {
                    throw new DbException(FIELD, "AUTO_INCREMENT of " + t.qualified() + " is "
                            + (now.isEmpty() ? "unknown" : now.getAsLong()) + " after setting it to " + offset);
                }
                progress.log(t.qualified() + ": AUTO_INCREMENT = " + now.getAsLong()
                        + (now.getAsLong() == offset ? "" : " (rows at or above " + offset + " exist)"));
            }
        } catch (SQLException e) {
            throw new DbException(null, "cannot set AUTO_INCREMENT = " + offset + ": " + e.getMessage(), e);
        }
    }

    /** Is the counter of every preserved table with an AUTO_INCREMENT column at or above the offset? */
    public boolean isApplied(Connection c, List<PreservedTable> tables, long offset) throws DbException {
        try {
            prepare(c);
            for (PreservedTable t : tables) {
                if (!hasAutoIncrementColumn(c, t)) {
                    continue;
                }
                OptionalLong now = read(c, t);
                if (now.isEmpty() || now.getAsLong() < offset) {
                    return false;
                }
            }
            return true;
        } catch (SQLException e) {
            throw new DbException(null, "cannot read AUTO_INCREMENT: " + e.getMessage(), e);
        }
    }

    /** The table's current AUTO_INCREMENT counter (the next key), empty when it has no AUTO_INCREMENT column. */
    public OptionalLong current(Connection c, PreservedTable t) throws DbException {
        try {
            prepare(c);
            return read(c, t);
        } catch (SQLException e) {
            throw new DbException(null, "cannot read AUTO_INCREMENT of " + t.qualified() + ": " + e.getMessage(), e);
        }
    }

    /** MySQL 8: no cached statistics in information_schema for this session. */
    private static void prepare(Connection c) throws SQLException {
        if (Sql.hasVariable(c, "information_schema_stats_expiry")) {
            Sql.exec(c, "SET SESSION information_schema_stats_expiry = 0");
        }
    }

    private static OptionalLong read(Connection c, PreservedTable t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT AUTO_INCREMENT FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, t.schema());
            ps.setString(2, t.table());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    long v = rs.getLong(1);
                    if (!rs.wasNull()) {
                        return OptionalLong.of(v);
                    }
                }
            }
        }
        // fall back to the table options of SHOW CREATE TABLE, always current
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW CREATE TABLE " + Sql.id(t.schema(), t.table()))) {
            if (rs.next()) {
                String ddl = rs.getString(2);
                int close = ddl.lastIndexOf(')');
                Matcher m = TABLE_OPTION.matcher(close < 0 ? ddl : ddl.substring(close));
                if (m.find()) {
                    return OptionalLong.of(Long.parseLong(m.group(1)));
                }
                if (hasAutoIncrementColumn(c, t)) {
                    return OptionalLong.of(1); // SHOW CREATE TABLE leaves out AUTO_INCREMENT=1
                }
            }
        }
        return OptionalLong.empty();
    }

    private static boolean hasAutoIncrementColumn(Connection c, PreservedTable t) throws SQLException {
        for (ColumnMeta m : Catalog.columns(c, t.schema(), t.table())) {
            if (m.autoIncrement()) {
                return true;
            }
        }
        return false;
    }

    private static BigInteger toBig(String s) {
        if (s == null) {
            return null;
        }
        try {
            return new BigInteger(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
