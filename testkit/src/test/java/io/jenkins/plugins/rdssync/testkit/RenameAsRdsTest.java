package io.jenkins.plugins.rdssync.testkit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.InvalidDbInstanceStateException;
import software.amazon.awssdk.services.rds.waiters.RdsWaiter;

/**
 * Renames as RDS does them (RDS-FACTS.md, Renames): the old endpoint serves until the rename takes effect, names are
 * DNS names (a stale resolver cache, a propagation delay), ModifyDBInstance is refused unless the instance is
 * available, and ApplyImmediately also applies what was pending.
 */
public class RenameAsRdsTest {
    private static final String PW = "renamePass1";
    private static RdsEmulator rds;
    private static RdsClient client;
    private static RdsWaiter waiter;

    @BeforeClass
    public static void start() {
        rds = RdsEmulator.builder().rdsMinute(Duration.ofMillis(20))
                .transitionMinutes(Transition.RENAME, 5).transitionMinutes(Transition.RENAME_REBOOT, 5).start();
        client = Sdk.client(rds);
        waiter = Sdk.waiter(client);
    }

    @AfterClass
    public static void stop() {
        client.close();
        rds.close();
    }

    @After
    public void resetFaults() {
        rds.faults().reset();
    }

    private static Connection login(DbEndpoint at) throws SQLException {
        return DriverManager.getConnection(at.jdbcUrl() + "&connectTimeout=2000", "admin", PW);
    }

    private static String marker(DbEndpoint at) throws SQLException {
        try (Connection c = login(at)) {
            return Jdbc.rows(c, "SELECT name FROM m.marker").get(0);
        }
    }

    private static void mark(String id, String name) throws SQLException {
        try (Connection c = login(rds.dbEndpoint(id))) {
            c.createStatement().execute("CREATE DATABASE m");
            c.createStatement().execute("CREATE TABLE m.marker (name VARCHAR(20))");
            c.createStatement().execute("INSERT INTO m.marker VALUES ('" + name + "')");
        }
    }

    private static void rename(String from, String to) {
        client.modifyDBInstance(r -> r.dbInstanceIdentifier(from).newDBInstanceIdentifier(to).applyImmediately(true));
    }

    @Test
    public void aNameFollowsItsInstanceWithAStaleCacheAndAPropagationDelay() throws Exception {
        rds.createAvailableInstance("acc", "admin", PW, null);
        rds.createAvailableInstance("acc-new", "admin", PW, null);
        mark("acc", "old");
        mark("acc-new", "new");
        DbEndpoint accName = rds.nameEndpoint("acc");
        assertEquals("the name's endpoint is the instance's", rds.dbEndpoint("acc"), accName);
        assertEquals("old", marker(accName));

        rds.faults().staleDnsCache(40).dnsPropagation(20);
        rename("acc", "acc-old");
        assertEquals("renaming: the old endpoint still serves", "old", marker(accName));
        rds.awaitInstanceStatus("acc-old", "available", Duration.ofSeconds(20));
        assertEquals("a stale cache still reaches the renamed instance under its old name", "old", marker(accName));
        rename("acc-new", "acc");
        rds.awaitInstanceStatus("acc", "available", Duration.ofSeconds(20));
        assertEquals("while the stale record lasts it wins over the new one", "old", marker(accName));
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String now = "old";
        while (System.nanoTime() < until && !"new".equals(now)) {
            try {
                now = marker(accName);
            } catch (SQLException e) {
                now = "nothing";
            }
            Thread.sleep(20);
        }
        assertEquals("once the stale record expired, the name reaches the new holder", "new", now);
        assertEquals("old", marker(rds.nameEndpoint("acc-old")));
    }

    @Test
    public void aNewNameAnswersOnlyOnceItsRecordIsEffective() throws Exception {
        rds.createAvailableInstance("late", "admin", PW, null);
        rds.faults().dnsPropagation(100); // 2 s
        rename("late", "late-renamed");
        rds.awaitInstanceStatus("late-renamed", "available", Duration.ofSeconds(20));
        assertTrue("available, but DNS does not know the new name yet",
                Jdbc.refuses(rds.nameEndpoint("late-renamed").port()));
        assertTrue("and the old name is gone", Jdbc.refuses(rds.nameEndpoint("late").port()));
        waitAnswering(rds.nameEndpoint("late-renamed"), Duration.ofSeconds(10));
    }

    @Test
    public void modifyIsRefusedUnlessAvailableAndApplyImmediatelyAppliesWhatWasPending() throws Exception {
        rds.createAvailableInstance("busy", "admin", PW, null);
        rds.faults().forceStatus("busy", "backing-up");
        InvalidDbInstanceStateException refused = assertThrows(InvalidDbInstanceStateException.class,
                () -> rename("busy", "busy-2"));
        assertEquals(400, refused.statusCode());
        rds.faults().release("busy");

        client.modifyDBInstance(r -> r.dbInstanceIdentifier("busy").dbInstanceClass("db.m5.large")
                .applyImmediately(false));
        DBInstance pending = client.describeDBInstances(r -> r.dbInstanceIdentifier("busy")).dbInstances().get(0);
        assertEquals("db.m5.large", pending.pendingModifiedValues().dbInstanceClass());
        assertEquals("db.t3.micro", pending.dbInstanceClass());
        rename("busy", "busy-2");
        List<String> seen = new java.util.ArrayList<>();
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < until && !(seen.contains("renaming") && "available".equals(
                rds.instanceStatus("busy-2")))) {
            String s = rds.instanceStatus("busy") != null ? rds.instanceStatus("busy") : rds.instanceStatus("busy-2");
            if (s != null && (seen.isEmpty() || !seen.get(seen.size() - 1).equals(s))) {
                seen.add(s);
            }
            Thread.sleep(3);
        }
        assertTrue("the pending class change is applied first, then the rename: " + seen,
                seen.indexOf("modifying") >= 0 && seen.indexOf("modifying") < seen.indexOf("renaming"));
        waiter.waitUntilDBInstanceAvailable(r -> r.dbInstanceIdentifier("busy-2"));
        DBInstance after = client.describeDBInstances(r -> r.dbInstanceIdentifier("busy-2")).dbInstances().get(0);
        assertEquals("db.m5.large", after.dbInstanceClass());
        assertEquals(null, after.pendingModifiedValues().dbInstanceClass());
    }

    @Test
    public void aFailureCanTargetOneInstance() {
        rds.createAvailableInstance("one", "admin", PW, null);
        rds.createAvailableInstance("two", "admin", PW, null);
        rds.faults().failNext("ModifyDBInstance", "two", 1, 400, "InvalidDBInstanceState", "not now");
        client.modifyDBInstance(r -> r.dbInstanceIdentifier("one").deletionProtection(true).applyImmediately(true));
        assertThrows(InvalidDbInstanceStateException.class, () -> client.modifyDBInstance(
                r -> r.dbInstanceIdentifier("two").deletionProtection(true).applyImmediately(true)));
        client.modifyDBInstance(r -> r.dbInstanceIdentifier("two").deletionProtection(true).applyImmediately(true));
        assertFalse(rds.requests().ofAction("ModifyDBInstance").isEmpty());
    }

    private static void waitAnswering(DbEndpoint at, Duration limit) throws Exception {
        long until = System.nanoTime() + limit.toNanos();
        while (true) {
            try (Connection c = login(at)) {
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > until) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }
}
