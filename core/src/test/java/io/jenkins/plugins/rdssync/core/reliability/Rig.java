package io.jenkins.plugins.rdssync.core.reliability;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.jenkins.plugins.rdssync.core.db.BackupManifest;
import io.jenkins.plugins.rdssync.core.db.PreservedRowsFile;
import io.jenkins.plugins.rdssync.core.e2e.EmulatedRds;
import io.jenkins.plugins.rdssync.core.e2e.RecordingListener;
import io.jenkins.plugins.rdssync.core.run.Cancellation;
import io.jenkins.plugins.rdssync.core.run.Journal;
import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.run.StageOutcome;
import io.jenkins.plugins.rdssync.core.run.StageStatus;
import io.jenkins.plugins.rdssync.core.run.SyncException;
import io.jenkins.plugins.rdssync.core.run.SyncResult;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import io.jenkins.plugins.rdssync.testkit.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the reliability suites share: acceptance instances holding tester rows, a fingerprint of those rows to prove
 * that after any failure and resume every preserved row is present exactly once, and checks on what a failed run
 * must leave behind (a verified preserved-rows file, the old target still serving).
 */
final class Rig {
    static final long OFFSET = 1_000_000_000L;
    /** The preserved tables of the shop and the columns that identify a row's content. */
    static final Map<String, String> TABLES = Map.of(
            "customers", "CONCAT_WS('|', id, name, email, IFNULL(password_hash, '-'))",
            "orders", "CONCAT_WS('|', id, customer_id, created, IFNULL(note, '-'))",
            "order_items", "CONCAT_WS('|', id, order_id, product_id, quantity)");
    static final List<String> TABLE_ORDER = List.of("customers", "orders", "order_items");

    final EmulatedRds rds;

    Rig(EmulatedRds rds) {
        this.rds = rds;
    }

    /** An acceptance instance as a first sync leaves it (production's data, the acceptance login) with tester rows. */
    Map<String, List<String>> acceptance(String target, int customers, int orders, int items) throws Exception {
        rds.rds.createAvailableInstance(target, "admin", EmulatedRds.ACC_PASSWORD, EmulatedRds.seed("production.sql"));
        try (Connection c = rds.shop(target); Statement s = c.createStatement()) {
            for (String t : TABLE_ORDER) {
                s.execute("ALTER TABLE " + t + " AUTO_INCREMENT = " + OFFSET);
            }
            for (int i = 1; i <= customers; i++) {
                s.executeUpdate("INSERT INTO customers (id, name, email) VALUES (" + (OFFSET + i) + ", 'Tester " + i
                        + " ✓', 'tester" + i + "@qa.example')");
            }
            for (int i = 1; i <= orders; i++) {
                s.executeUpdate("INSERT INTO orders (id, customer_id, created, note) VALUES (" + (OFFSET + i) + ", "
                        + (OFFSET + 1 + (i % Math.max(1, customers))) + ", '2026-03-0" + (1 + i % 9)
                        + " 10:00:00.123', 'qa order " + i + "')");
            }
            for (int i = 1; i <= items; i++) {
                s.executeUpdate("INSERT INTO order_items (id, order_id, product_id, quantity) VALUES (" + (OFFSET + i)
                        + ", " + (OFFSET + 1 + (i % Math.max(1, orders))) + ", " + (1 + i % 50) + ", " + i + ")");
            }
        }
        return fingerprint(target);
    }

    /**
     * An acceptance made by a real first sync (so it carries the tags of an earlier run, restored from the same
     * rolling snapshot name), with tester rows made the way testers make them (AUTO_INCREMENT at the offset).
     */
    Map<String, List<String>> acceptanceFromSync(String target) throws Exception {
        rds.sync(rds.spec(target).build());
        long customer = rds.execute(target, "INSERT INTO customers (name, email) VALUES ('Tess', 'tess@qa.example')");
        long order = rds.execute(target, "INSERT INTO orders (customer_id, created, note) VALUES (" + customer
                + ", '2026-03-01 10:00:00.123', 'qa order')");
        rds.execute(target, "INSERT INTO order_items (order_id, product_id, quantity) VALUES (" + order + ", 7, 2)");
        rds.rds.requests().clear();
        return fingerprint(target);
    }

    /** The default acceptance of these suites: 3 tester customers, 2 orders, 2 order items. */
    Map<String, List<String>> acceptance(String target) throws Exception {
        return acceptance(target, 3, 2, 2);
    }

    /** Every preserved row of an instance, as text, per table. */
    Map<String, List<String>> fingerprint(String instance) throws SQLException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (Connection c = rds.shop(instance); Statement s = c.createStatement()) {
            for (String t : TABLE_ORDER) {
                List<String> rows = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("SELECT " + TABLES.get(t) + " FROM " + t + " WHERE id >= " + OFFSET
                        + " ORDER BY id")) {
                    while (rs.next()) {
                        rows.add(rs.getString(1));
                    }
                }
                out.put(t, rows);
            }
        }
        return out;
    }

    /**
     * After a completed sync: every preserved row exactly once, with its content, and production's rows refreshed
     * (the production part of each table has production's row count).
     */
    void assertRowsExactlyOnce(String target, Map<String, List<String>> expected) throws SQLException {
        assertEquals("preserved rows of " + target, expected, fingerprint(target));
        assertEquals("production's customers", 200, rds.queryLong(target,
                "SELECT COUNT(*) FROM customers WHERE id < " + OFFSET));
        assertEquals("production's orders", 400, rds.queryLong(target, "SELECT COUNT(*) FROM orders WHERE id < "
                + OFFSET));
        for (String t : TABLE_ORDER) {
            assertEquals("no row of " + t + " twice", rds.queryLong(target, "SELECT COUNT(*) FROM " + t),
                    rds.queryLong(target, "SELECT COUNT(DISTINCT id) FROM " + t));
        }
    }

    /** A completed sync leaves the target (ours, available) and neither temporary name. */
    void assertSwapFinished(String target) {
        // (the run's last change turned backups on: RDS is taking the first backup, the instance usable meanwhile)
        rds.rds.awaitInstanceStatus(target, "available", Duration.ofSeconds(30));
        assertNull(target + "-rds-sync-new is gone", rds.rds.instanceStatus(target + "-rds-sync-new"));
        assertNull(target + "-rds-sync-old is gone", rds.rds.instanceStatus(target + "-rds-sync-old"));
    }

    /** The preserved-rows file named by the journal exists, verifies, and holds the tester rows. */
    void assertBackupIntact(SyncSpec spec, Map<String, List<String>> expected) throws Exception {
        Journal j = Journal.open(spec.workDir());
        Path file = Path.of(j.get("backup.file").orElseThrow(() -> new AssertionError("no backup.file in journal")));
        assertTrue("the preserved-rows file exists: " + file, Files.isRegularFile(file));
        BackupManifest m = PreservedRowsFile.verify(file);
        assertEquals("the journal's checksum is the file's", j.get("backup.sha256").orElse(""), m.sha256());
        for (String t : TABLE_ORDER) {
            assertEquals("rows of " + t + " in the file", Long.valueOf(expected.get(t).size()),
                    m.rowCounts().getOrDefault("shop." + t, 0L));
        }
    }

    /** swap, before the old target was deleted: it still exists (under its name or the -old name) with its rows. */
    void assertOldTargetKept(String target, Map<String, List<String>> expected) throws Exception {
        String at = rds.rds.instanceStatus(target + "-rds-sync-old") != null ? target + "-rds-sync-old" : target;
        assertNotNull("the old target still exists", rds.rds.instanceStatus(at));
        await(at, "available");
        assertEquals("the old target keeps the tester rows", expected, fingerprint(at));
    }

    /** A run that must fail: returns the failure; the listener has every line. */
    SyncException failing(SyncSpec spec, RecordingListener listener) {
        return failing(spec, listener, new Cancellation());
    }

    SyncException failing(SyncSpec spec, RecordingListener listener, Cancellation cancellation) {
        try {
            rds.sync(spec, listener, cancellation);
        } catch (SyncException e) {
            assertFalse("the message never holds a secret", leaks(e.getMessage() + e.hint()));
            // what the user reads, in the test report (docs/reliability.md quotes these)
            System.out.println("STOPPED " + spec.target() + (spec.resume() ? " (resume)" : "") + " in " + e.stage()
                    + "\n  message: " + e.getMessage() + "\n  hint:    " + e.hint());
            return e;
        }
        fail("the run should have failed:\n" + listener.text());
        return null;
    }

    /** Resumes a run from its journal (same work folder) and checks it completes. */
    SyncResult resume(SyncSpec failed) throws SyncException {
        return resume(failed, new RecordingListener());
    }

    SyncResult resume(SyncSpec failed, RecordingListener listener) throws SyncException {
        SyncResult r = rds.sync(failed.toBuilder().resume(true).build(), listener);
        assertFalse(leaks(listener.text()));
        return r;
    }

    static boolean leaks(String text) {
        return text != null && (text.contains(EmulatedRds.ACC_PASSWORD) || text.contains(EmulatedRds.PROD_PASSWORD)
                || text.contains(EmulatedRds.AWS_SECRET));
    }

    static StageStatus status(SyncResult r, StageName stage) {
        return r.stages().stream().filter(s -> s.stage() == stage).map(StageOutcome::status).findFirst()
                .orElse(null);
    }

    static StageStatus status(RecordingListener l, StageName stage) {
        StageStatus last = null;
        for (StageOutcome o : l.outcomes) {
            if (o.stage() == stage) {
                last = o.status();
            }
        }
        return last;
    }

    /** Mutating requests since the log was last cleared, as "Action id" strings. */
    List<String> mutating() {
        List<String> out = new ArrayList<>();
        for (RecordedRequest r : rds.rds.requests().mutating()) {
            String id = r.param("DBInstanceIdentifier") != null ? r.param("DBInstanceIdentifier")
                    : r.param("DBSnapshotIdentifier");
            out.add(r.action() + " " + id + (r.succeeded() ? "" : " -> " + r.errorCode()));
        }
        return out;
    }

    /** Successful requests of an action that name an identifier. */
    long succeeded(String action, String id) {
        return rds.rds.requests().ofAction(action).stream().filter(RecordedRequest::succeeded)
                .filter(r -> r.names(id)).count();
    }

    /** Waits until an instance has this status (the emulator moves on in the background). */
    void await(String id, String status) {
        rds.rds.awaitInstanceStatus(id, status, Duration.ofSeconds(30));
    }

    /** Runs {@code action} and converts checked exceptions, for hooks. */
    static Runnable unchecked(ThrowingRunnable action) {
        return () -> {
            try {
                action.run();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

}
