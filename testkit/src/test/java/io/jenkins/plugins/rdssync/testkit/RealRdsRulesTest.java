package io.jenkins.plugins.rdssync.testkit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Duration;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.rds.RdsClient;

/** The emulator refuses and sequences what RDS refuses and sequences (shared/RDS-FACTS.md), with AWS's codes. */
public class RealRdsRulesTest {
    private static RdsEmulator rds;
    private static RdsClient client;

    @BeforeClass
    public static void start() {
        rds = RdsEmulator.builder().rdsMinute(Duration.ofMillis(10)).parameterGroup("pg80")
                .parameterGroup("pg84", "mysql8.4").optionGroup("og84", "mysql", "8.4").manualSnapshotQuota(2)
                .start();
        client = Sdk.client(rds);
        rds.createAvailableInstance("src", "admin", "Secret-Pw-123", null);
        rds.setEngineVersion("src", "8.4.3");
    }

    @AfterClass
    public static void stop() {
        client.close();
        rds.close();
    }

    private static void refused(String code, Runnable call) {
        try {
            call.run();
            fail("expected " + code);
        } catch (AwsServiceException e) {
            assertEquals(e.getMessage(), code, e.awsErrorDetails().errorCode());
        }
    }

    @Test
    public void describeCallsKnowFamiliesAndOrderableClasses() {
        assertEquals("mysql8.4", client.describeDBEngineVersions(r -> r.engine("mysql").engineVersion("8.4.3"))
                .dbEngineVersions().get(0).dbParameterGroupFamily());
        assertTrue(client.describeOrderableDBInstanceOptions(r -> r.engine("mysql").engineVersion("8.4.3")
                .dbInstanceClass("db.t2.micro")).orderableDBInstanceOptions().isEmpty());
        assertEquals("8.4", client.describeOptionGroups(r -> r.optionGroupName("og84")).optionGroupsList().get(0)
                .majorEngineVersion());
    }

    @Test
    public void restoreRefusesMisfitsAndQuotaAndNonAvailableSources() throws Exception {
        client.createDBSnapshot(r -> r.dbSnapshotIdentifier("Mixed-Case").dbInstanceIdentifier("src"));
        rds.awaitInstanceStatus("src", "available", Duration.ofSeconds(30));
        assertTrue("identifiers are stored lower-cased: " + rds.snapshotIds(), rds.snapshotIds().contains("mixed-case"));
        while (!"available".equals(rds.snapshotStatus("mixed-case"))) {
            Thread.sleep(10);
        }
        refused("InvalidParameterCombination", () -> client.restoreDBInstanceFromDBSnapshot(r -> r
                .dbInstanceIdentifier("r1").dbSnapshotIdentifier("mixed-case").dbParameterGroupName("pg80")));
        refused("InvalidParameterCombination", () -> client.restoreDBInstanceFromDBSnapshot(r -> r
                .dbInstanceIdentifier("r1").dbSnapshotIdentifier("mixed-case").dbInstanceClass("db.t2.micro")));
        refused("InvalidParameterCombination", () -> client.restoreDBInstanceFromDBSnapshot(r -> r
                .dbInstanceIdentifier("r1").dbSnapshotIdentifier("mixed-case").optionGroupName("default:mysql-8-0")));
        // a custom parameter group: applying, then pending-reboot
        client.restoreDBInstanceFromDBSnapshot(r -> r.dbInstanceIdentifier("r1").dbSnapshotIdentifier("mixed-case")
                .dbParameterGroupName("pg84").backupRetentionPeriod(0));
        rds.awaitInstanceStatus("r1", "available", Duration.ofSeconds(30));
        String apply = client.describeDBInstances(r -> r.dbInstanceIdentifier("r1")).dbInstances().get(0)
                .dbParameterGroups().get(0).parameterApplyStatus();
        assertTrue(apply, apply.equals("applying") || apply.equals("pending-reboot"));
        rds.faults().forceStatus("src", "backing-up");
        refused("InvalidDBInstanceState", () -> client.createDBSnapshot(r -> r.dbSnapshotIdentifier("s2")
                .dbInstanceIdentifier("src")));
        rds.faults().release("src");
        client.createDBSnapshot(r -> r.dbSnapshotIdentifier("s2").dbInstanceIdentifier("src"));
        rds.awaitInstanceStatus("src", "available", Duration.ofSeconds(30));
        refused("SnapshotQuotaExceeded", () -> client.createDBSnapshot(r -> r.dbSnapshotIdentifier("s3")
                .dbInstanceIdentifier("src")));
    }

    @Test
    public void stopStartAndManagedPasswordFollowRds() {
        rds.createAvailableInstance("acc", "admin", "Secret-Pw-123", null);
        refused("InvalidDBInstanceState", () -> client.startDBInstance(r -> r.dbInstanceIdentifier("acc")));
        client.stopDBInstance(r -> r.dbInstanceIdentifier("acc"));
        rds.awaitInstanceStatus("acc", "stopped", Duration.ofSeconds(30));
        refused("InvalidDBInstanceState", () -> client.modifyDBInstance(r -> r.dbInstanceIdentifier("acc")
                .backupRetentionPeriod(3).applyImmediately(true)));
        client.startDBInstance(r -> r.dbInstanceIdentifier("acc"));
        rds.awaitInstanceStatus("acc", "available", Duration.ofSeconds(30));
        refused("InvalidParameterCombination", () -> client.modifyDBInstance(r -> r.dbInstanceIdentifier("acc")
                .manageMasterUserPassword(true).masterUserPassword("Other-Pw-123").applyImmediately(true)));
        client.modifyDBInstance(r -> r.dbInstanceIdentifier("acc").manageMasterUserPassword(true)
                .backupRetentionPeriod(0).applyImmediately(true));
        rds.awaitInstanceStatus("acc", "available", Duration.ofSeconds(30));
        assertTrue(client.describeDBInstances(r -> r.dbInstanceIdentifier("acc")).dbInstances().get(0)
                .masterUserSecret().secretArn().contains(":secret:rds!db-"));
        refused("InvalidParameterCombination", () -> client.modifyDBInstance(r -> r.dbInstanceIdentifier("acc")
                .masterUserPassword("Other-Pw-123").applyImmediately(true)));
        // backups on again: offline, then the baseline backup
        client.modifyDBInstance(r -> r.dbInstanceIdentifier("acc").backupRetentionPeriod(7).applyImmediately(true));
        rds.awaitInstanceStatus("acc", "backing-up", Duration.ofSeconds(30));
    }
}
