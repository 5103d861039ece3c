package io.jenkins.plugins.rdssync.core.e2e;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.run.StageOutcome;
import io.jenkins.plugins.rdssync.core.run.SyncResult;
import io.jenkins.plugins.rdssync.core.spec.Secret;
import io.jenkins.plugins.rdssync.core.spec.Strategy;
import io.jenkins.plugins.rdssync.testkit.RecordedRequest;
import io.jenkins.plugins.rdssync.testkit.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.ClassRule;
import org.junit.Test;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * Restores as real RDS does them: the baseline backup a restore with backups on would start, the target's own
 * settings, a master password kept in Secrets Manager, a storage conversion, a custom parameter group that reads
 * applying before pending-reboot.
 */
public class RestoreAsRdsTest {
    /** The baseline backup lasts 2000 RDS minutes per 100 GiB: 8 s for the 20 GiB instances here. */
    @ClassRule
    public static final EmulatedRds RDS = new EmulatedRds(b -> b.transitionMinutes(Transition.BASELINE_BACKUP, 2000)
            .transitionMinutes(Transition.STORAGE_OPTIMIZATION, 100_000));

    private static final Duration BASELINE = EmulatedRds.RDS_MINUTE.multipliedBy(400);

    private static DBInstance describe(RdsClient c, String id) {
        return c.describeDBInstances(r -> r.dbInstanceIdentifier(id)).dbInstances().get(0);
    }

    private static double seconds(SyncResult r, StageName stage) {
        return r.stages().stream().filter(s -> s.stage() == stage).mapToDouble(StageOutcome::seconds).sum();
    }

    @Test
    public void aTargetWithRetentionSevenRestoresWithoutTheBaselineBackupAndEndsWithSeven() throws Exception {
        String target = "acc-retention";
        RDS.rds.createAvailableInstance(target, "admin", EmulatedRds.ACC_PASSWORD, EmulatedRds.seed("production.sql"));
        try (RdsClient c = RDS.client()) {
            c.modifyDBInstance(r -> r.dbInstanceIdentifier(target).backupRetentionPeriod(7)
                    .preferredBackupWindow("01:00-01:30").applyImmediately(true));
            RDS.rds.awaitInstanceStatus(target, "available", Duration.ofSeconds(30));
            SyncResult first = RDS.sync(RDS.spec(target).build());
            // before: a restore that inherits the snapshot's retention (what the engine did up to SDK 2.35)
            Instant t0 = Instant.now();
            c.restoreDBInstanceFromDBSnapshot(r -> r.dbInstanceIdentifier("inherits-retention")
                    .dbSnapshotIdentifier(first.snapshot()));
            RDS.rds.awaitInstanceStatus("inherits-retention", "backing-up", Duration.ofSeconds(60));
            RDS.rds.awaitInstanceStatus("inherits-retention", "available", Duration.ofSeconds(60));
            Duration inherited = Duration.between(t0, Instant.now());
            System.out.printf("restore inheriting retention: %.1f s until available after its baseline backup%n",
                    inherited.toMillis() / 1000.0);
            assertTrue("the inherited retention starts the baseline backup: " + inherited,
                    inherited.compareTo(BASELINE) >= 0);

            RDS.rds.requests().clear();
            SyncResult second = RDS.sync(RDS.spec(target).build());
            double restore = seconds(second, StageName.RESTORE);
            System.out.printf("Restore stage with the target's retention 7: %.1f s (a baseline backup alone: %.1f s)%n",
                    restore, BASELINE.toMillis() / 1000.0);
            assertTrue("the Restore stage waited for no baseline backup: " + restore + " s",
                    restore < BASELINE.toMillis() / 1000.0);
            RecordedRequest call = RDS.rds.requests().ofAction("RestoreDBInstanceFromDBSnapshot").get(0);
            assertEquals("0", call.param("BackupRetentionPeriod"));
            assertEquals("01:00-01:30", call.param("PreferredBackupWindow"));
            DBInstance now = describe(c, target);
            assertEquals("ends with the target's retention", Integer.valueOf(7), now.backupRetentionPeriod());
            assertEquals("01:00-01:30", now.preferredBackupWindow());
        }
    }

    @Test
    public void everySettingOfTheTargetIsCarriedOverAndThePlanListsThem() throws Exception {
        String target = "acc-carry";
        RDS.rds.createAvailableInstance(target, "admin", EmulatedRds.ACC_PASSWORD, EmulatedRds.seed("production.sql"));
        String role = "arn:aws:iam::123456789012:role/rds-monitoring";
        try (RdsClient c = RDS.client()) {
            c.modifyDBInstance(r -> r.dbInstanceIdentifier(target).backupRetentionPeriod(0).monitoringInterval(60)
                    .monitoringRoleArn(role).enablePerformanceInsights(true).performanceInsightsRetentionPeriod(31)
                    .preferredMaintenanceWindow("tue:02:00-tue:02:30").preferredBackupWindow("04:00-04:30")
                    .enableIAMDatabaseAuthentication(true)
                    .cloudwatchLogsExportConfiguration(l -> l.enableLogTypes("error", "slowquery"))
                    .caCertificateIdentifier("rds-ca-ecc384-g1").autoMinorVersionUpgrade(false).networkType("DUAL")
                    .maxAllocatedStorage(200).copyTagsToSnapshot(true).deletionProtection(true)
                    .dbParameterGroupName("acc-params").applyImmediately(true));
            RDS.rds.awaitInstanceStatus(target, "available", Duration.ofSeconds(30));
            c.rebootDBInstance(r -> r.dbInstanceIdentifier(target));
            RDS.rds.awaitInstanceStatus(target, "available", Duration.ofSeconds(30));
            DBInstance before = describe(c, target);

            RecordingListener plan = new RecordingListener();
            RDS.sync(RDS.spec(target).dryRun(true).build(), plan);
            for (String setting : List.of("IAM database authentication true", "log exports error,slowquery",
                    "copy tags to snapshots true", "CA rds-ca-ecc384-g1", "auto minor version upgrade false",
                    "network type DUAL", "backup window 04:00-04:30", "parameter group acc-params",
                    "max allocated storage 200 GiB", "enhanced monitoring every 60 s", "Performance Insights on, 31 days",
                    "maintenance window tue:02:00-tue:02:30", "deletion protection on")) {
                assertTrue("the plan lists " + setting + "\n" + plan.text(), plan.text().contains(setting));
            }

            RDS.rds.requests().clear();
            RecordingListener log = new RecordingListener();
            RDS.sync(RDS.spec(target).build(), log);
            DBInstance after = describe(c, target);
            assertNotEquals("a new instance", before.dbiResourceId(), after.dbiResourceId());
            assertEquals(before.iamDatabaseAuthenticationEnabled(), after.iamDatabaseAuthenticationEnabled());
            assertEquals(before.enabledCloudwatchLogsExports(), after.enabledCloudwatchLogsExports());
            assertEquals(before.copyTagsToSnapshot(), after.copyTagsToSnapshot());
            assertEquals(before.caCertificateIdentifier(), after.caCertificateIdentifier());
            assertEquals(before.autoMinorVersionUpgrade(), after.autoMinorVersionUpgrade());
            assertEquals(before.networkType(), after.networkType());
            assertEquals(before.preferredBackupWindow(), after.preferredBackupWindow());
            assertEquals(before.preferredMaintenanceWindow(), after.preferredMaintenanceWindow());
            assertEquals(before.maxAllocatedStorage(), after.maxAllocatedStorage());
            assertEquals(before.monitoringInterval(), after.monitoringInterval());
            assertEquals(before.monitoringRoleArn(), after.monitoringRoleArn());
            assertEquals(before.performanceInsightsEnabled(), after.performanceInsightsEnabled());
            assertEquals(before.performanceInsightsRetentionPeriod(), after.performanceInsightsRetentionPeriod());
            assertEquals(before.deletionProtection(), after.deletionProtection());
            assertEquals(before.backupRetentionPeriod(), after.backupRetentionPeriod());
            assertEquals(before.dbParameterGroups().get(0).dbParameterGroupName(),
                    after.dbParameterGroups().get(0).dbParameterGroupName());
            assertEquals("the reboot the restore's parameter group waited for was done", "in-sync",
                    after.dbParameterGroups().get(0).parameterApplyStatus());
            assertEquals(before.vpcSecurityGroups(), after.vpcSecurityGroups());

            // the restore call carried what it accepts; one modification before the switch did the rest
            RecordedRequest restore = RDS.rds.requests().ofAction("RestoreDBInstanceFromDBSnapshot").get(0);
            assertEquals("true", restore.param("EnableIAMDatabaseAuthentication"));
            assertEquals("rds-ca-ecc384-g1", restore.param("CACertificateIdentifier"));
            assertEquals("DUAL", restore.param("NetworkType"));
            assertEquals("false", restore.param("AutoMinorVersionUpgrade"));
            assertEquals("true", restore.param("CopyTagsToSnapshot"));
            List<RecordedRequest> modifies = RDS.rds.requests().ofAction("ModifyDBInstance").stream()
                    .filter(r -> r.names(target + "-rds-sync-new") && r.param("NewDBInstanceIdentifier") == null)
                    .toList();
            assertEquals("one modification of the new instance before the switch: " + modifies, 1, modifies.size());
            assertTrue("rebooted because the parameter group ended pending-reboot\n" + log.text(),
                    log.text().contains("is pending-reboot; rebooting"));
            assertFalse(log.text().contains(EmulatedRds.ACC_PASSWORD));
        }
    }

    @Test
    public void aManagedMasterPasswordStaysManaged() throws Exception {
        String target = "acc-managed";
        RDS.rds.createAvailableInstance(target, "admin", EmulatedRds.ACC_PASSWORD, EmulatedRds.seed("production.sql"));
        try (RdsClient c = RDS.client()) {
            c.modifyDBInstance(r -> r.dbInstanceIdentifier(target).backupRetentionPeriod(0)
                    .manageMasterUserPassword(true).applyImmediately(true));
            RDS.rds.awaitInstanceStatus(target, "available", Duration.ofSeconds(30));
            String secret = RDS.rds.managedMasterPassword(target);
            assertNotNull(secret);
            long tester = RDS.execute(target, "INSERT INTO customers (id, name, email) VALUES (1000000001,"
                    + " 'Tess', 'tess@qa.example')");
            // the pipeline reads the current secret and gives it to the sync as the database password
            RecordingListener log = new RecordingListener();
            RDS.sync(RDS.spec(target).strategy(Strategy.REPLACE).mysqlPassword(Secret.of(secret)).build(), log);
            DBInstance after = describe(c, target);
            assertNotNull("managed again, by a new secret of the new instance", after.masterUserSecret());
            String newSecret = RDS.rds.managedMasterPassword(target);
            assertNotEquals(secret, newSecret);
            assertEquals("the tester's row survived", "Tess",
                    RDS.queryString(target, "SELECT name FROM customers WHERE id = 1000000001"));
            assertFalse(log.text(), log.text().contains(secret));
            assertTrue(tester != 0);
        }
    }
}
