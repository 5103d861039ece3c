package io.jenkins.plugins.rdssync.testkit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.RdsException;
import software.amazon.awssdk.services.rds.model.Tag;
import software.amazon.awssdk.services.rds.waiters.RdsWaiter;

/** The RDS lifecycle through an unmodified SDK client and its waiters, with real data checked over JDBC. */
public class LifecycleTest {
    private static final String PROD_PASSWORD = "prodPass123";

    private static RdsEmulator rds;
    private static RdsClient client;
    private static RdsWaiter waiter;

    @BeforeClass
    public static void start() {
        rds = RdsEmulator.builder()
                .rdsMinute(Duration.ofMillis(20))
                // long enough to be observed by polling
                .transitionMinutes(Transition.SNAPSHOT, 15)
                .transitionMinutes(Transition.RESTORE_SETTLE, 3)
                .transitionMinutes(Transition.BACKUP, 25)
                .transitionMinutes(Transition.RENAME, 5)
                .transitionMinutes(Transition.RENAME_REBOOT, 10)
                .subnetGroup("acceptance-subnets", "us-east-1a", "us-east-1b")
                .parameterGroup("acceptance-mysql80")
                .optionGroup("acceptance-og")
                .securityGroups("sg-0acc1", "sg-0acc2")
                .start();
        client = Sdk.client(rds);
        waiter = Sdk.waiter(client);
        rds.createAvailableInstance("prod", "admin", PROD_PASSWORD, Jdbc.seed());
    }

    @AfterClass
    public static void stop() {
        if (client != null) {
            client.close();
        }
        if (rds != null) {
            rds.close();
        }
    }

    private static DBInstance describe(String id) {
        return client.describeDBInstances(r -> r.dbInstanceIdentifier(id)).dbInstances().get(0);
    }

    private static DBSnapshot describeSnapshot(String id) {
        return client.describeDBSnapshots(r -> r.dbSnapshotIdentifier(id)).dbSnapshots().get(0);
    }

    /** Polls DescribeDBInstances until {@code done} holds; returns the statuses seen, in order, without repeats. */
    private static List<String> trail(String id, Predicate<DBInstance> done) throws InterruptedException {
        return trailUntil(id, seen -> done.test(describe(id)));
    }

    /** Polls DescribeDBInstances until the statuses seen so far (in order, without repeats) satisfy {@code done}. */
    private static List<String> trailUntil(String id, Predicate<List<String>> done) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            String status = describe(id).dbInstanceStatus();
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(status)) {
                seen.add(status);
                if (done.test(seen)) {
                    return seen;
                }
            }
            Thread.sleep(3);
        }
        throw new AssertionError("timed out; statuses seen: " + seen);
    }

    @Test
    public void createSnapshotRestoreRenameRebootDelete() throws Exception {
        // CreateDBInstance: creating (no endpoint yet) -> backing-up -> available
        DBInstance created = client.createDBInstance(r -> r.dbInstanceIdentifier("Scratch").dbInstanceClass("db.t3.micro")
                .engine("mysql").masterUsername("admin").masterUserPassword("scratchPw1").allocatedStorage(20)
                .dbName("scratchdb")).dbInstance();
        assertEquals("scratch", created.dbInstanceIdentifier());
        assertEquals("creating", created.dbInstanceStatus());
        assertNull(created.endpoint());
        waiter.waitUntilDBInstanceAvailable(r -> r.dbInstanceIdentifier("scratch"));
        DBInstance scratch = describe("scratch");
        try (Connection c = Jdbc.connect(scratch, "admin", "scratchPw1")) {
            assertTrue(Jdbc.rows(c, "SHOW DATABASES").contains("scratchdb"));
        }

        // CreateDBSnapshot: PercentProgress rises in steps; the source shows backing-up meanwhile
        List<DBInstance> sources = new ArrayList<>();
        DBSnapshot snap = client.createDBSnapshot(r -> r.dbSnapshotIdentifier("prod-snap").dbInstanceIdentifier("prod")
                .tags(Tag.builder().key("purpose").value("test").build())).dbSnapshot();
        assertEquals("creating", snap.status());
        assertEquals("manual", snap.snapshotType());
        List<Integer> progress = new ArrayList<>(List.of(snap.percentProgress()));
        while (true) {
            DBSnapshot s = describeSnapshot("prod-snap");
            if (progress.isEmpty() || progress.get(progress.size() - 1) != s.percentProgress().intValue()) {
                progress.add(s.percentProgress());
            }
            sources.add(describe("prod"));
            if ("available".equals(s.status())) {
                break;
            }
            Thread.sleep(5);
        }
        for (int k = 1; k < progress.size(); k++) {
            assertTrue("progress never goes down: " + progress, progress.get(k) > progress.get(k - 1));
        }
        assertEquals(Integer.valueOf(100), progress.get(progress.size() - 1));
        assertEquals(Integer.valueOf(0), progress.get(0));
        assertTrue("progress seen rising: " + progress, progress.stream().anyMatch(p -> p > 0 && p < 100));
        assertTrue(sources.stream().anyMatch(i -> "backing-up".equals(i.dbInstanceStatus())));
        waiter.waitUntilDBSnapshotAvailable(r -> r.dbSnapshotIdentifier("prod-snap"));
        waiter.waitUntilDBInstanceAvailable(r -> r.dbInstanceIdentifier("prod"));
        DBSnapshot done = describeSnapshot("prod-snap");
        assertEquals("prod", done.dbInstanceIdentifier());
        assertEquals("admin", done.masterUsername());
        assertEquals("mysql", done.engine());
        assertEquals(rds.snapshotArn("prod-snap"), done.dbSnapshotArn());
        assertEquals(describe("prod").endpoint().port(), done.port());

        // RestoreDBInstanceFromDBSnapshot with every setting
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        int wantPort = port;
        DBInstance restoring = client.restoreDBInstanceFromDBSnapshot(r -> r.dbInstanceIdentifier("acc-new")
                .dbSnapshotIdentifier("prod-snap").dbInstanceClass("db.t3.small").dbSubnetGroupName("acceptance-subnets")
                .availabilityZone("us-east-1b").vpcSecurityGroupIds("sg-0acc1", "sg-0acc2")
                .dbParameterGroupName("acceptance-mysql80").optionGroupName("acceptance-og").port(wantPort)
                .storageType("gp3").multiAZ(false).publiclyAccessible(false)
                .tags(Tag.builder().key("env").value("acceptance").build()).deletionProtection(true)).dbInstance();
        assertEquals("creating", restoring.dbInstanceStatus());
        // the trap: available, then backing-up, then available again (the hold makes the short phase observable)
        rds.faults().hold("acc-new", "available");
        assertEquals(List.of("creating", "available"), trail("acc-new", i -> "available".equals(i.dbInstanceStatus())));
        rds.faults().release("acc-new");
        List<String> statuses = trailUntil("acc-new", seen -> seen.contains("backing-up")
                && "available".equals(seen.get(seen.size() - 1)));
        assertEquals(List.of("backing-up", "available"), statuses.subList(statuses.size() - 2, statuses.size()));
        waiter.waitUntilDBInstanceAvailable(r -> r.dbInstanceIdentifier("acc-new"));
        DBInstance acc = describe("acc-new");
        assertEquals("db.t3.small", acc.dbInstanceClass());
        assertEquals("acceptance-subnets", acc.dbSubnetGroup().dbSubnetGroupName());
        assertEquals("us-east-1b", acc.availabilityZone());
        assertEquals(List.of("sg-0acc1", "sg-0acc2"), acc.vpcSecurityGroups().stream()
                .map(g -> g.vpcSecurityGroupId()).collect(Collectors.toList()));
        assertEquals("acceptance-mysql80", acc.dbParameterGroups().get(0).dbParameterGroupName());
        assertEquals("in-sync", acc.dbParameterGroups().get(0).parameterApplyStatus());
        assertEquals("acceptance-og", acc.optionGroupMemberships().get(0).optionGroupName());
        assertEquals("127.0.0.1", acc.endpoint().address());
        assertEquals(Integer.valueOf(wantPort), acc.endpoint().port());
        assertEquals("gp3", acc.storageType());
        assertTrue(acc.deletionProtection());
        assertEquals("admin", acc.masterUsername());
        assertEquals(List.of(Tag.builder().key("env").value("acceptance").build()), acc.tagList());
        assertEquals(rds.instanceArn("acc-new"), acc.dbInstanceArn());

        // the restored server holds exactly the source's data (read over the reported endpoints)
        List<String> source;
        try (Connection c = Jdbc.connect(describe("prod"), "admin", PROD_PASSWORD)) {
            source = Jdbc.fingerprint(c);
        }
        try (Connection c = Jdbc.connect(acc, "admin", PROD_PASSWORD)) {
            assertEquals(source, Jdbc.fingerprint(c));
        }
        try (Connection c = Jdbc.connect(acc, "app", "appPass123")) {
            assertEquals(4, Jdbc.rows(c, "SELECT id FROM shop.customers").size());
        }

        // rename (RDS User Guide, "Renaming a DB instance"): the instance keeps serving at its old endpoint while
        // renaming; when the name switches it reboots, then answers under the new name only
        int oldPort = acc.endpoint().port();
        Connection live = Jdbc.connect(acc, "admin", PROD_PASSWORD);
        rds.faults().hold("acc-new", "renaming").hold("acceptance", "rebooting");
        DBInstance renaming = client.modifyDBInstance(r -> r.dbInstanceIdentifier("acc-new")
                .newDBInstanceIdentifier("acceptance").applyImmediately(true)).dbInstance();
        assertEquals("live connections go on while renaming", 1, Jdbc.rows(live, "SELECT 1").size());
        try (Connection c = Jdbc.connect(acc, "admin", PROD_PASSWORD)) {
            assertEquals("the old endpoint still takes new logins and writes", 0,
                    c.createStatement().executeUpdate("CREATE TABLE shop.written_while_renaming (id INT)"));
        }
        assertEquals("acc-new", renaming.dbInstanceIdentifier());
        assertEquals("acceptance", renaming.pendingModifiedValues().dbInstanceIdentifier());
        assertThrows(DbInstanceNotFoundException.class, () -> describe("acceptance"));
        assertEquals("renaming", describe("acc-new").dbInstanceStatus());
        rds.faults().release("acc-new");
        // once the name switched: the old one is gone, the new one reboots (connections cut) before answering
        DBInstance switched = null;
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (switched == null && System.nanoTime() < end) {
            try {
                switched = describe("acceptance");
            } catch (DbInstanceNotFoundException e) {
                Thread.sleep(3);
            }
        }
        assertEquals("rebooting", switched.dbInstanceStatus());
        assertThrows(DbInstanceNotFoundException.class, () -> describe("acc-new"));
        int newPort = switched.endpoint().port();
        assertNotEquals(oldPort, newPort);
        assertTrue("new endpoint not answering yet", Jdbc.refuses(newPort));
        assertThrows(SQLException.class, () -> Jdbc.rows(live, "SELECT 1"));
        live.close();
        rds.faults().release("acceptance");
        waiter.waitUntilDBInstanceAvailable(r -> r.dbInstanceIdentifier("acceptance"));
        DBInstance renamed = describe("acceptance");
        assertEquals(rds.instanceArn("acceptance"), renamed.dbInstanceArn());
        assertEquals(acc.dbiResourceId(), renamed.dbiResourceId());
        try (Connection c = Jdbc.connect(renamed, "admin", PROD_PASSWORD)) {
            assertEquals(source, Jdbc.fingerprint(c));
        }
        assertTrue("the old name reaches nothing once the rename took effect", Jdbc.refuses(oldPort));
        try (Connection c = Jdbc.connect(renamed, "admin", PROD_PASSWORD)) {
            assertEquals("the write made while renaming is there", 0,
                    Jdbc.rows(c, "SELECT id FROM shop.written_while_renaming").size());
        }

        // reboot
        DBInstance rebooting = client.rebootDBInstance(r -> r.dbInstanceIdentifier("acceptance")).dbInstance();
        assertEquals("rebooting", rebooting.dbInstanceStatus());
        waiter.waitUntilDBInstanceAvailable(r -> r.dbInstanceIdentifier("acceptance"));
        try (Connection c = Jdbc.connect(describe("acceptance"), "admin", PROD_PASSWORD)) {
            assertEquals(1, Jdbc.rows(c, "SELECT 1").size());
        }

        // delete: refused while deletion protection is on, like RDS
        RdsException refused = assertThrows(RdsException.class, () -> client.deleteDBInstance(r -> r
                .dbInstanceIdentifier("acceptance").skipFinalSnapshot(true)));
        assertEquals("InvalidParameterCombination", refused.awsErrorDetails().errorCode());
        assertEquals(400, refused.statusCode());
        client.modifyDBInstance(r -> r.dbInstanceIdentifier("acceptance").deletionProtection(false).applyImmediately(true));
        DBInstance deleting = client.deleteDBInstance(r -> r.dbInstanceIdentifier("acceptance").skipFinalSnapshot(true))
                .dbInstance();
        assertEquals("deleting", deleting.dbInstanceStatus());
        assertTrue(Jdbc.refuses(newPort));
        waiter.waitUntilDBInstanceDeleted(r -> r.dbInstanceIdentifier("acceptance"));
        assertNull(rds.instanceStatus("acceptance"));

        // delete with a final snapshot: the snapshot outlives the instance and holds its data
        client.deleteDBInstance(r -> r.dbInstanceIdentifier("scratch").finalDBSnapshotIdentifier("scratch-final"));
        waiter.waitUntilDBInstanceDeleted(r -> r.dbInstanceIdentifier("scratch"));
        waiter.waitUntilDBSnapshotAvailable(r -> r.dbSnapshotIdentifier("scratch-final"));
        assertEquals("scratch", describeSnapshot("scratch-final").dbInstanceIdentifier());
        assertEquals(1, client.describeDBSnapshots(r -> r.dbInstanceIdentifier("scratch")).dbSnapshots().size());

        // production was only ever snapshotted
        assertEquals(List.of("CreateDBSnapshot"), rds.requests().mutatingNaming("prod").stream()
                .map(RecordedRequest::action).distinct().collect(Collectors.toList()));
    }

    @Test
    public void restoredInstanceKeepsTheSnapshotPasswordUntilReset() throws Exception {
        rds.createAvailableInstance("pwsrc", "master", "snapshotPw1", null);
        client.createDBSnapshot(r -> r.dbSnapshotIdentifier("pw-snap").dbInstanceIdentifier("pwsrc"));
        waiter.waitUntilDBSnapshotAvailable(r -> r.dbSnapshotIdentifier("pw-snap"));
        waiter.waitUntilDBInstanceAvailable(r -> r.dbInstanceIdentifier("pwsrc"));
        // the source's password changes after the snapshot
        DBInstance resetting = client.modifyDBInstance(r -> r.dbInstanceIdentifier("pwsrc")
                .masterUserPassword("laterPw22").applyImmediately(true)).dbInstance();
        assertEquals("resetting-master-credentials", resetting.dbInstanceStatus());
        assertEquals("****", resetting.pendingModifiedValues().masterUserPassword());
        waiter.waitUntilDBInstanceAvailable(r -> r.dbInstanceIdentifier("pwsrc"));
        assertNull(describe("pwsrc").pendingModifiedValues().masterUserPassword());
        try (Connection c = Jdbc.connect(describe("pwsrc"), "master", "laterPw22")) {
            assertEquals(1, Jdbc.rows(c, "SELECT 1").size());
        }

        client.restoreDBInstanceFromDBSnapshot(r -> r.dbInstanceIdentifier("pw-restored").dbSnapshotIdentifier("pw-snap"));
        // a restored instance is available, then backing-up, then available: modify only after that
        awaitRestored("pw-restored");
        DBInstance restored = describe("pw-restored");
        try (Connection c = Jdbc.connect(restored, "master", "snapshotPw1")) {
            assertEquals(List.of("master@%"), Jdbc.rows(c, "SELECT CURRENT_USER()"));
        }
        assertThrows(SQLException.class, () -> Jdbc.connect(restored, "master", "laterPw22").close());

        client.modifyDBInstance(r -> r.dbInstanceIdentifier("pw-restored").masterUserPassword("resetPw333")
                .applyImmediately(true));
        waiter.waitUntilDBInstanceAvailable(r -> r.dbInstanceIdentifier("pw-restored"));
        try (Connection c = Jdbc.connect(describe("pw-restored"), "master", "resetPw333")) {
            assertEquals(1, Jdbc.rows(c, "SELECT 1").size());
        }
        assertThrows(SQLException.class, () -> Jdbc.connect(restored, "master", "snapshotPw1").close());
        try (Connection c = rds.connectAsMaster("pw-restored")) {
            assertFalse(c.isClosed());
        }
    }

    /** After a restore the instance goes available, backing-up, available: wait for the last one. */
    private static void awaitRestored(String id) throws InterruptedException {
        trailUntil(id, seen -> seen.contains("backing-up") && "available".equals(seen.get(seen.size() - 1)));
    }

    @Test
    public void parameterGroupChangeIsPendingRebootUntilRebooted() {
        rds.createAvailableInstance("pg-inst", "admin", "pgInstPw1", null);
        DBInstance modifying = client.modifyDBInstance(r -> r.dbInstanceIdentifier("pg-inst")
                .dbParameterGroupName("acceptance-mysql80").vpcSecurityGroupIds("sg-0acc2").applyImmediately(true))
                .dbInstance();
        assertEquals("modifying", modifying.dbInstanceStatus());
        assertEquals("applying", modifying.dbParameterGroups().get(0).parameterApplyStatus());
        waiter.waitUntilDBInstanceAvailable(r -> r.dbInstanceIdentifier("pg-inst"));
        DBInstance after = describe("pg-inst");
        assertEquals("acceptance-mysql80", after.dbParameterGroups().get(0).dbParameterGroupName());
        assertEquals("pending-reboot", after.dbParameterGroups().get(0).parameterApplyStatus());
        assertEquals("sg-0acc2", after.vpcSecurityGroups().get(0).vpcSecurityGroupId());
        DBInstance rebooting = client.rebootDBInstance(r -> r.dbInstanceIdentifier("pg-inst")).dbInstance();
        assertEquals("rebooting", rebooting.dbInstanceStatus());
        assertEquals("pending-reboot", rebooting.dbParameterGroups().get(0).parameterApplyStatus());
        waiter.waitUntilDBInstanceAvailable(r -> r.dbInstanceIdentifier("pg-inst"));
        assertEquals("in-sync", describe("pg-inst").dbParameterGroups().get(0).parameterApplyStatus());
    }

    @Test
    public void deferredModificationsWaitForTheMaintenanceWindow() throws Exception {
        rds.createAvailableInstance("deferred", "admin", "deferredPw1", null);
        DBInstance m = client.modifyDBInstance(r -> r.dbInstanceIdentifier("deferred").dbInstanceClass("db.r6g.large")
                .applyImmediately(false)).dbInstance();
        assertEquals("available", m.dbInstanceStatus());
        assertEquals("db.r6g.large", m.pendingModifiedValues().dbInstanceClass());
        assertEquals("db.t3.micro", describe("deferred").dbInstanceClass());
        rds.applyPendingMaintenance("deferred");
        waiter.waitUntilDBInstanceAvailable(r -> r.dbInstanceIdentifier("deferred"));
        DBInstance after = describe("deferred");
        assertEquals("db.r6g.large", after.dbInstanceClass());
        assertNull(after.pendingModifiedValues().dbInstanceClass());
        try (Connection c = rds.connectAsMaster("deferred"); Statement st = c.createStatement()) {
            st.execute("SELECT 1");
        }
    }
}
