package io.jenkins.plugins.rdssync.core.reliability;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.rdssync.core.e2e.EmulatedRds;
import io.jenkins.plugins.rdssync.core.e2e.RecordingListener;
import io.jenkins.plugins.rdssync.core.run.Cancellation;
import io.jenkins.plugins.rdssync.core.run.Journal;
import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.run.StageStatus;
import io.jenkins.plugins.rdssync.core.run.SyncException;
import io.jenkins.plugins.rdssync.core.run.SyncResult;
import io.jenkins.plugins.rdssync.core.spec.Strategy;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Assume;
import org.junit.ClassRule;
import org.junit.Test;

/**
 * Faults on the database side and on the agent: the connection to the new instance dropping in the middle of the
 * reload, the connection to the old target dropping in the middle of the backup, and the work folder's disk filling
 * up while the preserved rows are written.
 */
public class DataFaultsTest {
    @ClassRule
    public static final EmulatedRds RDS = new EmulatedRds();
    private static final Rig RIG = new Rig(RDS);

    @After
    public void noFaultLeft() {
        RDS.rds.faults().reset();
    }

    /**
     * The post-restore SQL adds a column to order_items, so the reload of that table logs that its new column gets
     * defaults: at that moment (the biggest table already committed, the table's connection open) every connection
     * to the new instance is cut.
     */
    @Test
    public void theConnectionDroppingMidReloadStopsTheRunAndTheResumeInsertsNothingTwice() throws Exception {
        String target = "acc-drop-reload";
        Map<String, List<String>> rows = RIG.acceptance(target, 30, 20, 5);
        SyncSpec spec = RDS.spec(target).postSqlStatements(List.of(
                "ALTER TABLE order_items ADD COLUMN gift_wrap TINYINT NOT NULL DEFAULT 0")).build();
        RecordingListener l = new RecordingListener().when("are new on the target",
                () -> RDS.rds.faults().dropConnections(target + "-rds-sync-new"));
        SyncException e = RIG.failing(spec, l);
        assertEquals(l.text(), StageName.RELOAD, e.stage());
        // every connection was cut: the table whose load is reported may be any of those loading at that moment
        assertTrue(e.getMessage(), e.getMessage().contains("cannot load the preserved rows of shop."));
        assertTrue(e.hint(), e.hint().contains("continue from stage Reload"));
        assertTrue(e.hint(), e.hint().contains("The acceptance target was not changed"));
        RIG.assertBackupIntact(spec, rows);
        RIG.assertOldTargetKept(target, rows);

        RecordingListener resumed = new RecordingListener();
        SyncResult r = RIG.resume(spec, resumed);
        assertEquals(StageStatus.DONE, Rig.status(r, StageName.RELOAD));
        assertTrue("rows loaded before the drop are kept, not loaded again:\n" + resumed.text(),
                resumed.text().contains("already there"));
        RIG.assertRowsExactlyOnce(target, rows);
        assertEquals(0, RDS.queryLong(target, "SELECT COUNT(*) FROM order_items WHERE gift_wrap <> 0"));
    }

    @Test
    public void theConnectionDroppingMidBackupStopsBeforeAnyChange() throws Exception {
        String target = "acc-drop-backup";
        Map<String, List<String>> rows = RIG.acceptance(target);
        SyncSpec spec = RDS.spec(target).strategy(Strategy.REPLACE).build();
        RDS.rds.requests().clear();
        RecordingListener l = new RecordingListener().when("[Backup] shop.customers",
                () -> RDS.rds.faults().dropConnections(target));
        SyncException e = RIG.failing(spec, l);
        assertEquals(l.text(), StageName.BACKUP, e.stage());
        assertTrue(e.getMessage(), e.getMessage().contains("preserved rows"));
        assertEquals("nothing of acceptance was changed", 0, RIG.succeeded("DeleteDBInstance", target));
        assertEquals(rows, RIG.fingerprint(target));
        assertFalse("no half-written file", Files.exists(spec.workDir().resolve("preserved-rows.zip")));
        RIG.resume(spec);
        RIG.assertRowsExactlyOnce(target, rows);
    }

    @Test
    public void aFullDiskWhileWritingThePreservedRowsStopsBeforeAnyChange() throws Exception {
        Path mount = Files.createTempDirectory("rds-sync-small-disk-");
        Assume.assumeTrue("needs root to mount a 64 KiB tmpfs (CI runs as root)", mount(mount, "size=64k"));
        try {
            String target = "acc-disk-full";
            Map<String, List<String>> rows = RIG.acceptance(target, 3, 2, 2);
            try (Connection c = RDS.shop(target); Statement s = c.createStatement()) {
                // ~250 KiB of preserved rows that do not compress much
                s.execute("SET SESSION max_recursive_iterations = 100000");
                s.executeUpdate("INSERT INTO orders (id, customer_id, created, note)"
                        + " WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)"
                        + " SELECT " + (Rig.OFFSET + 100) + " + i, " + (Rig.OFFSET + 1) + ", '2026-03-01',"
                        + " CONCAT(SHA2(i, 256), MD5(i)) FROM n");
            }
            rows = RIG.fingerprint(target);
            SyncSpec spec = RDS.spec(target).strategy(Strategy.REPLACE).workDir(mount.resolve("work")).build();
            RDS.rds.requests().clear();
            Cancellation cancellation = new Cancellation();
            RecordingListener l = new RecordingListener();
            SyncException e = RIG.failing(spec, l, cancellation);
            assertEquals(l.text(), StageName.BACKUP, e.stage());
            assertTrue(e.getMessage(), e.getMessage().contains("No space left on device"));
            assertTrue(e.getMessage(), e.getMessage().contains(mount.resolve("work").toString()));
            assertTrue(e.hint(), e.hint().contains("continue from stage"));
            assertEquals("the failure is reported once", 1, l.failures.size());
            assertFalse("a failed backup is a failure, not a cancellation by the user", cancellation.isCancelled());
            assertEquals("nothing of acceptance was changed", 0, RIG.succeeded("DeleteDBInstance", target));
            assertEquals(rows, RIG.fingerprint(target));
            try (var files = Files.list(mount.resolve("work"))) {
                assertEquals("no partial file is left", List.of(Journal.FILE_NAME),
                        files.map(p -> p.getFileName().toString()).toList());
            }

            // the operator frees space and resumes
            assertTrue(mount(mount, "remount,size=16m"));
            RIG.resume(spec);
            RIG.assertRowsExactlyOnce(target, rows);
        } finally {
            run("umount", mount.toString());
            Files.deleteIfExists(mount);
        }
    }

    private static boolean mount(Path at, String options) throws IOException, InterruptedException {
        if (options.startsWith("remount")) {
            return run("mount", "-o", options, at.toString());
        }
        return run("mount", "-t", "tmpfs", "-o", options, "tmpfs", at.toString());
    }

    private static boolean run(String... command) throws IOException, InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
