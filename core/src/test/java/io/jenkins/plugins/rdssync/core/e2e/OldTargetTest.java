package io.jenkins.plugins.rdssync.core.e2e;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.rdssync.core.run.SyncException;
import io.jenkins.plugins.rdssync.core.spec.ColumnKeep;
import io.jenkins.plugins.rdssync.core.spec.OldTarget;
import io.jenkins.plugins.rdssync.core.spec.Strategy;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import io.jenkins.plugins.rdssync.testkit.RecordedRequest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import software.amazon.awssdk.services.rds.RdsClient;

/**
 * The old target is never destroyed without a way back, the switch never leaves acceptance without an instance
 * under its name, and what reaches the old target after the catch-up is not lost.
 */
public class OldTargetTest {
    @ClassRule
    public static final EmulatedRds RDS = new EmulatedRds();
    private static final long OFFSET = 1_000_000_000L;

    @BeforeClass
    public static void testerAccountInProduction() throws Exception {
        try (Connection c = RDS.rds.connectAsMaster("production")) {
            Tester.createAccount(c);
        }
    }

    private static SyncSpec.Builder spec(String target) throws Exception {
        return RDS.spec(target).preserveColumns(List.of(new ColumnKeep(null, "customers", "password_hash", null,
                "id = 2")));
    }

    private static boolean testerCanLogIn(String target) {
        try (Connection c = DriverManager.getConnection(RDS.rds.nameEndpoint(target).jdbcUrl("shop")
                + "&connectTimeout=2000", Tester.USER, Tester.PASSWORD)) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Test
    public void byDefaultTheOldTargetEndsInAFinalSnapshotReplacedEachNight() throws Exception {
        String target = "acc-final";
        RDS.sync(spec(target).build());
        long row = RDS.execute(target, "INSERT INTO customers (name, email) VALUES ('night 1', 'n1@qa')");
        RDS.sync(spec(target).build());
        assertEquals("available", RDS.rds.snapshotStatus(target + "-rds-sync-final"));
        assertNull(RDS.rds.instanceStatus(target + "-rds-sync-old"));
        RDS.execute(target, "INSERT INTO customers (name, email) VALUES ('night 2', 'n2@qa')");
        RDS.rds.requests().clear();
        RDS.sync(spec(target).build());
        // the previous final snapshot made way for tonight's, which holds the old target as it was
        assertEquals(1, RDS.rds.requests().ofAction("DeleteDBSnapshot").stream()
                .filter(r -> (target + "-rds-sync-final").equals(r.param("DBSnapshotIdentifier"))).count());
        try (RdsClient client = RDS.client()) {
            client.restoreDBInstanceFromDBSnapshot(r -> r.dbInstanceIdentifier("from-final")
                    .dbSnapshotIdentifier(target + "-rds-sync-final"));
        }
        RDS.rds.awaitInstanceStatus("from-final", "available", Duration.ofSeconds(60));
        assertEquals(1, RDS.queryLong("from-final", "SELECT COUNT(*) FROM customers WHERE name = 'night 2'"));
        assertEquals(1, RDS.queryLong("from-final", "SELECT COUNT(*) FROM customers WHERE id = " + row));
    }

    @Test
    public void keepLeavesTheOldTargetFencedUntilItsTimeAndDeleteLeavesNothing() throws Exception {
        String target = "acc-keep";
        RDS.sync(spec(target).build());
        RDS.sync(spec(target).oldTarget(OldTarget.KEEP).oldTargetKeepHours(2).build());
        String old = target + "-rds-sync-old";
        assertEquals("available", RDS.rds.instanceStatus(old));
        assertTrue("testers work on the new acceptance", testerCanLogIn(target));
        assertTrue("and cannot write on the kept old one by mistake", !testerCanLogIn(old));
        assertNull(RDS.rds.snapshotStatus(target + "-rds-sync-final"));

        // the next night, the kept instance is still within its time: refused before anything changes
        int before = RDS.rds.requests().mutating().size();
        SyncException refused = assertThrows(SyncException.class,
                () -> RDS.sync(spec(target).oldTarget(OldTarget.DELETE).build()));
        assertTrue(refused.getMessage(), refused.getMessage().contains("oldTarget") && refused.getMessage()
                .contains("kept until"));
        assertEquals("nothing changed", before, RDS.rds.requests().mutating().size());

        // once its time is over, the next run deletes it to free the name
        try (RdsClient client = RDS.client()) {
            client.addTagsToResource(r -> r.resourceName(RDS.rds.instanceArn(old)).tags(t -> t
                    .key("rds-sync:kept-until").value("2020-01-01T00:00:00Z")));
        }
        RDS.sync(spec(target).oldTarget(OldTarget.DELETE).build());
        assertNull("oldTarget: delete leaves no old instance", RDS.rds.instanceStatus(old));
        assertNull("and no final snapshot", RDS.rds.snapshotStatus(target + "-rds-sync-final"));
    }

    @Test
    public void keepIsRefusedWithReplace() throws Exception {
        var e = assertThrows(Exception.class,
                () -> spec("acc-keep-replace").strategy(Strategy.REPLACE).oldTarget(OldTarget.KEEP).build());
        assertTrue(e.getMessage(), e.getMessage().contains("oldTarget") && e.getMessage().contains("swap"));
    }

    @Test
    public void aSecondRenameRefusedTwiceIsRetried() throws Exception {
        String target = "acc-refused-twice";
        RDS.sync(spec(target).build());
        RecordingListener log = new RecordingListener().when("Renaming " + target + " to " + target
                + "-rds-sync-old", () -> RDS.rds.faults().failNext("ModifyDBInstance", target + "-rds-sync-new", 2,
                        400, "InvalidDBInstanceState", "Database instance is not in available state."));
        RDS.rds.requests().clear();
        RDS.sync(spec(target).build(), log);
        RDS.rds.awaitInstanceStatus(target, "available", Duration.ofSeconds(30)); // after its first backup
        List<RecordedRequest> renamesIn = RDS.rds.requests().ofAction("ModifyDBInstance").stream()
                .filter(r -> target.equals(r.param("NewDBInstanceIdentifier"))).toList();
        assertEquals("refused twice, then taken: " + renamesIn, 3, renamesIn.size());
        assertTrue(log.text().contains("took the rename after 2 refusals"));
    }

    @Test
    public void aSecondRenameRefusedUntilTheBoundGivesTheOldTargetItsNameBack() throws Exception {
        String target = "acc-refused";
        RDS.sync(spec(target).build());
        long row = RDS.execute(target, "INSERT INTO customers (name, email) VALUES ('kept', 'k@qa')");
        RecordingListener log = new RecordingListener().when("Renaming " + target + " to " + target
                + "-rds-sync-old", () -> RDS.rds.faults().failNext("ModifyDBInstance", target + "-rds-sync-new",
                        10_000, 400, "InvalidDBInstanceState", "Database instance is not in available state."));
        SyncException e;
        try {
            e = assertThrows(SyncException.class, () -> RDS.sync(spec(target).build(), log));
        } finally {
            RDS.rds.faults().reset();
        }
        assertTrue(e.getMessage(), e.getMessage().contains("the old target is back under the name " + target));
        assertTrue(e.getMessage(), e.getMessage().contains("resume"));
        RDS.rds.awaitInstanceStatus(target, "available", Duration.ofSeconds(30)); // after its first backup
        assertNull(RDS.rds.instanceStatus(target + "-rds-sync-old"));
        assertEquals("the old target, with its data", "kept",
                RDS.queryString(target, "SELECT name FROM customers WHERE id = " + row));
        assertTrue("testers may write on it again", testerCanLogIn(target));

        // resumed once RDS takes renames again: the switch completes
        java.nio.file.Path workDir = RDS.lastWorkDir();
        RDS.sync(spec(target).workDir(workDir).resume(true).build());
        assertEquals("kept", RDS.queryString(target, "SELECT name FROM customers WHERE id = " + row));
        assertNotNull(RDS.rds.snapshotStatus(target + "-rds-sync-final"));
    }

    @Test
    public void anOldTargetWithPendingModificationsStopsTheSwitchWithAcceptanceUntouched() throws Exception {
        String target = "acc-pending";
        RDS.sync(spec(target).build());
        // (the sync's last change turned backups on: RDS is taking the first backup)
        RDS.rds.awaitInstanceStatus(target, "available", Duration.ofSeconds(30));
        try (RdsClient client = RDS.client()) {
            client.modifyDBInstance(r -> r.dbInstanceIdentifier(target).dbInstanceClass("db.m5.large")
                    .applyImmediately(false));
        }
        RecordingListener log = new RecordingListener();
        SyncException e = assertThrows(SyncException.class, () -> RDS.sync(spec(target).build(), log));
        assertTrue(e.getMessage(), e.getMessage().contains("DBInstanceClass")
                && e.getMessage().contains("Acceptance was not changed"));
        assertTrue("no rename was asked for", RDS.rds.requests().ofAction("ModifyDBInstance").stream()
                .noneMatch(r -> r.param("NewDBInstanceIdentifier") != null && target.equals(r.param(
                        "DBInstanceIdentifier"))));
        assertTrue("testers were never locked out", testerCanLogIn(target));
        RDS.rds.applyPendingMaintenance(target);
        RDS.rds.awaitInstanceStatus(target, "available", Duration.ofSeconds(30));
        java.nio.file.Path workDir = RDS.lastWorkDir();
        RDS.sync(spec(target).workDir(workDir).resume(true).build());
        RDS.rds.awaitInstanceStatus(target, "available", Duration.ofSeconds(30)); // after its first backup
    }

    @Test
    public void whatTheMasterUserWritesOnTheOldTargetAfterTheCatchUpIsCopiedByTheLastCatchUp() throws Exception {
        String target = "acc-late";
        RDS.sync(spec(target).build());
        long before = RDS.execute(target, "INSERT INTO customers (name, email) VALUES ('before', 'b@qa')");
        // the engine's own login (the master user) is not fenced: its writes after the catch-up land on the old
        // target while it still serves, renaming
        RecordingListener log = new RecordingListener().when("Renaming " + target + " to " + target
                + "-rds-sync-old", () -> {
                    try {
                        RDS.execute(target, "INSERT INTO customers (name, email) VALUES ('late', 'late@qa')");
                        RDS.execute(target, "UPDATE customers SET password_hash = 'late-hash' WHERE id = 2");
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
        RDS.sync(spec(target).build(), log);
        assertEquals("before", RDS.queryString(target, "SELECT name FROM customers WHERE id = " + before));
        assertEquals("the late row", 1, RDS.queryLong(target, "SELECT COUNT(*) FROM customers WHERE name = 'late'"
                + " AND id >= " + OFFSET));
        assertEquals("the late column value", "late-hash",
                RDS.queryString(target, "SELECT password_hash FROM customers WHERE id = 2"));
        assertTrue(log.text(), log.text().contains("1 rows added, 0 rows and 1 column values updated"));
        assertEquals("the marker schema is gone", 0, RDS.queryLong(target,
                "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'rds_sync_switch'"));
    }
}
