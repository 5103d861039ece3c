package io.jenkins.plugins.rdssync.core.e2e;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.run.StageStatus;
import io.jenkins.plugins.rdssync.core.run.SyncResult;
import io.jenkins.plugins.rdssync.core.spec.Strategy;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import org.junit.ClassRule;
import org.junit.Test;

/** The original toolkit's order: back up, delete the target, restore under its name, SQL stages, reload. */
public class ReplaceStrategyTest {
    @ClassRule
    public static final EmulatedRds RDS = new EmulatedRds();

    @Test
    public void testerRowsSurviveTwoReplaceSyncs() throws Exception {
        SyncSpec.Builder spec = RDS.spec("acc-replace").strategy(Strategy.REPLACE);
        RDS.sync(spec.build());
        long customer = RDS.execute("acc-replace", "INSERT INTO customers (name, email) VALUES ('Rita', 'r@qa')");
        RDS.execute("acc-replace", "INSERT INTO orders (customer_id, created) VALUES (" + customer + ", NOW())");

        RecordingListener log = new RecordingListener();
        SyncResult result = RDS.sync(spec.build(), log);

        assertEquals("Rita", RDS.queryString("acc-replace", "SELECT name FROM customers WHERE id = " + customer));
        assertEquals(1, RDS.queryLong("acc-replace", "SELECT COUNT(*) FROM orders WHERE customer_id = " + customer));
        assertEquals(200, RDS.queryLong("acc-replace", "SELECT COUNT(*) FROM customers WHERE id < 1000000000"));
        assertEquals(StageStatus.DONE, SwapStrategyTest.stage(result, StageName.DELETE_TARGET));
        assertTrue("replace has no switch",
                result.stages().stream().noneMatch(s -> s.stage() == StageName.SWITCH));
        assertTrue("acceptance was down from the delete until the restore answered: " + result.downtimeSeconds(),
                result.downtimeSeconds() > 0);
        int delete = log.lines.indexOf(log.lines.stream().filter(l -> l.startsWith("[Delete target] Deleting"))
                .findFirst().orElseThrow());
        int verified = log.lines.indexOf(log.lines.stream()
                .filter(l -> l.startsWith("[Delete target] Preserved rows verified")).findFirst().orElseThrow());
        assertTrue("the preserved rows are verified on disk before the delete", verified < delete);
        assertEquals(1, RDS.rds.requests().ofAction("DeleteDBInstance").stream()
                .filter(r -> "acc-replace".equals(r.param("DBInstanceIdentifier"))).count());
    }

    @Test
    public void deletionProtectionIsTurnedOffForTheDeleteAndKeptOnTheNewTarget() throws Exception {
        SyncSpec.Builder spec = RDS.spec("acc-protect-del").strategy(Strategy.REPLACE).preserveRows(false);
        RDS.sync(spec.build());
        // the run ended by turning backups on: RDS refuses a modify until its first backup is taken
        RDS.rds.awaitInstanceStatus("acc-protect-del", "available", java.time.Duration.ofSeconds(30));
        try (var client = RDS.client()) {
            client.modifyDBInstance(r -> r.dbInstanceIdentifier("acc-protect-del").deletionProtection(true)
                    .applyImmediately(true));
        }
        RDS.rds.awaitInstanceStatus("acc-protect-del", "available", java.time.Duration.ofSeconds(30));
        RDS.sync(spec.build());
        try (var client = RDS.client()) {
            assertTrue("the replacement is protected as the old target was", client.describeDBInstances(
                    r -> r.dbInstanceIdentifier("acc-protect-del")).dbInstances().get(0).deletionProtection());
        }
        // and the swap strategy deletes the protected old target in Cleanup
        RDS.sync(RDS.spec("acc-protect-del").preserveRows(false).build());
        assertEquals(null, RDS.rds.instanceStatus("acc-protect-del-rds-sync-old"));
    }
}
