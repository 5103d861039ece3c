package io.jenkins.plugins.rdssync.core.e2e;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.run.SyncException;
import io.jenkins.plugins.rdssync.core.run.SyncResult;
import io.jenkins.plugins.rdssync.core.spec.SnapshotMode;
import io.jenkins.plugins.rdssync.core.spec.Strategy;
import io.jenkins.plugins.rdssync.testkit.RecordedRequest;
import java.time.Duration;
import java.util.List;
import org.junit.ClassRule;
import org.junit.Test;
import software.amazon.awssdk.services.rds.RdsClient;

/**
 * Snapshot names and instance states as RDS has them: rolling snapshots that never leave none, two targets of one
 * source, identifiers RDS lower-cases, a source in its backup window, a stopped target in both strategies.
 */
public class SnapshotsAndStatesTest {
    @ClassRule
    public static final EmulatedRds RDS = new EmulatedRds();

    private static List<String> snapshotsStartingWith(String prefix) {
        return RDS.rds.snapshotIds().stream().filter(s -> s.startsWith(prefix)).toList();
    }

    @Test
    public void aFailedRollingSnapshotLeavesThePreviousOne() throws Exception {
        String target = "acc-roll";
        SyncResult first = RDS.sync(RDS.spec(target).preserveRows(false).build());
        assertEquals("production-acc-roll-rds-sync-a", first.snapshot());
        RDS.rds.faults().failNext("CreateDBSnapshot", 1, 400, "SnapshotQuotaExceeded",
                "Cannot create more than 100 manual snapshots");
        try {
            RDS.sync(RDS.spec(target).preserveRows(false).build());
            fail("the snapshot failed");
        } catch (SyncException e) {
            assertEquals(StageName.SNAPSHOT, e.stage());
        }
        assertEquals("the previous snapshot is still there", List.of("production-acc-roll-rds-sync-a"),
                snapshotsStartingWith("production-acc-roll-"));
        assertEquals("available", RDS.rds.snapshotStatus("production-acc-roll-rds-sync-a"));
        SyncResult third = RDS.sync(RDS.spec(target).preserveRows(false).build());
        assertEquals("production-acc-roll-rds-sync-b", third.snapshot());
        assertEquals("the previous one goes once the new one exists", List.of("production-acc-roll-rds-sync-b"),
                snapshotsStartingWith("production-acc-roll-"));
    }

    @Test
    public void twoTargetsOfOneSourceSyncedAlternatelyKeepTheirOwnSnapshotsAndRows() throws Exception {
        RDS.sync(RDS.spec("acc-one").build());
        RDS.sync(RDS.spec("acc-two").build());
        long one = RDS.execute("acc-one", "INSERT INTO customers (name, email) VALUES ('One', 'one@qa.example')");
        long two = RDS.execute("acc-two", "INSERT INTO customers (name, email) VALUES ('Two', 'two@qa.example')");
        SyncResult r1 = RDS.sync(RDS.spec("acc-one").build());
        SyncResult r2 = RDS.sync(RDS.spec("acc-two").build());
        assertEquals("production-acc-one-rds-sync-b", r1.snapshot());
        assertEquals("production-acc-two-rds-sync-b", r2.snapshot());
        assertEquals(List.of("production-acc-one-rds-sync-b"), snapshotsStartingWith("production-acc-one-"));
        assertEquals(List.of("production-acc-two-rds-sync-b"), snapshotsStartingWith("production-acc-two-"));
        assertEquals("One", RDS.queryString("acc-one", "SELECT name FROM customers WHERE id = " + one));
        assertEquals("Two", RDS.queryString("acc-two", "SELECT name FROM customers WHERE id = " + two));
        assertEquals(0, RDS.queryLong("acc-one", "SELECT COUNT(*) FROM customers WHERE name = 'Two'"));
    }

    @Test
    public void aMixedCaseSnapshotNameIsCleanedUp() throws Exception {
        for (int run = 0; run < 3; run++) {
            RDS.sync(RDS.spec("acc-case").preserveRows(false).snapshotMode(SnapshotMode.NEW)
                    .snapshotName("Acc-Case-Nightly").snapshotKeep(1).build());
            Thread.sleep(1100); // timestamped names have seconds
        }
        assertEquals("RDS lower-cases the names; snapshotKeep 1 leaves one: " + RDS.rds.snapshotIds(), 1,
                snapshotsStartingWith("acc-case-nightly-").size());
    }

    @Test
    public void aSourceInItsBackupWindowIsWaitedForBeforeTheSnapshot() throws Exception {
        RDS.rds.createAvailableInstance("prod-busy", "admin", EmulatedRds.PROD_PASSWORD,
                EmulatedRds.seed("production.sql"));
        // in its backup window until the engine has said it waits (then the backup ends)
        RDS.rds.faults().forceStatus("prod-busy", "backing-up");
        RecordingListener log = new RecordingListener().when("waiting until it is available to snapshot it",
                () -> RDS.rds.faults().release("prod-busy"));
        try {
            RDS.sync(RDS.spec("prod-busy", "acc-busy").preserveRows(false).build(), log);
        } finally {
            RDS.rds.faults().release("prod-busy");
        }
        assertTrue(log.text(), log.text().contains("Source prod-busy is backing-up (its backup window?); waiting"));
        List<RecordedRequest> creates = RDS.rds.requests().ofAction("CreateDBSnapshot").stream()
                .filter(r -> r.names("prod-busy")).toList();
        assertEquals("one CreateDBSnapshot, after the backup: " + creates, 1, creates.size());
        assertTrue(creates.get(0).succeeded());
    }

    @Test
    public void aStoppedTargetIsStartedInSwapAndItsRowsKept() throws Exception {
        String target = "acc-stopped-swap";
        RDS.sync(RDS.spec(target).build());
        long tester = RDS.execute(target, "INSERT INTO customers (name, email) VALUES ('Night', 'n@qa.example')");
        stop(target);
        RDS.rds.requests().clear();
        RecordingListener log = new RecordingListener();
        RDS.sync(RDS.spec(target).build(), log);
        assertEquals(1, RDS.rds.requests().ofAction("StartDBInstance").stream().filter(r -> r.names(target)).count());
        assertTrue(log.text(), log.text().contains("Starting " + target + ", which is stopped"));
        assertEquals("Night", RDS.queryString(target, "SELECT name FROM customers WHERE id = " + tester));
    }

    @Test
    public void aStoppedTargetIsDeletedAsItIsInReplace() throws Exception {
        String target = "acc-stopped-replace";
        RDS.sync(RDS.spec(target).strategy(Strategy.REPLACE).preserveRows(false).build());
        stop(target);
        RDS.rds.requests().clear();
        RecordingListener log = new RecordingListener();
        RDS.sync(RDS.spec(target).strategy(Strategy.REPLACE).preserveRows(false).build(), log);
        assertEquals("nothing to read: not started", 0, RDS.rds.requests().count("StartDBInstance"));
        assertTrue(log.text(), log.text().contains("Deleting " + target + " with a final snapshot " + target
                + "-rds-sync-final; it is stopped"));
        // the restored target is back (taking the first backup of the retention it ends with)
        RDS.rds.awaitInstanceStatus(target, "available", Duration.ofSeconds(30));
    }

    private static void stop(String id) {
        // (the sync's last change turned backups on: RDS is taking the first backup)
        RDS.rds.awaitInstanceStatus(id, "available", Duration.ofSeconds(30));
        try (RdsClient c = RDS.client()) {
            c.stopDBInstance(r -> r.dbInstanceIdentifier(id));
        }
        RDS.rds.awaitInstanceStatus(id, "stopped", Duration.ofSeconds(30));
    }
}
