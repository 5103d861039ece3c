package io.jenkins.plugins.rdssync.core.e2e;

import io.jenkins.plugins.rdssync.testkit.DbEndpoint;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A tester working on acceptance as people do during a sync: every 20–50 ms, through the target's name (the
 * endpoint a client has configured, whichever instance it leads to), either a new customer row (a preserved row,
 * key >= offset on acceptance) or a new value of a preserved column, with their own account. A refused or broken
 * connection is retried, as a client would; only writes the server acknowledged are recorded. {@link #stop()} ends
 * after an acknowledged write of the column, so that its last value written is the last acknowledged one.
 */
final class Tester implements AutoCloseable {
    static final String USER = "tess";
    static final String PASSWORD = "Tess-Qa-Pw-5521";

    /** Creates the tester's account on an instance (production: every restore brings it along). */
    static void createAccount(Connection master) throws SQLException {
        try (Statement s = master.createStatement()) {
            s.execute("CREATE USER IF NOT EXISTS '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "'");
            s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON shop.* TO '" + USER + "'@'%'");
        }
    }

    private final DbEndpoint name;
    private final String tag;
    private final long columnRow;
    private final Thread thread;
    private volatile boolean stopping;
    /** name -> email of every acknowledged new row. */
    final Map<String, String> acknowledgedRows = new ConcurrentHashMap<>();
    /** The last acknowledged value of the preserved column, or null. */
    final AtomicReference<String> lastAcknowledgedValue = new AtomicReference<>();
    final AtomicInteger acknowledged = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();
    final List<Throwable> unexpected = new CopyOnWriteArrayList<>();

    /**
     * @param name the target's name endpoint
     * @param tag  unique per test, in every row written
     * @param columnRow the production row whose preserved column the tester changes
     */
    Tester(DbEndpoint name, String tag, long columnRow) {
        this.name = name;
        this.tag = tag;
        this.columnRow = columnRow;
        this.thread = new Thread(this::work, "tester-" + tag);
        this.thread.setDaemon(true);
    }

    Tester start() {
        thread.start();
        return this;
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(name.jdbcUrl("shop") + "&connectTimeout=1000&socketTimeout=5000",
                USER, PASSWORD);
    }

    private void work() {
        Connection c = null;
        int n = 0;
        boolean lastWasAcknowledgedUpdate = false;
        while (!stopping || !lastWasAcknowledgedUpdate) {
            n++;
            // when stopping, the column is written until one update is acknowledged: an earlier attempt may have
            // been committed without its answer, and the value must end as the last acknowledged one
            boolean row = !stopping && n % 3 != 0;
            String value = tag + "-" + n;
            try {
                if (c == null) {
                    c = connect();
                }
                if (row) {
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO customers (name, email) VALUES (?, ?)")) {
                        ps.setString(1, value);
                        ps.setString(2, value + "@qa.example");
                        ps.executeUpdate();
                    }
                    acknowledgedRows.put(value, value + "@qa.example");
                } else {
                    try (PreparedStatement ps = c.prepareStatement(
                            "UPDATE customers SET password_hash = ? WHERE id = ?")) {
                        ps.setString(1, value);
                        ps.setLong(2, columnRow);
                        if (ps.executeUpdate() != 1) {
                            throw new SQLException("row " + columnRow + " not found");
                        }
                    }
                    lastAcknowledgedValue.set(value);
                }
                acknowledged.incrementAndGet();
                lastWasAcknowledgedUpdate = !row;
            } catch (SQLException e) {
                refused.incrementAndGet();
                lastWasAcknowledgedUpdate = false;
                closeQuietly(c);
                c = null;
            } catch (RuntimeException e) {
                unexpected.add(e);
                return;
            }
            pause(20 + ThreadLocalRandom.current().nextInt(31));
        }
        closeQuietly(c);
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // broken anyway
            }
        }
    }

    /** Stops after the next acknowledged write; waits for it (the name must answer by then). */
    void stop() throws InterruptedException {
        stopping = true;
        thread.join(60_000);
        if (thread.isAlive()) {
            thread.interrupt();
            throw new AssertionError("the tester could not write for 60 s after the sync: acceptance does not answer");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (thread.isAlive()) {
            stop();
        }
    }
}
