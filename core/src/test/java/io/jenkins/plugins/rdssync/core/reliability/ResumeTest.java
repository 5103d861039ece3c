package io.jenkins.plugins.rdssync.core.reliability;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.rdssync.core.e2e.EmulatedRds;
import io.jenkins.plugins.rdssync.core.e2e.RecordingListener;
import io.jenkins.plugins.rdssync.core.run.Journal;
import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.run.StageStatus;
import io.jenkins.plugins.rdssync.core.run.SyncException;
import io.jenkins.plugins.rdssync.core.run.SyncResult;
import io.jenkins.plugins.rdssync.core.spec.Strategy;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.After;
import org.junit.ClassRule;
import org.junit.Test;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * Resume after a failure or a crash at the awkward moments: the journal's artefacts, a snapshot still being created,
 * a temporary instance already restored, a rename in flight or done, preserved rows already reloaded, and what a
 * resume must refuse. A "crash" is a hook that throws from inside a stage: the stage stops where it is, as if the
 * process had died there, and is not recorded as done.
 */
public class ResumeTest {
    @ClassRule
    public static final EmulatedRds RDS = new EmulatedRds();
    private static final Rig RIG = new Rig(RDS);

    @After
    public void noFaultLeft() {
        RDS.rds.faults().reset();
    }

    private static Runnable crash() {
        return () -> {
            throw new IllegalStateException("simulated crash");
        };
    }

    @Test
    public void theJournalRecordsEveryArtefactAndNoSecret() throws Exception {
        String target = "acc-journal";
        Map<String, List<String>> rows = RIG.acceptance(target);
        SyncSpec spec = RDS.spec(target).build();
        RecordingListener l = new RecordingListener().when("Deleting the old target", crash());
        SyncException e = RIG.failing(spec, l);
        assertEquals(StageName.CLEANUP, e.stage());
        Journal j = Journal.open(spec.workDir());
        assertEquals("production-acc-journal-rds-sync-a", j.get("snapshot.id").orElse(null));
        assertEquals(spec.workDir().resolve("preserved-rows.zip").toAbsolutePath().toString(),
                j.get("backup.file").orElse(null));
        assertEquals(64, j.get("backup.sha256").orElse("").length());
        assertEquals(target + "-rds-sync-new", j.get("restore.instance").orElse(null));
        assertEquals(target + "-rds-sync-old", j.get("switch.old").orElse(null));
        for (StageName s : List.of(StageName.PREFLIGHT, StageName.SNAPSHOT, StageName.BACKUP, StageName.RESTORE,
                StageName.RELOAD, StageName.SWITCH)) {
            assertTrue(s + " done", j.isDone(s));
        }
        assertFalse(j.isDone(StageName.CLEANUP));
        String text = Files.readString(j.file());
        assertFalse("no secret in the journal", Rig.leaks(text));
        RIG.resume(spec);
        RIG.assertRowsExactlyOnce(target, rows);
        RIG.assertSwapFinished(target);
    }

    @Test
    public void aFirstReplaceNightResumedAfterTheRestoreKeepsItsRestore() throws Exception {
        // no target before this run: the name now holds this run's restore, which is not an old target to delete
        SyncSpec spec = RDS.spec("acc-first-replace").strategy(Strategy.REPLACE).build();
        RDS.rds.requests().clear();
        SyncException e = RIG.failing(spec, new RecordingListener().when("Post-restore SQL] started", crash()));
        assertEquals(StageName.POST_SQL, e.stage());
        RIG.resume(spec);
        assertEquals("restored once", 1, RIG.succeeded("RestoreDBInstanceFromDBSnapshot", "acc-first-replace"));
        assertTrue("the restore was not deleted", RDS.rds.requests().ofAction("DeleteDBInstance").isEmpty());
    }

    @Test
    public void aSnapshotStillBeingCreatedIsWaitedForInEveryMode() throws Exception {
        for (String mode : List.of("rolling", "new")) {
            String target = "acc-snapwait-" + mode;
            Map<String, List<String>> rows = RIG.acceptance(target);
            RDS.rds.faults().slow("creating", 15);
            SyncSpec spec = RDS.spec(target).snapshotMode(mode).snapshotName(target + "-snap").build();
            SyncException e = RIG.failing(spec, new RecordingListener().when(": creating 0%", crash()));
            assertEquals(StageName.SNAPSHOT, e.stage());
            RecordingListener resumed = new RecordingListener().when("was started by the interrupted run",
                    () -> RDS.rds.faults().reset());
            RIG.resume(spec, resumed);
            assertTrue(resumed.text(), resumed.text().contains("was started by the interrupted run"));
            long created = RDS.rds.requests().ofAction("CreateDBSnapshot").stream()
                    .filter(r -> r.succeeded() && r.param("DBSnapshotIdentifier").startsWith(target + "-snap"))
                    .count();
            assertEquals(mode + ": one snapshot of production, not two", 1, created);
            RIG.assertRowsExactlyOnce(target, rows);
        }
    }

    @Test
    public void aTemporaryInstanceAlreadyRestoredIsReused() throws Exception {
        String target = "acc-reuse";
        Map<String, List<String>> rows = RIG.acceptance(target);
        SyncSpec spec = RDS.spec(target).build();
        SyncException e = RIG.failing(spec, new RecordingListener().when(target + "-rds-sync-new: creating", crash()));
        assertEquals(StageName.RESTORE, e.stage());
        RecordingListener resumed = new RecordingListener();
        SyncResult r = RIG.resume(spec, resumed);
        assertEquals(StageStatus.DONE, Rig.status(r, StageName.RESTORE));
        assertTrue(resumed.text(), resumed.text().contains("reusing it"));
        assertEquals(1, RIG.succeeded("RestoreDBInstanceFromDBSnapshot", target + "-rds-sync-new"));
        RIG.assertRowsExactlyOnce(target, rows);
    }

    @Test
    public void aFirstRenameInFlightIsNoticedAndFinished() throws Exception {
        String target = "acc-rename1";
        Map<String, List<String>> rows = RIG.acceptanceFromSync(target);
        // RDS takes long to rename: the run's switch limit passes while the old target is renaming
        RDS.rds.faults().hold(target, "renaming");
        SyncSpec spec = RDS.spec(target).stageTimeoutMinutes(Map.of("switch", 10)).build();
        SyncException e = RIG.failing(spec, new RecordingListener());
        assertEquals(StageName.SWITCH, e.stage());
        assertEquals("renaming", RDS.rds.instanceStatus(target));
        assertTrue(e.hint(), e.hint().contains("unavailable"));

        // resumed while the rename is still in flight: no catch-up from a renaming instance, no second rename of it
        RecordingListener resumed = new RecordingListener()
                .when("Switch] started", () -> RDS.rds.faults().release(target));
        RIG.resume(spec.toBuilder().stageTimeoutMinutes(Map.of()).build(), resumed);
        assertEquals("one rename of the old target", 1, RIG.succeeded("ModifyDBInstance", target + "-rds-sync-old"));
        RIG.assertRowsExactlyOnce(target, rows);
        RIG.assertSwapFinished(target);
    }

    @Test
    public void aSecondRenameInFlightIsNoticedAndNotRepeated() throws Exception {
        String target = "acc-rename2";
        Map<String, List<String>> rows = RIG.acceptanceFromSync(target);
        RDS.rds.faults().hold(target + "-rds-sync-new", "renaming");
        SyncSpec spec = RDS.spec(target).stageTimeoutMinutes(Map.of("switch", 10)).build();
        SyncException e = RIG.failing(spec, new RecordingListener());
        assertEquals(StageName.SWITCH, e.stage());

        RecordingListener resumed = new RecordingListener()
                .when("Switch] started", () -> RDS.rds.faults().release(target + "-rds-sync-new"));
        RIG.resume(spec.toBuilder().stageTimeoutMinutes(Map.of()).build(), resumed);
        long renamesIn = RDS.rds.requests().ofAction("ModifyDBInstance").stream()
                .filter(r -> r.succeeded() && target.equals(r.param("NewDBInstanceIdentifier"))).count();
        assertEquals("one rename of the new instance", 1, renamesIn);
        RIG.assertRowsExactlyOnce(target, rows);
        RIG.assertSwapFinished(target);
    }

    @Test
    public void preservedRowsAlreadyReloadedAreNotInsertedTwice() throws Exception {
        String target = "acc-reload-twice";
        Map<String, List<String>> rows = RIG.acceptance(target, 40, 30, 20);
        SyncSpec spec = RDS.spec(target).strategy(Strategy.REPLACE).build();
        // every row is in, but the process dies before the journal records it
        SyncException e = RIG.failing(spec, new RecordingListener().when("Reloaded preserved rows of", crash()));
        assertEquals(StageName.RELOAD, e.stage());
        RecordingListener resumed = new RecordingListener();
        RIG.resume(spec, resumed);
        assertTrue(resumed.text(), resumed.text().contains("0 rows loaded (90 already there)"));
        RIG.assertRowsExactlyOnce(target, rows);
    }

    @Test
    public void aFreshRunNeverReusesAnInstanceLeftByAnAbandonedRun() throws Exception {
        String target = "acc-leftover";
        Map<String, List<String>> rows = RIG.acceptance(target);
        SyncSpec abandoned = RDS.spec(target).build();
        RIG.failing(abandoned, new RecordingListener().when("Post-restore SQL] started", crash()));
        // the work folder (and its journal) is lost; production moves on; a fresh run starts
        deleteTree(abandoned.workDir());
        RDS.execute("production", "UPDATE customers SET name = 'Renamed in production' WHERE id = 7");
        try {
            RecordingListener fresh = new RecordingListener();
            RDS.sync(RDS.spec(target).build(), fresh);
            assertTrue(fresh.text(), fresh.text().contains("left over from an earlier run"));
            assertEquals("the target holds today's production data", "Renamed in production",
                    RDS.queryString(target, "SELECT name FROM customers WHERE id = 7"));
            RIG.assertRowsExactlyOnce(target, rows);
        } finally {
            RDS.execute("production", "UPDATE customers SET name = 'Customer 7' WHERE id = 7");
        }
    }

    @Test
    public void aReplaceResumedAfterTheDeleteRestoresWithTheOldTargetsSettings() throws Exception {
        String target = "acc-settings";
        Map<String, List<String>> rows = RIG.acceptance(target);
        try (var client = RDS.client()) {
            client.modifyDBInstance(r -> r.dbInstanceIdentifier(target).dbInstanceClass("db.t3.small")
                    .vpcSecurityGroupIds("sg-0acc").dbParameterGroupName("acc-params").applyImmediately(true));
        }
        RIG.await(target, "available");
        DBInstance before = describe(target);
        SyncSpec spec = RDS.spec(target).strategy(Strategy.REPLACE).build();
        // the target is deleted, then the process dies before the restore call
        RIG.failing(spec, new RecordingListener().when("Restoring production-" + target + "-rds-sync-a as", crash()));
        assertNull(RDS.rds.instanceStatus(target));
        RIG.resume(spec);
        DBInstance after = describe(target);
        assertEquals(before.dbInstanceClass(), after.dbInstanceClass());
        assertEquals(before.vpcSecurityGroups().get(0).vpcSecurityGroupId(),
                after.vpcSecurityGroups().get(0).vpcSecurityGroupId());
        assertEquals("acc-params", after.dbParameterGroups().get(0).dbParameterGroupName());
        RIG.assertRowsExactlyOnce(target, rows);
    }

    @Test
    public void aResumeRefusesAJournalOfAnotherTargetOrStrategy() throws Exception {
        String target = "acc-other-journal";
        RIG.acceptance(target);
        SyncSpec spec = RDS.spec(target).build();
        RIG.failing(spec, new RecordingListener().when("Post-restore SQL] started", crash()));
        RDS.rds.requests().clear();
        SyncException e = assertThrows(SyncException.class, () -> RDS.sync(spec.toBuilder().resume(true)
                .strategy(Strategy.REPLACE).build()));
        assertEquals(StageName.PREFLIGHT, e.stage());
        assertTrue(e.getMessage(), e.getMessage().contains("strategy"));
        e = assertThrows(SyncException.class, () -> RDS.sync(spec.toBuilder().resume(true).target("acc-elsewhere")
                .build()));
        assertTrue(e.getMessage(), e.getMessage().contains("acc-other-journal"));
        assertEquals("refused before any change", List.of(), RIG.mutating());
        RIG.resume(spec);
    }

    private static DBInstance describe(String id) {
        try (var client = RDS.client()) {
            return client.describeDBInstances(r -> r.dbInstanceIdentifier(id)).dbInstances().get(0);
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
