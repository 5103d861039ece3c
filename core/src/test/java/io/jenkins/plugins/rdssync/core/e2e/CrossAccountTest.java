package io.jenkins.plugins.rdssync.core.e2e;

import static io.jenkins.plugins.rdssync.core.e2e.TwoAccounts.ACC;
import static io.jenkins.plugins.rdssync.core.e2e.TwoAccounts.PROD;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.run.StageStatus;
import io.jenkins.plugins.rdssync.core.run.SyncException;
import io.jenkins.plugins.rdssync.core.run.SyncResult;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import io.jenkins.plugins.rdssync.testkit.RecordedRequest;
import java.util.List;
import java.util.Set;
import org.junit.ClassRule;
import org.junit.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * Production in its own AWS account: the source side (a role in production's account) snapshots and shares, the
 * target side (acceptance's keys) copies the shared snapshot by ARN, re-encrypted with acceptance's key, and restores
 * from the copy; the share is taken back at the end. Tester rows survive, and each side keeps to its policy
 * ({@link TwoAccounts#checkSides}).
 */
public class CrossAccountTest {
    @ClassRule
    public static final TwoAccounts AWS = new TwoAccounts();

    private static final long OFFSET = 1_000_000_000L;

    @Test
    public void twoSyncsFromProductionsAccountKeepTheTestersRows() throws Exception {
        AWS.production("shop-prod");
        SyncSpec.Builder spec = AWS.spec("shop-prod", "shop-acc");

        // rolling: production's snapshot alternates between two names, acceptance's copy keeps one
        String copy = spec.build().snapshotName();
        String night1 = copy + "-a";
        String night2 = copy + "-b";
        RecordingListener first = new RecordingListener();
        SyncResult created = AWS.sync(spec.build(), first);
        assertEquals("available", AWS.acc.instanceStatus("shop-acc"));
        assertNull("acceptance lives in acceptance's account", AWS.prod.instanceStatus("shop-acc"));
        assertEquals(200, AWS.queryLong(AWS.acc, "shop-acc", "SELECT COUNT(*) FROM customers"));
        assertEquals("restored from the copy in acceptance's account", copy, created.snapshot());
        assertEquals("available", AWS.acc.snapshotStatus(copy));
        assertEquals("the share is taken back once acceptance has its copy", Set.of(),
                AWS.prod.snapshotSharedWith(night1));
        assertEquals(StageStatus.DONE, status(created, StageName.COPY));
        assertTrue(first.text(), first.text().contains("Source side: account " + PROD));

        long customer = AWS.execute(AWS.acc, "shop-acc",
                "INSERT INTO customers (name, email) VALUES ('Tess Tester', 'tess@qa.example')");
        assertTrue(customer >= OFFSET);
        AWS.execute(AWS.acc, "shop-acc", "INSERT INTO orders (customer_id, created, note) VALUES (" + customer
                + ", NOW(3), 'qa order')");
        AWS.execute(AWS.prod, "shop-prod", "INSERT INTO customers (name, email) VALUES ('New', 'new@example.com')");

        AWS.rds.requests().clear();
        RecordingListener second = new RecordingListener();
        SyncResult result = AWS.sync(spec.build(), second);
        assertEquals(202, AWS.queryLong(AWS.acc, "shop-acc", "SELECT COUNT(*) FROM customers"));
        assertEquals("Tess Tester", AWS.queryString(AWS.acc, "shop-acc",
                "SELECT name FROM customers WHERE id = " + customer));
        assertEquals(1, AWS.queryLong(AWS.acc, "shop-acc", "SELECT COUNT(*) FROM orders WHERE id >= " + OFFSET));
        assertEquals(1, AWS.queryLong(AWS.acc, "shop-acc",
                "SELECT COUNT(*) FROM customers WHERE email = 'new@example.com'"));
        assertEquals(Long.valueOf(1), result.preservedRows().get("shop.customers"));
        assertEquals(Set.of(), AWS.prod.snapshotSharedWith(night2));

        // what each side did on the second night
        List<RecordedRequest> log = AWS.rds.requests().all();
        assertEquals("production's only changes: tonight's rolling snapshot made, last night's deleted, shared,"
                + " unshared", List.of("CreateDBSnapshot", "DeleteDBSnapshot", "ModifyDBSnapshotAttribute",
                        "ModifyDBSnapshotAttribute"),
                log.stream().filter(r -> r.isMutating() && PROD.equals(r.accountId())).filter(RecordedRequest::succeeded)
                        .map(RecordedRequest::action).toList());
        assertTrue("the copy names production's snapshot by ARN", log.stream().anyMatch(r -> ACC.equals(r.accountId())
                && "CopyDBSnapshot".equals(r.action()) && r.succeeded()
                && AWS.prod.snapshotArn(night2).equals(r.param("SourceDBSnapshotIdentifier"))));
        assertTrue("the source side is a session of production's role", log.stream().filter(r -> PROD.equals(
                r.accountId())).allMatch(r -> r.principalArn().contains(":assumed-role/rds-sync-source/")));
        String text = first.text() + second.text();
        assertFalse(text.contains(TwoAccounts.ACC_SECRET));
        assertFalse(text.contains(EmulatedRds.ACC_PASSWORD));
    }

    @Test
    public void anEncryptedProductionIsReencryptedWithAcceptancesKey() throws Exception {
        AWS.production("enc-prod");
        String prodKey = AWS.prod.createKmsKey("prod-share", ACC);
        String accKey = AWS.acc.createKmsKey("acceptance");
        AWS.prod.encryptInstance("enc-prod", prodKey);
        SyncSpec spec = AWS.spec("enc-prod", "enc-acc").strategy("replace").snapshotCopyKmsKeyId(accKey).build();

        RecordingListener l = new RecordingListener();
        AWS.sync(spec, l);
        assertEquals("the copy is acceptance's, with acceptance's key", accKey,
                AWS.acc.snapshotKmsKeyId(spec.snapshotName()));
        assertEquals(prodKey, AWS.prod.snapshotKmsKeyId(spec.snapshotName() + "-a"));
        try (RdsClient client = accClient()) {
            DBInstance i = client.describeDBInstances(r -> r.dbInstanceIdentifier("enc-acc")).dbInstances().get(0);
            assertTrue(i.storageEncrypted());
            assertEquals("acceptance is encrypted with its own key", accKey, i.kmsKeyId());
        }
        assertEquals(200, AWS.queryLong(AWS.acc, "enc-acc", "SELECT COUNT(*) FROM customers"));
        assertTrue(l.text(), l.text().contains("customer managed key " + prodKey + ", which account " + ACC));
    }

    @Test
    public void preflightRefusesWhatCannotBeSharedOrCopiedBeforeAnythingChanges() throws Exception {
        AWS.production("refused-prod");
        String accKey = AWS.acc.createKmsKey("acc-refusals");

        // aws/rds: RDS cannot share it
        AWS.prod.encryptInstance("refused-prod", AWS.prod.awsManagedRdsKey());
        AWS.rds.requests().clear();
        SyncException awsKey = failing(AWS.spec("refused-prod", "refused-acc").snapshotCopyKmsKeyId(accKey).build());
        assertEquals(StageName.PREFLIGHT, awsKey.stage());
        assertTrue(awsKey.getMessage(), awsKey.getMessage().contains("AWS managed key aws/rds")
                && awsKey.getMessage().contains("customer managed KMS key")
                && awsKey.getMessage().contains("cross-account-source-key-policy.json"));
        assertTrue(awsKey.hint(), awsKey.hint().startsWith("Nothing was changed"));
        assertTrue("nothing changed on either side", AWS.rds.requests().mutating().isEmpty());

        // a customer key whose policy does not name the acceptance account
        AWS.prod.encryptInstance("refused-prod", AWS.prod.createKmsKey("prod-private"));
        SyncException privateKey = failing(AWS.spec("refused-prod", "refused-acc").snapshotCopyKmsKeyId(accKey)
                .build());
        assertTrue(privateKey.getMessage(), privateKey.getMessage().contains("may not use the production key")
                && privateKey.getMessage().contains("arn:aws:iam::" + ACC + ":root"));

        // encrypted, but no key of acceptance's to copy with
        AWS.prod.encryptInstance("refused-prod", AWS.prod.createKmsKey("prod-shareable", ACC));
        SyncException noCopyKey = failing(AWS.spec("refused-prod", "refused-acc").build());
        assertTrue(noCopyKey.getMessage(), noCopyKey.getMessage().startsWith("Preflight failed: snapshotCopyKmsKeyId:"));

        // the role's trust policy wants an external id
        SyncException trust = failing(AWS.spec("refused-prod", "refused-acc").snapshotCopyKmsKeyId(accKey)
                .sourceExternalId("wrong").build());
        assertTrue(trust.getMessage(), trust.getMessage().contains("sts:AssumeRole")
                && trust.getMessage().contains("cross-account-source-trust.json"));
        assertTrue("nothing changed on either side", AWS.rds.requests().mutating().isEmpty());
    }

    private static SyncException failing(SyncSpec spec) {
        RecordingListener l = new RecordingListener();
        SyncException e = assertThrows(SyncException.class, () -> AWS.sync(spec, l));
        assertFalse(l.text().contains(TwoAccounts.ACC_SECRET));
        // what the user reads, in the test report (docs/reliability.md quotes these)
        System.out.println("STOPPED " + spec.target() + " in " + e.stage() + "\n  message: " + e.getMessage()
                + "\n  hint:    " + e.hint());
        return e;
    }

    static RdsClient accClient() {
        return RdsClient.builder().endpointOverride(AWS.rds.endpoint()).region(Region.of(AWS.rds.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        TwoAccounts.ACC_KEY_ID, TwoAccounts.ACC_SECRET))).build();
    }

    static StageStatus status(SyncResult r, StageName stage) {
        return r.stages().stream().filter(s -> s.stage() == stage).findFirst().orElseThrow().status();
    }
}
