package io.jenkins.plugins.rdssync.core.reliability;

import static io.jenkins.plugins.rdssync.core.reliability.Rig.unchecked;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.rdssync.core.e2e.EmulatedRds;
import io.jenkins.plugins.rdssync.core.e2e.RecordingListener;
import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.run.StageStatus;
import io.jenkins.plugins.rdssync.core.run.SyncException;
import io.jenkins.plugins.rdssync.core.run.SyncResult;
import io.jenkins.plugins.rdssync.core.spec.Strategy;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import io.jenkins.plugins.rdssync.testkit.RdsFaults;
import java.util.List;
import java.util.Map;
import org.junit.After;
import org.junit.ClassRule;
import org.junit.Test;

/**
 * Faults of the RDS API and of RDS itself: throttling bursts, 5xx on each mutating action (retried, and persistent),
 * an instance stuck past its stage timeout, a restore ending in incompatible-restore or failed, deletion protection,
 * the second rename failing after the first. For each: the run retries or stops as a careful operator would, the
 * message names what failed and what to do, the preserved-rows file is intact, in swap the old target still serves
 * until the new one is verified, and a resume completes with every preserved row present exactly once.
 */
public class AwsFaultsTest {
    @ClassRule
    public static final EmulatedRds RDS = new EmulatedRds();
    private static final Rig RIG = new Rig(RDS);

    /**
     * Both rolling names taken (an earlier run stopped between creating one and deleting the other): the run must
     * delete the older, {@code -a}, before it makes the new snapshot under that name.
     */
    private static void bothRollingNames(String base) {
        try (var client = RDS.client()) {
            for (String name : List.of(base + "-a", base + "-b")) {
                RIG.await("production", "available");
                client.createDBSnapshot(r -> r.dbSnapshotIdentifier(name).dbInstanceIdentifier("production"));
            }
        }
        RIG.await("production", "available");
    }

    private static RdsFaults faults() {
        return RDS.rds.faults();
    }

    @After
    public void noFaultLeft() {
        faults().reset();
    }

    @Test
    public void throttlingBurstsAreRiddenOutAndEveryChangeIsMadeOnce() throws Exception {
        Map<String, List<String>> rows = RIG.acceptance("acc-throttle");
        RDS.rds.requests().clear();
        RecordingListener l = new RecordingListener()
                .when("Preflight] started", () -> faults().throttleNext(2))
                .when("Restoring production-acc-throttle-rds-sync-a as",
                        () -> faults().throttleNext("RestoreDBInstanceFromDBSnapshot", 2))
                .when("Renaming acc-throttle to", () -> faults().throttleNext("ModifyDBInstance", 1))
                .when("Deleting the old target", () -> faults().throttleNext("DeleteDBInstance", 1));
        RDS.sync(RDS.spec("acc-throttle").build(), l);

        long throttled = RDS.rds.requests().all().stream().filter(r -> "Throttling".equals(r.errorCode())).count();
        assertEquals("every throttled request was retried", 6, throttled);
        assertEquals(1, RIG.succeeded("RestoreDBInstanceFromDBSnapshot", "acc-throttle-rds-sync-new"));
        assertEquals(1, RIG.succeeded("DeleteDBInstance", "acc-throttle-rds-sync-old"));
        RIG.assertRowsExactlyOnce("acc-throttle", rows);
        RIG.assertSwapFinished("acc-throttle");
    }

    @Test
    public void serverErrorsOnEveryMutatingActionAreRetried() throws Exception {
        for (Strategy strategy : Strategy.values()) {
            String target = "acc-5xx-ok-" + strategy.id();
            Map<String, List<String>> rows = RIG.acceptance(target);
            String snapshot = target + "-snap";
            bothRollingNames(snapshot);
            RDS.rds.requests().clear();
            List<String> actions = List.of("DeleteDBSnapshot", "CreateDBSnapshot", "RestoreDBInstanceFromDBSnapshot",
                    "ModifyDBInstance", "DeleteDBInstance");
            RecordingListener l = new RecordingListener().when("Preflight] started", () -> {
                for (String a : actions) {
                    faults().failNext(a, 1, 500).failNext(a, 1, 503);
                }
            });
            RDS.sync(RDS.spec(target).strategy(strategy).snapshotName(snapshot).build(), l);
            for (String a : actions) {
                assertEquals(a + " answered 500 then 503, then was retried", List.of("InternalFailure",
                        "ServiceUnavailable"), RDS.rds.requests().ofAction(a).stream().limit(2)
                                .map(r -> r.errorCode()).toList());
            }
            assertEquals(1, RIG.succeeded("CreateDBSnapshot", snapshot + "-a"));
            assertEquals(1, RIG.succeeded("RestoreDBInstanceFromDBSnapshot", snapshot + "-a"));
            RIG.assertRowsExactlyOnce(target, rows);
        }
    }

    /**
     * Persistent 5xx (every attempt of the SDK fails) on each mutating action of a swap, one after the other: each
     * run stops naming the call, and each resume continues where the last one stopped.
     */
    @Test
    public void persistentServerErrorsOnEachMutatingActionStopTheRunAndResumeCompletes() throws Exception {
        String target = "acc-5xx";
        String snapshot = target + "-snap";
        Map<String, List<String>> rows = RIG.acceptance(target);
        bothRollingNames(snapshot);
        SyncSpec spec = RDS.spec(target).snapshotName(snapshot).build();
        RDS.rds.requests().clear();

        // 1. the rolling snapshot cannot be deleted
        SyncException e = stopsOn(spec, false, l -> faults().failNext("DeleteDBSnapshot", 8, 500),
                StageName.SNAPSHOT, "DeleteDBSnapshot", snapshot + "-a");
        assertTrue(e.hint(), e.hint().contains("The acceptance target was not changed"));
        RIG.assertBackupIntact(spec, rows);
        RIG.assertOldTargetKept(target, rows);

        // 2. the new snapshot cannot be created
        stopsOn(spec, true, l -> faults().failNext("CreateDBSnapshot", 8, 503), StageName.SNAPSHOT,
                "CreateDBSnapshot", snapshot + "-a");
        RIG.assertOldTargetKept(target, rows);

        // 3. the restore is refused
        stopsOn(spec, true, l -> faults().failNext("RestoreDBInstanceFromDBSnapshot", 8, 500), StageName.RESTORE,
                "RestoreDBInstanceFromDBSnapshot", target + "-rds-sync-new");
        RIG.assertBackupIntact(spec, rows);
        RIG.assertOldTargetKept(target, rows);

        // 4. the new instance's master password cannot be reset
        stopsOn(spec, true, l -> faults().failNext("ModifyDBInstance", 8, 500), StageName.RESTORE,
                "ModifyDBInstance", target + "-rds-sync-new");
        RIG.assertOldTargetKept(target, rows);

        // 5. the first rename fails: acceptance still serves under its name
        e = stopsOn(spec, true, l -> l.when("Renaming " + target + " to",
                () -> faults().failNext("ModifyDBInstance", 8, 500)), StageName.SWITCH, "ModifyDBInstance", target);
        RDS.rds.awaitInstanceStatus(target, "available", java.time.Duration.ofSeconds(30)); // after its first backup
        assertTrue(e.hint(), e.hint().contains("The acceptance target was not changed"));
        RIG.assertBackupIntact(spec, rows);
        RIG.assertOldTargetKept(target, rows);

        // 6. the second rename fails after the first succeeded: acceptance is down, and the message says so
        e = stopsOn(spec, true, l -> l.when("Renaming " + target + "-rds-sync-new to",
                () -> faults().failNext("ModifyDBInstance", 8, 503)), StageName.SWITCH, "ModifyDBInstance",
                target + "-rds-sync-new");
        assertNull(RDS.rds.instanceStatus(target));
        assertTrue(e.hint(), e.hint().contains(target + "-rds-sync-old"));
        assertTrue(e.hint(), e.hint().contains("unavailable"));
        RIG.assertOldTargetKept(target, rows);

        // 7. the old target cannot be deleted: acceptance is already the new instance
        e = stopsOn(spec, true, l -> faults().failNext("DeleteDBInstance", 8, 500), StageName.CLEANUP,
                "DeleteDBInstance", target + "-rds-sync-old");
        RIG.assertRowsExactlyOnce(target, rows);

        // and the resume completes
        SyncResult r = RIG.resume(spec);
        assertEquals(StageStatus.ALREADY_DONE, Rig.status(r, StageName.SWITCH));
        RIG.assertRowsExactlyOnce(target, rows);
        RIG.assertSwapFinished(target);
        assertEquals("one snapshot made", 1, RIG.succeeded("CreateDBSnapshot", snapshot + "-a"));
        assertEquals("one restore made", 1, RIG.succeeded("RestoreDBInstanceFromDBSnapshot", snapshot + "-a"));
    }

    @Test
    public void persistentServerErrorOnTheDeleteOfReplaceKeepsTheTarget() throws Exception {
        String target = "acc-5xx-replace";
        Map<String, List<String>> rows = RIG.acceptance(target);
        SyncSpec spec = RDS.spec(target).strategy(Strategy.REPLACE).build();
        SyncException e = stopsOn(spec, false, l -> faults().failNext("DeleteDBInstance", 8, 500),
                StageName.DELETE_TARGET, "DeleteDBInstance", target);
        assertTrue("the delete was refused, so acceptance is as it was: " + e.hint(),
                e.hint().contains("The acceptance target was not changed"));
        RDS.rds.awaitInstanceStatus(target, "available", java.time.Duration.ofSeconds(30)); // after its first backup
        assertEquals(rows, RIG.fingerprint(target));
        RIG.assertBackupIntact(spec, rows);
        RIG.resume(spec);
        RIG.assertRowsExactlyOnce(target, rows);
    }

    @Test
    public void anInstanceStuckPastItsStageTimeoutStopsTheRunAndTheResumeWaitsForIt() throws Exception {
        String target = "acc-stuck";
        Map<String, List<String>> rows = RIG.acceptance(target);
        faults().hold(target + "-rds-sync-new", "creating");
        SyncSpec spec = RDS.spec(target).stageTimeoutMinutes(Map.of("restore", 10)).build();
        RecordingListener l = new RecordingListener();
        SyncException e = RIG.failing(spec, l);
        assertEquals(StageName.RESTORE, e.stage());
        assertTrue(e.getMessage(), e.getMessage().contains(target + "-rds-sync-new"));
        assertTrue(e.getMessage(), e.getMessage().contains("creating"));
        assertTrue(e.getMessage(), e.getMessage().contains("stageTimeoutMinutes"));
        assertTrue(e.hint(), e.hint().contains("resume"));
        RIG.assertBackupIntact(spec, rows);
        RIG.assertOldTargetKept(target, rows);

        // RDS finishes the restore later; the resume (with a longer limit) waits for it and does not restore again
        faults().release(target + "-rds-sync-new");
        RIG.resume(spec.toBuilder().stageTimeoutMinutes(Map.of()).build());
        assertEquals(1, RIG.succeeded("RestoreDBInstanceFromDBSnapshot", target + "-rds-sync-new"));
        RIG.assertRowsExactlyOnce(target, rows);
        RIG.assertSwapFinished(target);
    }

    @Test
    public void anIncompatibleRestoreOfAProtectedTargetIsDeletedAndRestoredAgainOnResume() throws Exception {
        String target = "acc-incompatible";
        Map<String, List<String>> rows = RIG.acceptance(target);
        protect(target);
        faults().failNextRestore("incompatible-restore");
        SyncSpec spec = RDS.spec(target).build();
        SyncException e = RIG.failing(spec, new RecordingListener());
        assertEquals(StageName.RESTORE, e.stage());
        assertTrue(e.getMessage(), e.getMessage().contains(target + "-rds-sync-new"));
        assertTrue(e.getMessage(), e.getMessage().contains("incompatible-restore"));
        assertTrue(e.hint(), e.hint().contains("instanceClass"));
        RIG.assertBackupIntact(spec, rows);
        RIG.assertOldTargetKept(target, rows);

        RecordingListener resumed = new RecordingListener();
        RIG.resume(spec, resumed);
        assertTrue(resumed.text(), resumed.text().contains("incompatible-restore"));
        assertEquals("the failed restore was deleted", 1, RIG.succeeded("DeleteDBInstance", target + "-rds-sync-new"));
        RIG.assertRowsExactlyOnce(target, rows);
        RIG.assertSwapFinished(target);
        assertTrue("the new target is protected as the old one was", protectedNow(target));
    }

    @Test
    public void aFailedRestoreInReplaceIsRestoredAgainOnResume() throws Exception {
        String target = "acc-failed-restore";
        Map<String, List<String>> rows = RIG.acceptance(target);
        faults().failNextRestore("failed");
        SyncSpec spec = RDS.spec(target).strategy(Strategy.REPLACE).build();
        SyncException e = RIG.failing(spec, new RecordingListener());
        assertEquals(StageName.RESTORE, e.stage());
        assertTrue(e.getMessage(), e.getMessage().contains("failed"));
        assertTrue(e.hint(), e.hint().contains("safe in"));
        RIG.assertBackupIntact(spec, rows);

        RIG.resume(spec);
        RIG.assertRowsExactlyOnce(target, rows);
    }

    @Test
    public void deletionProtectionThatCannotBeTurnedOffStopsBeforeAnyDelete() throws Exception {
        String target = "acc-protected-denied";
        Map<String, List<String>> rows = RIG.acceptance(target);
        protect(target);
        SyncSpec spec = RDS.spec(target).strategy(Strategy.REPLACE).build();
        RecordingListener l = new RecordingListener().when("Turning off deletion protection", () -> faults()
                .failNext("ModifyDBInstance", 1, 403, "AccessDenied", "User: arn:aws:iam::123456789012:user/jenkins"
                        + " is not authorized to perform: rds:ModifyDBInstance"));
        SyncException e = RIG.failing(spec, l);
        assertEquals(StageName.DELETE_TARGET, e.stage());
        assertTrue(e.getMessage(), e.getMessage().contains("ModifyDBInstance"));
        assertTrue(e.getMessage(), e.getMessage().contains("AccessDenied"));
        assertTrue("names the missing line of the shipped policy: " + e.getMessage(), e.getMessage().contains(
                "The policy line that allows it is missing: rds:ModifyDBInstance in statement"
                        + " ModifyRebootStartDeleteOnlyTheTarget of docs/iam/target-replace.json, attached to the"
                        + " sync's AWS identity"));
        RDS.rds.awaitInstanceStatus(target, "available", java.time.Duration.ofSeconds(30)); // after its first backup
        assertEquals(rows, RIG.fingerprint(target));
        assertEquals(0, RIG.succeeded("DeleteDBInstance", target));

        RIG.resume(spec);
        RIG.assertRowsExactlyOnce(target, rows);
        assertTrue("the replacement is protected as the old target was", protectedNow(target));
    }

    /** One more run (the first, or a resume) with a fault armed by {@code arm}; it must stop in {@code stage}. */
    private static SyncException stopsOn(SyncSpec spec, boolean resume, java.util.function.Consumer<RecordingListener>
            arm, StageName stage, String action, String resource) {
        RecordingListener l = new RecordingListener();
        arm.accept(l);
        SyncException e = RIG.failing(resume ? spec.toBuilder().resume(true).build() : spec, l);
        faults().reset();
        assertEquals(e.getMessage(), stage, e.stage());
        assertTrue("names the call: " + e.getMessage(), e.getMessage().contains(action));
        assertTrue("names the resource: " + e.getMessage(), e.getMessage().contains(resource));
        assertTrue("says what to do: " + e.hint(), e.hint().contains("resume"));
        assertFalse(Rig.leaks(l.text()));
        return e;
    }

    private static void protect(String target) {
        try (var client = RDS.client()) {
            client.modifyDBInstance(r -> r.dbInstanceIdentifier(target).deletionProtection(true).applyImmediately(true));
        }
        RIG.await(target, "available");
        RDS.rds.requests().clear();
    }

    private static boolean protectedNow(String id) {
        try (var client = RDS.client()) {
            return client.describeDBInstances(r -> r.dbInstanceIdentifier(id)).dbInstances().get(0)
                    .deletionProtection();
        }
    }
}
