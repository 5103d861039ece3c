package io.jenkins.plugins.rdssync.core.e2e;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.run.StageStatus;
import io.jenkins.plugins.rdssync.core.run.SyncResult;
import io.jenkins.plugins.rdssync.core.spec.ColumnKeep;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import io.jenkins.plugins.rdssync.testkit.RecordedRequest;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.ClassRule;
import org.junit.Test;

/**
 * The default strategy end to end: a first sync creates acceptance, testers work on it, production moves on, a
 * second sync brings production's data and keeps the testers' rows and chosen column values.
 */
public class SwapStrategyTest {
    @ClassRule
    public static final EmulatedRds RDS = new EmulatedRds();

    private static final long OFFSET = 1_000_000_000L;

    @Test
    public void testerRowsAndColumnsSurviveTwoSyncsWhileProductionDataIsRefreshed() throws Exception {
        ColumnKeep qaPassword = new ColumnKeep(null, "customers", "password_hash", null, "id = 2");
        SyncSpec.Builder spec = RDS.spec("acc-swap").preserveColumns(List.of(qaPassword));

        RecordingListener first = new RecordingListener();
        SyncResult created = RDS.sync(spec.build(), first);
        assertEquals("acc-swap", created.instance());
        assertEquals(200, RDS.queryLong("acc-swap", "SELECT COUNT(*) FROM customers"));
        assertEquals("first sync has no old target, so no downtime", 0.0, created.downtimeSeconds(), 0.0);

        // a tester works on acceptance: new rows get acceptance keys (the offset)
        long customer = RDS.execute("acc-swap",
                "INSERT INTO customers (name, email) VALUES ('Tess Tester', 'tess@qa.example')");
        assertTrue("AUTO_INCREMENT starts at the offset: " + customer, customer >= OFFSET);
        long order = RDS.execute("acc-swap", "INSERT INTO orders (customer_id, created, note) VALUES (" + customer
                + ", NOW(3), 'qa order ✓')");
        RDS.execute("acc-swap", "INSERT INTO order_items (order_id, product_id, quantity) VALUES (" + order
                + ", 7, 3)");
        RDS.execute("acc-swap", "UPDATE customers SET password_hash = 'qa-known-hash' WHERE id = 2");
        RDS.execute("acc-swap", "UPDATE customers SET name = 'changed on acceptance' WHERE id = 3");
        // production moves on
        RDS.execute("production", "INSERT INTO customers (name, email) VALUES ('New Customer', 'new@example.com')");

        RDS.rds.requests().clear();
        RecordingListener second = new RecordingListener();
        SyncResult result = RDS.sync(spec.build(), second);

        assertEquals(201 + 1, RDS.queryLong("acc-swap", "SELECT COUNT(*) FROM customers"));
        assertEquals("Tess Tester", RDS.queryString("acc-swap", "SELECT name FROM customers WHERE id = " + customer));
        assertEquals(1, RDS.queryLong("acc-swap", "SELECT COUNT(*) FROM orders WHERE id >= " + OFFSET));
        assertEquals(1, RDS.queryLong("acc-swap", "SELECT COUNT(*) FROM order_items WHERE id >= " + OFFSET));
        assertEquals("qa order ✓", RDS.queryString("acc-swap", "SELECT note FROM orders WHERE id = " + order));
        assertEquals("preserved column value", "qa-known-hash",
                RDS.queryString("acc-swap", "SELECT password_hash FROM customers WHERE id = 2"));
        assertEquals("production rows are production's again", "Customer 3",
                RDS.queryString("acc-swap", "SELECT name FROM customers WHERE id = 3"));
        assertEquals(1, RDS.queryLong("acc-swap", "SELECT COUNT(*) FROM customers WHERE email = 'new@example.com'"));
        long next = RDS.execute("acc-swap", "INSERT INTO customers (name, email) VALUES ('again', 'a@qa.example')");
        assertTrue("offset still applied after the switch: " + next, next > customer);

        assertEquals(Long.valueOf(1), result.preservedRows().get("shop.customers"));
        assertEquals(Long.valueOf(1), result.preservedRows().get("shop.orders"));
        assertEquals("the second rolling snapshot takes the other name", "production-acc-swap-rds-sync-b",
                result.snapshot());
        assertEquals("the previous rolling snapshot is gone once the new one exists", List.of(result.snapshot()),
                RDS.rds.snapshotIds().stream().filter(s -> s.startsWith("production-acc-swap-")).toList());
        assertTrue("downtime is the renames only: " + result.downtimeSeconds(), result.downtimeSeconds() > 0);
        assertEquals(StageStatus.DONE, stage(result, StageName.SWITCH));
        assertNull("old target cleaned up", RDS.rds.instanceStatus("acc-swap-rds-sync-old"));
        assertNull(RDS.rds.instanceStatus("acc-swap-rds-sync-new"));

        // production is only ever snapshotted
        for (RecordedRequest r : RDS.rds.requests().mutatingNaming("production")) {
            assertEquals("only snapshots name the source: " + r, "CreateDBSnapshot", r.action());
        }
        String log = first.text() + second.text();
        assertFalse(log.contains(EmulatedRds.ACC_PASSWORD));
        assertFalse(log.contains(EmulatedRds.PROD_PASSWORD));
        assertFalse(log.contains(EmulatedRds.AWS_SECRET));
    }

    @Test
    public void newInstanceTakesTheNameWhileTheOldOneIsStillRebootingUnderItsNewName() throws Exception {
        String target = "acc-window";
        RDS.sync(RDS.spec(target).build(), new RecordingListener());
        // the old target's reboot after its rename never ends until released: the switch must not wait for it,
        // acceptance's name is free as soon as the rename has taken effect
        RDS.rds.faults().hold(target + "-rds-sync-old", "rebooting");
        AtomicReference<String> oldWhenSwitched = new AtomicReference<>();
        Thread watcher = new Thread(() -> {
            boolean renamedAway = false;
            while (!Thread.currentThread().isInterrupted()) {
                renamedAway |= RDS.rds.instanceStatus(target + "-rds-sync-old") != null;
                if (renamedAway && "available".equals(RDS.rds.instanceStatus(target))
                        && RDS.rds.instanceStatus(target + "-rds-sync-new") == null) {
                    oldWhenSwitched.set(String.valueOf(RDS.rds.instanceStatus(target + "-rds-sync-old")));
                    RDS.rds.faults().release(target + "-rds-sync-old"); // so that Cleanup can delete it
                    return;
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        watcher.start();
        SyncResult result;
        RecordingListener listener = new RecordingListener();
        try {
            // a short Switch timeout, so that waiting for the old instance's reboot fails instead of hanging
            result = RDS.sync(RDS.spec(target).stageTimeoutMinutes(java.util.Map.of("switch", 60)).build(), listener);
        } finally {
            watcher.interrupt();
            watcher.join();
            RDS.rds.faults().release(target + "-rds-sync-old");
        }
        assertEquals("the new instance answered under the target's name while the old one rebooted\n"
                + listener.text(), "rebooting", oldWhenSwitched.get());
        assertEquals(StageStatus.DONE, stage(result, StageName.SWITCH));
        assertNull("old target cleaned up once its reboot ended", RDS.rds.instanceStatus(target + "-rds-sync-old"));
    }

    static StageStatus stage(SyncResult result, StageName name) {
        return result.stages().stream().filter(s -> s.stage() == name).findFirst().orElseThrow().status();
    }
}
