package io.jenkins.plugins.rdssync.core.e2e;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.run.StageOutcome;
import io.jenkins.plugins.rdssync.core.run.SyncResult;
import io.jenkins.plugins.rdssync.testkit.Transition;
import java.time.Duration;
import java.time.Instant;
import org.junit.ClassRule;
import org.junit.Test;

/**
 * {@code storage-optimization} is usable and may last a day (RDS-FACTS.md, "Instance states"): a target whose storage
 * type differs from production's is in it before the run, and its restored replacement may enter it again (another
 * storage type than the snapshot's); the sync neither waits for it to end nor refuses it.
 */
public class StorageOptimizationTest {
    /** 3,000 RDS minutes: a minute of wall time, longer than the whole sync. */
    private static final double OPTIMIZATION_MINUTES = 3000;

    @ClassRule
    public static final EmulatedRds RDS = new EmulatedRds(b -> b.transitionMinutes(Transition.STORAGE_OPTIMIZATION,
            OPTIMIZATION_MINUTES));

    @Test
    public void aTargetInStorageOptimizationIsSyncedWithoutWaitingForItToEnd() throws Exception {
        String target = "acc-gp3";
        RDS.rds.createAvailableInstance(target, "admin", EmulatedRds.ACC_PASSWORD, EmulatedRds.seed("production.sql"));
        try (var c = RDS.client()) {
            c.modifyDBInstance(r -> r.dbInstanceIdentifier(target).storageType("gp3").applyImmediately(true));
        }
        RDS.rds.awaitInstanceStatus(target, "storage-optimization", Duration.ofSeconds(30));
        Instant start = Instant.now();
        SyncResult result = RDS.sync(RDS.spec(target).build());
        Duration took = Duration.between(start, Instant.now());
        double optimization = EmulatedRds.RDS_MINUTE.toMillis() * OPTIMIZATION_MINUTES / 1000.0;
        System.out.printf("sync of a target in storage-optimization: %.1f s (one optimization lasts %.1f s)%n",
                took.toMillis() / 1000.0, optimization);
        assertTrue("no wait for the optimization: " + took, took.toMillis() / 1000.0 < optimization);
        assertEquals("the replacement carries the target's gp3", "gp3", describe(target).storageType());
        assertEquals(200, RDS.queryLong(target, "SELECT COUNT(*) FROM customers"));
        double restore = result.stages().stream().filter(s -> s.stage() == StageName.RESTORE)
                .mapToDouble(StageOutcome::seconds).sum();
        assertTrue("Restore waited only for the restore: " + restore + " s", restore < optimization);
    }

    private static software.amazon.awssdk.services.rds.model.DBInstance describe(String id) {
        try (var c = RDS.client()) {
            return c.describeDBInstances(r -> r.dbInstanceIdentifier(id)).dbInstances().get(0);
        }
    }
}
