package io.jenkins.plugins.rdssync.core.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Stops testers' writes on an instance that is about to be read for the last time, with what RDS allows (no SUPER,
 * so no {@code read_only}): every account but the master user, the engine's own login and the system accounts is
 * locked ({@code ALTER USER ... ACCOUNT LOCK}: no new logins), then the sessions of the locked accounts are ended
 * ({@code CALL mysql.rds_kill(id)} on RDS, {@code KILL CONNECTION id} elsewhere) and awaited until they are gone,
 * so that no write of theirs can be acknowledged after a consistent read taken from then on. Lowering the fence
 * unlocks exactly the accounts it locked (an account locked before stays locked).
 * <p>
 * Accounts are named {@code 'user'@'host'} as SQL writes them.
 */
public final class WriteFence {
    /** Accounts RDS and the server keep for themselves (RDS User Guide, "Master user account privileges"). */
    private static final Set<String> SYSTEM_USERS = Set.of("rdsadmin", "rdsrepladmin", "rdstopmgr", "rdsproxyadmin",
            "root", "mariadb.sys");
    private static final int UNKNOWN_THREAD = 1094;

    /**
     * What raising the fence did.
     *
     * @param locked accounts this fence locked (to unlock when it is lowered)
     * @param alreadyLocked accounts that were locked before (left alone)
     * @param unfenced users whose writes are not fenced (the master user, the engine's login): their sessions go on
     * @param sessionsEnded sessions of locked accounts that were ended
     */
    public record Raised(List<String> locked, List<String> alreadyLocked, List<String> unfenced, int sessionsEnded) {
    }

    private final Duration sessionsGoneWithin;

    public WriteFence() {
        this(Duration.ofSeconds(60));
    }

    WriteFence(Duration sessionsGoneWithin) {
        this.sessionsGoneWithin = sessionsGoneWithin;
    }

    /**
     * Raises the fence (again: locking what is not locked yet, ending what still runs).
     *
     * @param keepUsers users never locked besides the system accounts: the master user and the engine's login
     */
    public Raised raise(DbConnector connector, DbAddress at, Collection<String> keepUsers) throws DbException {
        Set<String> keep = new LinkedHashSet<>();
        for (String u : keepUsers) {
            if (u != null) {
                keep.add(u);
            }
        }
        try (Connection c = connector.open(at, null)) {
            List<String> locked = new ArrayList<>();
            List<String> before = new ArrayList<>();
            Set<String> lockedUsers = new LinkedHashSet<>();
            for (Account a : accounts(c)) {
                if (isSystem(a.user) || keep.contains(a.user)) {
                    continue;
                }
                lockedUsers.add(a.user);
                if (isLocked(c, a)) {
                    before.add(a.sql());
                    continue;
                }
                Sql.exec(c, "ALTER USER " + a.sql() + " ACCOUNT LOCK");
                locked.add(a.sql());
            }
            int ended = endSessions(c, lockedUsers);
            return new Raised(locked, before, new ArrayList<>(keep), ended);
        } catch (SQLException e) {
            throw new DbException(null, "cannot stop testers' writes on " + at + ": " + connector.clean(e.getMessage())
                    + (e.getErrorCode() == 1227 || e.getErrorCode() == 1044 || e.getErrorCode() == 1045
                            ? " (the database login needs the CREATE USER privilege, which the RDS master user has)"
                            : ""), e);
        }
    }

    /** Unlocks the accounts a fence locked; accounts that are gone meanwhile are skipped. */
    public void lower(DbConnector connector, DbAddress at, List<String> accounts) throws DbException {
        if (accounts.isEmpty()) {
            return;
        }
        try (Connection c = connector.open(at, null)) {
            Set<String> exist = new LinkedHashSet<>();
            for (Account a : accounts(c)) {
                exist.add(a.sql());
            }
            for (String a : accounts) {
                if (exist.contains(a)) {
                    Sql.exec(c, "ALTER USER " + a + " ACCOUNT UNLOCK");
                }
            }
        } catch (SQLException e) {
            throw new DbException(null, "cannot let testers write again on " + at + " (unlock " + String.join(", ",
                    accounts) + " by hand with ALTER USER ... ACCOUNT UNLOCK): " + connector.clean(e.getMessage()), e);
        }
    }

    /** Sessions of these users still connected (other than ours). */
    private static List<Long> sessionsOf(Connection c, Set<String> users) throws SQLException {
        List<Long> ids = new ArrayList<>();
        if (users.isEmpty()) {
            return ids;
        }
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT ID, USER FROM information_schema.PROCESSLIST"
                        + " WHERE ID <> CONNECTION_ID()")) {
            while (rs.next()) {
                if (users.contains(rs.getString(2))) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    /** Ends the sessions and waits until they are gone from the process list (killed ones linger a moment). */
    private int endSessions(Connection c, Set<String> users) throws SQLException, DbException {
        Set<Long> ended = new LinkedHashSet<>();
        long deadline = System.nanoTime() + sessionsGoneWithin.toNanos();
        Boolean rdsKill = null;
        while (true) {
            List<Long> live = sessionsOf(c, users);
            if (live.isEmpty()) {
                return ended.size();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new DbException(null, live.size() + " sessions of locked accounts did not end within "
                        + sessionsGoneWithin.toSeconds() + " s (ids " + live + ")");
            }
            for (long id : live) {
                if (ended.add(id)) {
                    rdsKill = kill(c, id, rdsKill);
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DbException(null, "interrupted while ending testers' sessions");
            }
        }
    }

    /**
     * RDS gives no SUPER: its own procedure ends another user's session (RDS User Guide, "Ending a session or
     * query": {@code CALL mysql.rds_kill}); elsewhere KILL does. Returns whether rds_kill is the way on this server.
     */
    private static Boolean kill(Connection c, long id, Boolean rdsKill) throws SQLException {
        if (!Boolean.FALSE.equals(rdsKill)) {
            try {
                Sql.exec(c, "CALL mysql.rds_kill(" + id + ")");
                return true;
            } catch (SQLException e) {
                if (e.getErrorCode() == UNKNOWN_THREAD) {
                    return true;
                }
                if (Boolean.TRUE.equals(rdsKill)) {
                    throw e;
                }
                // no such procedure (not RDS): KILL below
            }
        }
        try {
            Sql.exec(c, "KILL CONNECTION " + id);
        } catch (SQLException e) {
            if (e.getErrorCode() != UNKNOWN_THREAD) {
                throw e;
            }
        }
        return false;
    }

    private static boolean isSystem(String user) {
        String u = user.toLowerCase(Locale.ROOT);
        return u.isEmpty() || SYSTEM_USERS.contains(u) || u.startsWith("mysql.");
    }

    private record Account(String user, String host) {
        String sql() {
            return Sql.literal(user) + "@" + Sql.literal(host);
        }
    }

    /** The accounts of the server, without roles (MariaDB marks them is_role; MySQL 8's are locked anyway). */
    private static List<Account> accounts(Connection c) throws SQLException {
        List<Account> out = new ArrayList<>();
        boolean roleColumn = false;
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.COLUMNS"
                        + " WHERE TABLE_SCHEMA = 'mysql' AND TABLE_NAME = 'user' AND COLUMN_NAME = 'is_role'")) {
            roleColumn = rs.next() && rs.getLong(1) > 0;
        }
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT User, Host FROM mysql.user"
                        + (roleColumn ? " WHERE is_role <> 'Y'" : "") + " ORDER BY User, Host")) {
            while (rs.next()) {
                out.add(new Account(rs.getString(1), rs.getString(2)));
            }
        }
        return out;
    }

    /** SHOW CREATE USER says ACCOUNT LOCK on MySQL 8 and MariaDB alike (their tables differ). */
    private static boolean isLocked(Connection c, Account a) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW CREATE USER " + a.sql())) {
            return rs.next() && rs.getString(1).toUpperCase(Locale.ROOT).contains("ACCOUNT LOCK");
        }
    }
}
