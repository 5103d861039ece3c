package io.jenkins.plugins.rdssync.testkit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.Test;

import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.InvalidDbInstanceStateException;

/** Scheduled automated backups and the slow-transition fault. */
public class ScheduleAndSlowTest {

    @Test
    public void scheduledAutomatedBackupsAndSlowTransitions() throws InterruptedException {
        try (RdsEmulator rds = RdsEmulator.builder().rdsMinute(Duration.ofMillis(20))
                .automatedBackupInterval(Duration.ofMillis(300)).start();
             RdsClient client = Sdk.client(rds)) {
            rds.createAvailableInstance("nightly", "admin", "nightlyPw1", Jdbc.seed());
            List<DBSnapshot> automated = List.of();
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < end) {
                automated = client.describeDBSnapshots(r -> r.dbInstanceIdentifier("nightly").snapshotType("automated"))
                        .dbSnapshots();
                if (!automated.isEmpty() && "available".equals(automated.get(0).status())) {
                    break;
                }
                Thread.sleep(5);
            }
            assertEquals("automated", automated.get(0).snapshotType());
            assertTrue(automated.get(0).dbSnapshotIdentifier().startsWith("rds:nightly-"));
            // backups off (takes effect at once, no status change): no scheduled backup gets in the way below
            while (true) {
                Sdk.waiter(client).waitUntilDBInstanceAvailable(r -> r.dbInstanceIdentifier("nightly"));
                try {
                    client.modifyDBInstance(r -> r.dbInstanceIdentifier("nightly").backupRetentionPeriod(0));
                    break;
                } catch (InvalidDbInstanceStateException e) {
                    // a scheduled backup started in between
                }
            }

            // a reboot is 1 RDS minute (20 ms); slowed 15 times it lasts at least 300 ms
            rds.faults().slow("rebooting", 15);
            long t0 = System.nanoTime();
            client.rebootDBInstance(r -> r.dbInstanceIdentifier("nightly"));
            rds.awaitInstanceStatus("nightly", "available", Duration.ofSeconds(30));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue("slowed reboot took " + ms + " ms", ms >= 300);
        }
    }
}
