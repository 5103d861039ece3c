package io.jenkins.plugins.rdssync.core.reliability;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.rdssync.core.e2e.EmulatedRds;
import io.jenkins.plugins.rdssync.core.e2e.RecordingListener;
import io.jenkins.plugins.rdssync.core.run.Cancellation;
import io.jenkins.plugins.rdssync.core.run.Journal;
import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.run.StageStatus;
import io.jenkins.plugins.rdssync.core.run.SyncException;
import io.jenkins.plugins.rdssync.core.spec.Strategy;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.After;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Cancellation (Ctrl-C in the CLI, Abort in Jenkins) in every stage of both strategies. Each run of a chain is
 * cancelled while one stage works; the next run resumes the same journal and is cancelled in the next stage, so that
 * every stage is interrupted once and every resume starts from a journal another cancelled run left. After each
 * stop: the message says it was cancelled and how to resume, nothing half-done is recorded as done, the
 * preserved-rows file verifies, and in swap the old target serves until the switch. The last resume completes with
 * every preserved row exactly once, one snapshot and one restore.
 */
public class CancellationTest {
    @ClassRule
    public static final EmulatedRds RDS = new EmulatedRds();
    private static final Rig RIG = new Rig(RDS);

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @After
    public void noFaultLeft() {
        RDS.rds.faults().reset();
    }

    /**
     * One link of a chain: cancel when a line containing {@code when} appears (then run {@code also}); the run stops
     * in one of {@code stopsIn}.
     */
    private record Cut(String when, Set<StageName> stopsIn, Runnable also) {
        Cut(String when, StageName... stopsIn) {
            this(when, EnumSet.copyOf(List.of(stopsIn)), () -> { });
        }
    }

    @Test
    public void swapCancelledInEveryStageThenResumed() throws Exception {
        String target = "acc-cancel";
        String snap = "acc-cancel-snap";
        Map<String, List<String>> rows = RIG.acceptance(target);
        SyncSpec spec = RDS.spec(target).snapshotName(snap).postSqlStatements(List.of(
                "UPDATE customers SET name = 'masked' WHERE id = 1")).migrations(migrations()).build();
        RDS.rds.faults().hold(snap, "creating");
        List<Cut> chain = List.of(
                // the snapshot and the backup run together: both stop, and the run continues from the Snapshot
                new Cut("[Backup] shop.", StageName.SNAPSHOT, StageName.BACKUP),
                new Cut("was started by the interrupted run", EnumSet.of(StageName.SNAPSHOT, StageName.BACKUP),
                        () -> RDS.rds.faults().release(snap)),
                new Cut("Restoring " + snap + " as", StageName.RESTORE),
                new Cut("Post-restore SQL] started", StageName.POST_SQL, StageName.OFFSET),
                new Cut("Offset] started", StageName.OFFSET, StageName.MIGRATIONS),
                new Cut("Migrations] started", StageName.MIGRATIONS, StageName.RELOAD),
                new Cut("Reload] started", StageName.RELOAD),
                new Cut("Re-reading the preserved rows of " + target, StageName.SWITCH),
                // asked after the catch-up: the switch does not start, acceptance stays as it was
                new Cut("Caught up: ", StageName.SWITCH),
                // asked as the first rename goes out: the switch finishes first (acceptance must not be left
                // without its name), then the run stops
                new Cut("Renaming " + target + " to " + target + "-rds-sync-old", StageName.SWITCH, StageName.CLEANUP),
                new Cut("Deleting the old target", StageName.CLEANUP));
        runChain(spec, chain, rows, true);
        RIG.assertSwapFinished(target);
        assertEquals("the masking ran", "masked", RDS.queryString(target, "SELECT name FROM customers WHERE id = 1"));
        assertEquals("the migration was applied once", 1, RDS.queryLong(target,
                "SELECT COUNT(*) FROM schema_migrations WHERE version = '002_add_gift_note'"));
    }

    @Test
    public void replaceCancelledInEveryStageThenResumed() throws Exception {
        String target = "acc-cancel-r";
        String snap = "acc-cancel-r-snap";
        Map<String, List<String>> rows = RIG.acceptance(target);
        SyncSpec spec = RDS.spec(target).strategy(Strategy.REPLACE).snapshotName(snap).build();
        RDS.rds.faults().hold(snap, "creating");
        List<Cut> chain = List.of(
                new Cut("Snapshot " + snap + ": creating", EnumSet.of(StageName.SNAPSHOT, StageName.BACKUP),
                        () -> RDS.rds.faults().release(snap)),
                new Cut("Deleting " + target + " with a final snapshot", StageName.DELETE_TARGET),
                new Cut("Restoring " + snap + " as", StageName.RESTORE),
                new Cut("Reload] started", StageName.RELOAD));
        // (Cleanup of replace with a rolling snapshot has nothing to do: a stop asked for there finds the run done)
        runChain(spec, chain, rows, false);
        assertEquals("available", RDS.rds.instanceStatus(target));
    }

    private void runChain(SyncSpec spec, List<Cut> chain, Map<String, List<String>> rows, boolean swap)
            throws Exception {
        String target = spec.target();
        RDS.rds.requests().clear();
        boolean first = true;
        for (Cut cut : chain) {
            Cancellation cancel = new Cancellation();
            RecordingListener l = new RecordingListener().when(cut.when(), () -> {
                cancel.cancel("interrupted by the test");
                cut.also().run();
            });
            SyncException e = RIG.failing(first ? spec : spec.toBuilder().resume(true).build(), l, cancel);
            first = false;
            String what = "cut at '" + cut.when() + "':\n" + l.text();
            System.out.println(what + "\n=> " + e.getMessage() + "\n");
            assertTrue(what, e.getMessage().startsWith("Cancelled"));
            assertTrue(what, cut.stopsIn().contains(e.stage()));
            assertEquals(what, StageStatus.CANCELLED, Rig.status(l, e.stage()));
            assertTrue(e.hint(), e.hint().contains("resume"));
            assertTrue(e.hint(), e.hint().contains("from stage " + e.stage().title()));
            assertEquals("one failure reported: " + what, 1, l.failures.size());
            Journal j = Journal.open(spec.workDir());
            assertTrue("the journal still holds an unfinished run", j.hasUnfinishedRun());
            assertFalse("the stage that was cancelled is not recorded as done: " + what, j.isDone(e.stage()));
            if (j.isDone(StageName.BACKUP)) {
                RIG.assertBackupIntact(spec, rows);
            }
            if (swap && e.stage().compareTo(StageName.SWITCH) < 0) {
                RIG.assertOldTargetKept(target, rows);
            }
            if (swap && e.stage().compareTo(StageName.SWITCH) >= 0) {
                assertNotNull("a cancelled switch never leaves acceptance without its name: " + what,
                        RDS.rds.instanceStatus(target));
                if (RDS.rds.instanceStatus(target + "-rds-sync-old") != null) {
                    assertTrue("the switch went through before the stop: " + what,
                            RDS.rds.instanceStatus(target + "-rds-sync-new") == null);
                    RIG.await(target, "available");
                    assertEquals("acceptance answers with the preserved rows", rows, RIG.fingerprint(target));
                    assertTrue(e.hint(), e.hint().contains("Acceptance already answers from the new instance"));
                } else {
                    RIG.assertOldTargetKept(target, rows);
                    assertTrue(e.hint(), e.hint().contains("The acceptance target was not changed"));
                }
            }
        }
        RecordingListener last = new RecordingListener();
        RIG.resume(spec, last);
        RIG.assertRowsExactlyOnce(target, rows);
        assertEquals("one snapshot", 1, RIG.succeeded("CreateDBSnapshot", spec.snapshotName()));
        assertEquals("one restore", 1, RIG.succeeded("RestoreDBInstanceFromDBSnapshot", spec.snapshotName()));
    }

    private Path migrations() throws Exception {
        Path dir = tmp.newFolder("migrations").toPath();
        Files.writeString(dir.resolve("001_create_shop.sql"), "SELECT 1;\n");
        Files.writeString(dir.resolve("002_add_gift_note.sql"),
                "ALTER TABLE orders ADD COLUMN gift_note VARCHAR(50) NULL;\n");
        return dir;
    }
}
