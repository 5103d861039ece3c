package io.jenkins.plugins.rdssync.core.e2e;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.rdssync.core.EngineOptions;
import io.jenkins.plugins.rdssync.core.SyncEngine;
import io.jenkins.plugins.rdssync.core.run.Cancellation;
import io.jenkins.plugins.rdssync.core.spec.Secret;
import io.jenkins.plugins.rdssync.core.spec.TlsMode;
import io.jenkins.plugins.rdssync.testkit.EmulatedAccount;
import io.jenkins.plugins.rdssync.testkit.RdsEmulator;
import io.jenkins.plugins.rdssync.testkit.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Production in another region of the same account ({@code sourceRegion}): nothing is shared; the snapshot is
 * copied across regions (the AWS SDK adds the presigned URL for the source region) and acceptance is restored from
 * the copy in its own region.
 */
public class CrossRegionTest {
    private static RdsEmulator rds;
    private static EmulatedAccount frankfurt;
    private static EmulatedAccount virginia;

    @BeforeClass
    public static void start() throws Exception {
        rds = RdsEmulator.builder().rdsMinute(EmulatedRds.RDS_MINUTE).region("us-east-1")
                .otherRegions("eu-central-1").start();
        frankfurt = rds.account(rds.accountId(), "eu-central-1");
        virginia = rds.account(rds.accountId(), "us-east-1");
        frankfurt.createAvailableInstance("shop-eu", "admin", EmulatedRds.PROD_PASSWORD,
                EmulatedRds.seed("production.sql"));
    }

    @AfterClass
    public static void stop() {
        if (rds != null) {
            rds.close();
        }
    }

    @Test
    public void aSourceInAnotherRegionIsCopiedAcrossRegions() throws Exception {
        Path work = Files.createTempDirectory("rds-sync-xregion-");
        var spec = io.jenkins.plugins.rdssync.core.spec.SyncSpec.builder().source("shop-eu").target("shop-us")
                .region("us-east-1").endpointUrl(rds.endpoint().toString())
                .sourceRegion("eu-central-1").sourceEndpointUrl(rds.endpoint().toString())
                .awsCredentials("AKIDREGIONS", Secret.of("regions-secret-1"), null)
                .mysqlUser("admin").mysqlPassword(Secret.of(EmulatedRds.ACC_PASSWORD)).dbTls(TlsMode.DISABLED)
                .databases(List.of("shop")).strategy("replace").workDir(work).timeoutMinutes(20).build();
        RecordingListener l = new RecordingListener();
        SyncEngine.create(spec, l).options(EngineOptions.forEmulator(EmulatedRds.RDS_MINUTE)).run(new Cancellation());

        // (the run's last change turned backups on: RDS is taking the first backup)
        virginia.awaitInstanceStatus("shop-us", "available", java.time.Duration.ofSeconds(30));
        assertNull(frankfurt.instanceStatus("shop-us"));
        assertEquals("available", virginia.snapshotStatus(spec.snapshotName()));
        try (Connection c = virginia.connectAsMaster("shop-us", "shop"); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT COUNT(*) FROM customers")) {
            r.next();
            assertEquals(200, r.getLong(1));
        }
        assertTrue(l.text(), l.text().contains("The snapshot will be copied to region us-east-1"));
        List<RecordedRequest> log = rds.requests().all();
        RecordedRequest copy = log.stream().filter(r -> "CopyDBSnapshot".equals(r.action()) && r.succeeded())
                .findFirst().orElseThrow();
        assertEquals(frankfurt.snapshotArn(spec.snapshotName() + "-a"), copy.param("SourceDBSnapshotIdentifier"));
        assertEquals("the SDK presigned the copy for the source region (and the log masks it)", "****",
                copy.param("PreSignedUrl"));
        assertTrue("one account: nothing is shared", log.stream()
                .noneMatch(r -> "ModifyDBSnapshotAttribute".equals(r.action())));
    }
}
