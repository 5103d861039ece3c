package io.jenkins.plugins.rdssync.core.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Proof of which instance a name reaches. After a swap the target's name may still lead to the old instance (a
 * resolver's cached DNS record, RDS User Guide "Renaming a DB instance"), and both answer a login alike; only the new
 * instance holds this marker, written through its own endpoint before the renames and removed once acceptance is
 * proven to answer from it. It lives in a schema of its own, which the engine never preserves or runs SQL in.
 */
public final class SwitchMarker {
    public static final String SCHEMA = "rds_sync_switch";
    private static final String TABLE = SCHEMA + ".marker";

    private SwitchMarker() {
    }

    /** Writes the marker of this run (again, if it is there). */
    public static void write(DbConnector connector, DbAddress at, String runId) throws DbException {
        try (Connection c = connector.open(at, null)) {
            Sql.exec(c, "CREATE DATABASE IF NOT EXISTS " + SCHEMA);
            Sql.exec(c, "CREATE TABLE IF NOT EXISTS " + TABLE + " (run VARCHAR(64) NOT NULL PRIMARY KEY)");
            try (PreparedStatement ps = c.prepareStatement("REPLACE INTO " + TABLE + " (run) VALUES (?)")) {
                ps.setString(1, runId);
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new DbException(null, "cannot mark the new instance at " + at + " (needs CREATE on " + SCHEMA
                    + "): " + connector.clean(e.getMessage()), e);
        }
    }

    /** Does the instance reached at this address hold this run's marker? Empty when it cannot be asked now. */
    public static Optional<Boolean> holds(DbConnector connector, DbAddress at, String runId) {
        try (Connection c = connector.open(at, null);
                PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM information_schema.TABLES"
                        + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'marker'")) {
            ps.setString(1, SCHEMA);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getLong(1) == 0) {
                    return Optional.of(false);
                }
            }
            try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM " + TABLE + " WHERE run = ?")) {
                q.setString(1, runId);
                try (ResultSet rs = q.executeQuery()) {
                    return Optional.of(rs.next() && rs.getLong(1) > 0);
                }
            }
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    /** Removes the marker schema. */
    public static void remove(DbConnector connector, DbAddress at) throws DbException {
        try (Connection c = connector.open(at, null)) {
            Sql.exec(c, "DROP DATABASE IF EXISTS " + SCHEMA);
        } catch (SQLException e) {
            throw new DbException(null, "cannot remove the schema " + SCHEMA + " from " + at + ": "
                    + connector.clean(e.getMessage()), e);
        }
    }
}
