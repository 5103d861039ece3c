package io.jenkins.plugins.rdssync.testkit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DbInstanceAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.DbParameterGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.DbSnapshotAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.DbSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.DbSubnetGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.Filter;
import software.amazon.awssdk.services.rds.model.InvalidDbInstanceStateException;
import software.amazon.awssdk.services.rds.model.InvalidDbSnapshotStateException;
import software.amazon.awssdk.services.rds.model.OptionGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.RdsException;
import software.amazon.awssdk.services.rds.model.Tag;
import software.amazon.awssdk.services.rds.waiters.RdsWaiter;

/** AWS errors as the SDK's typed exceptions, SDK retries of faults, automated snapshots, tags, the request log. */
public class ErrorsAndFaultsTest {
    private static RdsEmulator rds;
    private static RdsClient client;
    private static RdsWaiter waiter;

    @BeforeClass
    public static void start() {
        rds = RdsEmulator.builder().rdsMinute(Duration.ofMillis(20)).parameterGroup("custom-pg").start();
        client = Sdk.client(rds);
        waiter = Sdk.waiter(client);
        rds.createAvailableInstance("src", "admin", "srcPass123", Jdbc.seed());
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

    @After
    public void resetFaults() {
        rds.faults().reset();
    }

    private static RdsClient clientWithoutRetries() {
        return RdsClient.builder()
                .endpointOverride(rds.endpoint())
                .region(software.amazon.awssdk.regions.Region.of(rds.region()))
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("a", "b")))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    private static void snapshot(String id) {
        client.createDBSnapshot(r -> r.dbSnapshotIdentifier(id).dbInstanceIdentifier("src"));
        waiter.waitUntilDBSnapshotAvailable(r -> r.dbSnapshotIdentifier(id));
        waiter.waitUntilDBInstanceAvailable(r -> r.dbInstanceIdentifier("src"));
    }

    @Test
    public void notFoundErrorsAreTheSdksTypedExceptions() {
        DbInstanceNotFoundException e = assertThrows(DbInstanceNotFoundException.class,
                () -> client.describeDBInstances(r -> r.dbInstanceIdentifier("nope")));
        assertEquals(404, e.statusCode());
        assertEquals("DBInstanceNotFound", e.awsErrorDetails().errorCode());
        assertEquals("DBInstance nope not found.", e.awsErrorDetails().errorMessage());
        assertNotNull(e.requestId());
        assertThrows(DbInstanceNotFoundException.class,
                () -> client.deleteDBInstance(r -> r.dbInstanceIdentifier("nope").skipFinalSnapshot(true)));
        assertThrows(DbInstanceNotFoundException.class,
                () -> client.createDBSnapshot(r -> r.dbInstanceIdentifier("nope").dbSnapshotIdentifier("x")));
        DbSnapshotNotFoundException s = assertThrows(DbSnapshotNotFoundException.class,
                () -> client.describeDBSnapshots(r -> r.dbSnapshotIdentifier("nope")));
        assertEquals(404, s.statusCode());
        assertThrows(DbSnapshotNotFoundException.class, () -> client.restoreDBInstanceFromDBSnapshot(r -> r
                .dbInstanceIdentifier("x").dbSnapshotIdentifier("nope")));
        // a deleted-instance waiter succeeds on DBInstanceNotFound
        waiter.waitUntilDBInstanceDeleted(r -> r.dbInstanceIdentifier("nope"));
        // snapshots of an instance that does not exist: an empty list, not an error
        assertTrue(client.describeDBSnapshots(r -> r.dbInstanceIdentifier("nope")).dbSnapshots().isEmpty());
    }

    @Test
    public void alreadyExistsAndInvalidStateErrors() {
        snapshot("dup");
        DbSnapshotAlreadyExistsException dup = assertThrows(DbSnapshotAlreadyExistsException.class,
                () -> client.createDBSnapshot(r -> r.dbSnapshotIdentifier("dup").dbInstanceIdentifier("src")));
        assertEquals(400, dup.statusCode());
        assertEquals("DBSnapshotAlreadyExists", dup.awsErrorDetails().errorCode());
        DbInstanceAlreadyExistsException exists = assertThrows(DbInstanceAlreadyExistsException.class,
                () -> client.restoreDBInstanceFromDBSnapshot(r -> r.dbInstanceIdentifier("src").dbSnapshotIdentifier("dup")));
        assertEquals(400, exists.statusCode());

        // while a snapshot is being taken the instance is backing-up: a second snapshot is refused
        rds.faults().hold("src", "backing-up");
        client.createDBSnapshot(r -> r.dbSnapshotIdentifier("first").dbInstanceIdentifier("src"));
        assertEquals("backing-up", rds.instanceStatus("src"));
        InvalidDbInstanceStateException busy = assertThrows(InvalidDbInstanceStateException.class,
                () -> client.createDBSnapshot(r -> r.dbSnapshotIdentifier("second").dbInstanceIdentifier("src")));
        assertEquals(400, busy.statusCode());
        assertEquals("InvalidDBInstanceState", busy.awsErrorDetails().errorCode());
        assertThrows(InvalidDbInstanceStateException.class, () -> client.modifyDBInstance(r -> r
                .dbInstanceIdentifier("src").dbInstanceClass("db.t3.large").applyImmediately(true)));
        assertThrows(InvalidDbInstanceStateException.class, () -> client.rebootDBInstance(r -> r.dbInstanceIdentifier("src")));
        rds.faults().release("src");
        waiter.waitUntilDBInstanceAvailable(r -> r.dbInstanceIdentifier("src"));
        waiter.waitUntilDBSnapshotAvailable(r -> r.dbSnapshotIdentifier("first"));

        // forced status: shown by Describe and checked by actions until released
        rds.faults().forceStatus("src", "storage-full");
        assertEquals("storage-full", client.describeDBInstances(r -> r.dbInstanceIdentifier("src")).dbInstances().get(0)
                .dbInstanceStatus());
        assertThrows(InvalidDbInstanceStateException.class,
                () -> client.createDBSnapshot(r -> r.dbSnapshotIdentifier("third").dbInstanceIdentifier("src")));
        rds.faults().release("src");
        assertEquals("available", rds.instanceStatus("src"));
    }

    @Test
    public void validationErrors() {
        RdsException sg = assertThrows(RdsException.class, () -> client.restoreDBInstanceFromDBSnapshot(r -> r
                .dbInstanceIdentifier("bad-sg").dbSnapshotIdentifier("any").vpcSecurityGroupIds("sg-0unknown")));
        // the snapshot is looked up first, as by RDS
        assertTrue(sg instanceof DbSnapshotNotFoundException);
        snapshot("for-validation");
        RdsException unknownSg = assertThrows(RdsException.class, () -> client.restoreDBInstanceFromDBSnapshot(r -> r
                .dbInstanceIdentifier("bad-sg").dbSnapshotIdentifier("for-validation").vpcSecurityGroupIds("sg-0unknown")));
        assertEquals("InvalidParameterValue", unknownSg.awsErrorDetails().errorCode());
        assertEquals(400, unknownSg.statusCode());
        assertThrows(DbParameterGroupNotFoundException.class, () -> client.restoreDBInstanceFromDBSnapshot(r -> r
                .dbInstanceIdentifier("bad-pg").dbSnapshotIdentifier("for-validation").dbParameterGroupName("nope")));
        assertThrows(DbSubnetGroupNotFoundException.class, () -> client.restoreDBInstanceFromDBSnapshot(r -> r
                .dbInstanceIdentifier("bad-subnets").dbSnapshotIdentifier("for-validation").dbSubnetGroupName("nope")));
        assertThrows(OptionGroupNotFoundException.class, () -> client.restoreDBInstanceFromDBSnapshot(r -> r
                .dbInstanceIdentifier("bad-og").dbSnapshotIdentifier("for-validation").optionGroupName("nope")));
        RdsException badId = assertThrows(RdsException.class, () -> client.restoreDBInstanceFromDBSnapshot(r -> r
                .dbInstanceIdentifier("bad--id").dbSnapshotIdentifier("for-validation")));
        assertEquals("InvalidParameterValue", badId.awsErrorDetails().errorCode());
        RdsException noFinal = assertThrows(RdsException.class,
                () -> client.deleteDBInstance(r -> r.dbInstanceIdentifier("src")));
        assertEquals("InvalidParameterCombination", noFinal.awsErrorDetails().errorCode());
        RdsException shortPassword = assertThrows(RdsException.class, () -> client.modifyDBInstance(r -> r
                .dbInstanceIdentifier("src").masterUserPassword("short")));
        assertEquals("InvalidParameterValue", shortPassword.awsErrorDetails().errorCode());
        assertEquals(List.of(), rds.instanceIds().stream().filter(i -> i.startsWith("bad")).collect(Collectors.toList()));
    }

    @Test
    public void deletionProtectionRefusesDelete() {
        client.createDBInstance(r -> r.dbInstanceIdentifier("protected").dbInstanceClass("db.t3.micro").engine("mysql")
                .masterUsername("admin").masterUserPassword("protectedPw1").allocatedStorage(20).deletionProtection(true)
                .backupRetentionPeriod(0));
        waiter.waitUntilDBInstanceAvailable(r -> r.dbInstanceIdentifier("protected"));
        RdsException e = assertThrows(RdsException.class,
                () -> client.deleteDBInstance(r -> r.dbInstanceIdentifier("protected").skipFinalSnapshot(true)));
        assertEquals("InvalidParameterCombination", e.awsErrorDetails().errorCode());
        assertEquals("Cannot delete protected DB Instance, please disable deletion protection and try again.",
                e.awsErrorDetails().errorMessage());
        assertEquals("available", rds.instanceStatus("protected"));
        client.modifyDBInstance(r -> r.dbInstanceIdentifier("protected").deletionProtection(false));
        client.deleteDBInstance(r -> r.dbInstanceIdentifier("protected").skipFinalSnapshot(true));
        waiter.waitUntilDBInstanceDeleted(r -> r.dbInstanceIdentifier("protected"));
    }

    @Test
    public void throttlingIsRetriedBySdk() {
        rds.requests().clear();
        rds.faults().throttleNext("DescribeDBInstances", 2);
        DBInstance i = client.describeDBInstances(r -> r.dbInstanceIdentifier("src")).dbInstances().get(0);
        assertEquals("src", i.dbInstanceIdentifier());
        List<RecordedRequest> attempts = rds.requests().ofAction("DescribeDBInstances");
        assertEquals(3, attempts.size());
        assertEquals("Throttling", attempts.get(0).errorCode());
        assertEquals(400, attempts.get(0).httpStatus());
        assertEquals("Throttling", attempts.get(1).errorCode());
        assertTrue(attempts.get(2).succeeded());

        // without retries (or with more throttling than the SDK's attempts) the caller sees Throttling
        rds.requests().clear();
        rds.faults().throttleNext(1);
        try (RdsClient once = clientWithoutRetries()) {
            RdsException e = assertThrows(RdsException.class, () -> once.describeDBInstances());
            assertEquals("Throttling", e.awsErrorDetails().errorCode());
            assertEquals(400, e.statusCode());
            assertTrue(e.isThrottlingException());
        }
        assertEquals(1, rds.requests().count("DescribeDBInstances"));
    }

    @Test
    public void serverErrorsAreRetriedOrSurface() {
        rds.requests().clear();
        rds.faults().failNext("DescribeDBSnapshots", 1, 500);
        client.describeDBSnapshots(r -> r.dbInstanceIdentifier("src"));
        List<RecordedRequest> attempts = rds.requests().ofAction("DescribeDBSnapshots");
        assertEquals(2, attempts.size());
        assertEquals("InternalFailure", attempts.get(0).errorCode());
        assertEquals(500, attempts.get(0).httpStatus());

        rds.faults().failNext("RestoreDBInstanceFromDBSnapshot", 1, 503);
        try (RdsClient once = clientWithoutRetries()) {
            RdsException e = assertThrows(RdsException.class, () -> once.restoreDBInstanceFromDBSnapshot(r -> r
                    .dbInstanceIdentifier("never").dbSnapshotIdentifier("whatever")));
            assertEquals(503, e.statusCode());
            assertEquals("ServiceUnavailable", e.awsErrorDetails().errorCode());
            // any code, any status
            rds.faults().failNext("DescribeDBInstances", 1, 400, "InvalidClientTokenId", "The security token is invalid.");
            RdsException token = assertThrows(RdsException.class, () -> once.describeDBInstances());
            assertEquals("InvalidClientTokenId", token.awsErrorDetails().errorCode());
            // the rate limit, off by default
            rds.faults().maxRequestsPerSecond(3);
            int throttled = 0;
            for (int k = 0; k < 10; k++) {
                try {
                    once.describeDBSubnetGroups();
                } catch (RdsException t) {
                    assertEquals("Throttling", t.awsErrorDetails().errorCode());
                    throttled++;
                }
            }
            assertTrue("some requests throttled: " + throttled, throttled >= 5);
        }
    }

    @Test
    public void failedRestoreEndsInIncompatibleRestore() {
        snapshot("for-failure");
        rds.faults().failNextRestore("incompatible-restore");
        client.restoreDBInstanceFromDBSnapshot(r -> r.dbInstanceIdentifier("broken").dbSnapshotIdentifier("for-failure"));
        SdkClientException e = assertThrows(SdkClientException.class,
                () -> waiter.waitUntilDBInstanceAvailable(r -> r.dbInstanceIdentifier("broken")));
        assertTrue(e.getMessage(), e.getMessage().contains("incompatible-restore"));
        client.deleteDBInstance(r -> r.dbInstanceIdentifier("broken").skipFinalSnapshot(true));
        waiter.waitUntilDBInstanceDeleted(r -> r.dbInstanceIdentifier("broken"));
    }

    @Test
    public void droppedConnectionsFailAndNewOnesWork() throws Exception {
        Connection c = rds.connectAsMaster("src");
        assertEquals(1, Jdbc.rows(c, "SELECT 1").size());
        rds.faults().dropConnections("src");
        assertThrows(SQLException.class, () -> Jdbc.rows(c, "SELECT 1"));
        c.close();
        try (Connection again = rds.connectAsMaster("src")) {
            assertEquals(1, Jdbc.rows(again, "SELECT 1").size());
        }
    }

    @Test
    public void automatedSnapshotsAreListedByType() throws Exception {
        String older = rds.takeAutomatedSnapshot("src", Instant.parse("2024-03-01T03:05:00Z"));
        String newer = rds.takeAutomatedSnapshot("src");
        assertEquals("rds:src-2024-03-01-03-05", older);
        assertTrue(newer, newer.matches("rds:src-\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}"));
        snapshot("manual-one");
        List<DBSnapshot> automated = client.describeDBSnapshots(r -> r.dbInstanceIdentifier("src")
                .snapshotType("automated")).dbSnapshots();
        assertEquals(List.of(older, newer), automated.stream().map(DBSnapshot::dbSnapshotIdentifier)
                .collect(Collectors.toList()));
        assertTrue(automated.stream().allMatch(s -> "automated".equals(s.snapshotType()) && "available".equals(s.status())));
        List<DBSnapshot> manual = client.describeDBSnapshots(r -> r.dbInstanceIdentifier("src").snapshotType("manual"))
                .dbSnapshots();
        assertTrue(manual.stream().noneMatch(s -> s.dbSnapshotIdentifier().startsWith("rds:")));
        assertTrue(manual.stream().anyMatch(s -> s.dbSnapshotIdentifier().equals("manual-one")));
        List<DBSnapshot> byFilter = client.describeDBSnapshots(r -> r.filters(
                Filter.builder().name("snapshot-type").values("automated").build(),
                Filter.builder().name("db-instance-id").values("src").build())).dbSnapshots();
        assertEquals(2, byFilter.size());
        InvalidDbSnapshotStateException notManual = assertThrows(InvalidDbSnapshotStateException.class,
                () -> client.deleteDBSnapshot(r -> r.dbSnapshotIdentifier(older)));
        assertEquals(400, notManual.statusCode());

        // restore from the automated snapshot (by ARN), copy it to a manual encrypted one
        client.copyDBSnapshot(r -> r.sourceDBSnapshotIdentifier(rds.snapshotArn(newer)).targetDBSnapshotIdentifier("copy")
                .kmsKeyId("alias/acceptance"));
        waiter.waitUntilDBSnapshotAvailable(r -> r.dbSnapshotIdentifier("copy"));
        DBSnapshot copy = client.describeDBSnapshots(r -> r.dbSnapshotIdentifier("copy")).dbSnapshots().get(0);
        assertEquals("manual", copy.snapshotType());
        assertTrue(copy.encrypted());
        assertEquals("arn:aws:kms:us-east-1:123456789012:alias/acceptance", copy.kmsKeyId());
        assertEquals(rds.snapshotArn(newer), copy.sourceDBSnapshotIdentifier());
        client.restoreDBInstanceFromDBSnapshot(r -> r.dbInstanceIdentifier("from-copy").dbSnapshotIdentifier("copy"));
        waiter.waitUntilDBInstanceAvailable(r -> r.dbInstanceIdentifier("from-copy"));
        DBInstance restored = client.describeDBInstances(r -> r.dbInstanceIdentifier("from-copy")).dbInstances().get(0);
        assertTrue(restored.storageEncrypted());
        try (Connection a = rds.connectAsMaster("src"); Connection b = rds.connectAsMaster("from-copy")) {
            assertEquals(Jdbc.fingerprint(a), Jdbc.fingerprint(b));
        }
        client.deleteDBSnapshot(r -> r.dbSnapshotIdentifier("copy"));
        waiter.waitUntilDBSnapshotDeleted(r -> r.dbSnapshotIdentifier("copy"));
    }

    @Test
    public void tagsByArn() {
        String arn = rds.instanceArn("src");
        client.addTagsToResource(r -> r.resourceName(arn).tags(Tag.builder().key("team").value("qa").build(),
                Tag.builder().key("env").value("prod").build()));
        client.addTagsToResource(r -> r.resourceName(arn).tags(Tag.builder().key("env").value("production").build()));
        assertEquals(List.of(Tag.builder().key("team").value("qa").build(), Tag.builder().key("env").value("production")
                .build()), client.listTagsForResource(r -> r.resourceName(arn)).tagList());
        client.removeTagsFromResource(r -> r.resourceName(arn).tagKeys("team"));
        assertEquals(List.of("env"), client.listTagsForResource(r -> r.resourceName(arn)).tagList().stream()
                .map(Tag::key).collect(Collectors.toList()));
        assertThrows(DbInstanceNotFoundException.class,
                () -> client.listTagsForResource(r -> r.resourceName(rds.instanceArn("nope"))));
        snapshot("tagged");
        client.addTagsToResource(r -> r.resourceName(rds.snapshotArn("tagged")).tags(Tag.builder().key("k").value("v")
                .build()));
        assertEquals("v", client.listTagsForResource(r -> r.resourceName(rds.snapshotArn("tagged"))).tagList().get(0)
                .value());
        assertThrows(DbSnapshotNotFoundException.class,
                () -> client.listTagsForResource(r -> r.resourceName(rds.snapshotArn("nope"))));
    }

    @Test
    public void groupsAndFilters() {
        assertEquals(List.of("default"), client.describeDBSubnetGroups().dbSubnetGroups().stream()
                .map(g -> g.dbSubnetGroupName()).collect(Collectors.toList()));
        assertEquals(3, client.describeDBSubnetGroups(r -> r.dbSubnetGroupName("default")).dbSubnetGroups().get(0)
                .subnets().size());
        assertEquals(List.of("default.mysql8.0", "default.mysql8.4", "custom-pg"), client.describeDBParameterGroups().dbParameterGroups()
                .stream().map(g -> g.dbParameterGroupName()).collect(Collectors.toList()));
        assertThrows(DbParameterGroupNotFoundException.class,
                () -> client.describeDBParameterGroups(r -> r.dbParameterGroupName("nope")));
        assertEquals("default:mysql-8-0", client.describeOptionGroups().optionGroupsList().get(0).optionGroupName());
        List<DBInstance> filtered = client.describeDBInstances(r -> r.filters(Filter.builder().name("db-instance-id")
                .values(rds.instanceArn("src")).build())).dbInstances();
        assertEquals(1, filtered.size());
        RdsException badFilter = assertThrows(RdsException.class, () -> client.describeDBInstances(r -> r.filters(
                Filter.builder().name("color").values("blue").build())));
        assertEquals("InvalidParameterValue", badFilter.awsErrorDetails().errorCode());
        assertFalse(client.describeDBInstances().dbInstances().isEmpty());
        // the paginator follows Marker
        assertEquals(client.describeDBInstances().dbInstances().size(),
                client.describeDBInstancesPaginator(r -> r.maxRecords(20)).dbInstances().stream().count());
    }

    @Test
    public void requestLogRedactsPasswords() {
        rds.requests().clear();
        client.createDBInstance(r -> r.dbInstanceIdentifier("logged").dbInstanceClass("db.t3.micro").engine("mysql")
                .masterUsername("admin").masterUserPassword("TopSecret99").allocatedStorage(20));
        waiter.waitUntilDBInstanceAvailable(r -> r.dbInstanceIdentifier("logged"));
        client.modifyDBInstance(r -> r.dbInstanceIdentifier("logged").masterUserPassword("EvenMoreSecret1")
                .applyImmediately(true));
        RecordedRequest create = rds.requests().ofAction("CreateDBInstance").get(0);
        assertEquals("****", create.param("MasterUserPassword"));
        assertEquals("admin", create.param("MasterUsername"));
        assertEquals("****", rds.requests().ofAction("ModifyDBInstance").get(0).param("MasterUserPassword"));
        for (RecordedRequest r : rds.requests().all()) {
            assertFalse(r.parameters().toString().contains("TopSecret99"));
            assertFalse(r.parameters().toString().contains("EvenMoreSecret1"));
            assertNotNull(r.time());
        }
        assertEquals(List.of("CreateDBInstance", "ModifyDBInstance"), rds.requests().mutating().stream()
                .map(RecordedRequest::action).collect(Collectors.toList()));
        assertEquals(rds.requests().naming("logged").size(), rds.requests().all().size());
        assertTrue(rds.requests().naming("src").isEmpty());
        waiter.waitUntilDBInstanceAvailable(r -> r.dbInstanceIdentifier("logged"));
        client.deleteDBInstance(r -> r.dbInstanceIdentifier("logged").skipFinalSnapshot(true));
        waiter.waitUntilDBInstanceDeleted(r -> r.dbInstanceIdentifier("logged"));
        assertNull(rds.instanceStatus("logged"));
    }
}
