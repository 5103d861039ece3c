package io.jenkins.plugins.rdssync.testkit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyManagerType;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DbSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.RdsException;
import software.amazon.awssdk.services.rds.waiters.RdsWaiter;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Two AWS accounts on one emulator, driven by the SDK's own RDS, STS and KMS clients: who a key belongs to, roles,
 * each account's own resources, sharing a snapshot, copying it by ARN (re-encrypted), and what the other account may
 * not do.
 */
public class AccountsTest {
    private static final String PROD = "111111111111";
    private static final String ACC = "222222222222";
    private static RdsEmulator rds;
    private static RdsClient prod;
    private static RdsClient acc;

    @BeforeClass
    public static void start() {
        rds = RdsEmulator.builder().rdsMinute(Duration.ofMillis(20))
                .account(PROD, "AKIDPROD").account(ACC, "AKIDACC").start();
        prod = rdsClient(keys("AKIDPROD"));
        acc = rdsClient(keys("AKIDACC"));
        rds.account(PROD).createAvailableInstance("shop", "admin", "prodPass123", Jdbc.seed());
    }

    @AfterClass
    public static void stop() {
        prod.close();
        acc.close();
        rds.close();
    }

    private static AwsCredentialsProvider keys(String keyId) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId, "secret-" + keyId));
    }

    private static RdsClient rdsClient(AwsCredentialsProvider credentials) {
        return RdsClient.builder().endpointOverride(rds.endpoint()).region(Region.of(rds.region()))
                .credentialsProvider(credentials).build();
    }

    private static StsClient sts(AwsCredentialsProvider credentials) {
        return StsClient.builder().endpointOverride(rds.endpoint()).region(Region.of(rds.region()))
                .credentialsProvider(credentials).build();
    }

    private static KmsClient kms(AwsCredentialsProvider credentials) {
        return KmsClient.builder().endpointOverride(rds.endpoint()).region(Region.of(rds.region()))
                .credentialsProvider(credentials).build();
    }

    private static void awaitSnapshot(RdsClient client, String id) {
        RdsWaiter w = Sdk.waiter(client);
        w.waitUntilDBSnapshotAvailable(r -> r.dbSnapshotIdentifier(id));
    }

    @Test
    public void keysAndRolesBelongToTheirAccounts() {
        try (StsClient s = sts(keys("AKIDACC"))) {
            assertEquals(ACC, s.getCallerIdentity().account());
        }
        try (StsClient s = sts(keys("AKID-UNKNOWN"))) {
            assertEquals("a key the emulator does not know acts in its default account", rds.accountId(),
                    s.getCallerIdentity().account());
        }
        String role = rds.account(PROD).createRole("rds-sync-source", "ext-42", ACC);
        try (StsClient accSts = sts(keys("AKIDACC"))) {
            StsAssumeRoleCredentialsProvider assumed = StsAssumeRoleCredentialsProvider.builder().stsClient(accSts)
                    .refreshRequest(r -> r.roleArn(role).roleSessionName("nightly").externalId("ext-42")).build();
            try (StsClient asRole = sts(assumed)) {
                assertEquals(PROD, asRole.getCallerIdentity().account());
                assertEquals("arn:aws:sts::" + PROD + ":assumed-role/rds-sync-source/nightly",
                        asRole.getCallerIdentity().arn());
            }
            try (RdsClient asRole = rdsClient(assumed)) {
                assertEquals("the role sees production's instances", List.of("shop"), asRole.describeDBInstances()
                        .dbInstances().stream().map(i -> i.dbInstanceIdentifier()).collect(Collectors.toList()));
            }
            StsException wrongId = assertThrows(StsException.class, () -> accSts.assumeRole(
                    r -> r.roleArn(role).roleSessionName("nightly").externalId("wrong")));
            assertEquals(403, wrongId.statusCode());
            assertEquals("AccessDenied", wrongId.awsErrorDetails().errorCode());
        }
        try (StsClient prodSts = sts(keys("AKIDPROD"))) {
            StsException untrusted = assertThrows(StsException.class, () -> prodSts.assumeRole(
                    r -> r.roleArn(role).roleSessionName("x1").externalId("ext-42")));
            assertTrue(untrusted.getMessage(), untrusted.getMessage().contains("is not authorized to perform: sts:AssumeRole"));
        }
    }

    @Test
    public void aSharedSnapshotIsSeenAndCopiedByArnAndNothingElse() throws Exception {
        assertTrue("each account sees its own instances only", acc.describeDBInstances().dbInstances().isEmpty());
        prod.createDBSnapshot(r -> r.dbSnapshotIdentifier("shop-plain").dbInstanceIdentifier("shop"));
        awaitSnapshot(prod, "shop-plain");
        String arn = rds.account(PROD).snapshotArn("shop-plain");

        // not shared yet: invisible to the other account, even by ARN
        assertThrows(DbSnapshotNotFoundException.class, () -> acc.describeDBSnapshots(r -> r.dbSnapshotIdentifier(arn)));
        assertThrows(DbSnapshotNotFoundException.class, () -> acc.copyDBSnapshot(
                r -> r.sourceDBSnapshotIdentifier(arn).targetDBSnapshotIdentifier("copy-early")));

        var shared = prod.modifyDBSnapshotAttribute(r -> r.dbSnapshotIdentifier("shop-plain").attributeName("restore")
                .valuesToAdd(ACC)).dbSnapshotAttributesResult();
        assertEquals(List.of(ACC), shared.dbSnapshotAttributes().get(0).attributeValues());
        assertEquals(List.of(ACC), prod.describeDBSnapshotAttributes(r -> r.dbSnapshotIdentifier("shop-plain"))
                .dbSnapshotAttributesResult().dbSnapshotAttributes().get(0).attributeValues());

        DBSnapshot seen = acc.describeDBSnapshots(r -> r.dbSnapshotIdentifier(arn)).dbSnapshots().get(0);
        assertEquals("shared", seen.snapshotType());
        assertEquals(arn, seen.dbSnapshotArn());
        assertTrue(acc.describeDBSnapshots(r -> r.includeShared(true)).dbSnapshots().stream()
                .anyMatch(s -> arn.equals(s.dbSnapshotArn())));
        assertTrue("without IncludeShared only the account's own", acc.describeDBSnapshots().dbSnapshots().isEmpty());

        acc.copyDBSnapshot(r -> r.sourceDBSnapshotIdentifier(arn).targetDBSnapshotIdentifier("shop-copy"));
        awaitSnapshot(acc, "shop-copy");
        DBSnapshot copy = acc.describeDBSnapshots(r -> r.dbSnapshotIdentifier("shop-copy")).dbSnapshots().get(0);
        assertEquals("manual", copy.snapshotType());
        assertEquals(arn, copy.sourceDBSnapshotIdentifier());
        assertTrue(copy.dbSnapshotArn().contains(":" + ACC + ":snapshot:shop-copy"));
        acc.restoreDBInstanceFromDBSnapshot(r -> r.dbInstanceIdentifier("shop-acc").dbSnapshotIdentifier("shop-copy"));
        Sdk.waiter(acc).waitUntilDBInstanceAvailable(r -> r.dbInstanceIdentifier("shop-acc"));
        try (Connection a = rds.account(PROD).connectAsMaster("shop", "");
                Connection b = rds.account(ACC).connectAsMaster("shop-acc", "")) {
            assertEquals(Jdbc.fingerprint(a), Jdbc.fingerprint(b));
        }

        // the acceptance account may not change production's snapshot or instance
        RdsException deny = assertThrows(RdsException.class, () -> acc.deleteDBSnapshot(r -> r.dbSnapshotIdentifier(arn)));
        assertEquals(403, deny.statusCode());
        assertEquals("AccessDenied", deny.awsErrorDetails().errorCode());
        assertThrows(RdsException.class, () -> acc.modifyDBSnapshotAttribute(r -> r.dbSnapshotIdentifier(arn)
                .attributeName("restore").valuesToAdd("333333333333")));
        assertThrows(RdsException.class, () -> acc.addTagsToResource(r -> r.resourceName(
                rds.account(PROD).instanceArn("shop")).tags(t -> t.key("k").value("v"))));
        assertEquals("a name without ARN is the caller's own", 404, assertThrows(RdsException.class,
                () -> acc.deleteDBSnapshot(r -> r.dbSnapshotIdentifier("shop-plain"))).statusCode());

        prod.modifyDBSnapshotAttribute(r -> r.dbSnapshotIdentifier("shop-plain").attributeName("restore")
                .valuesToRemove(ACC));
        assertEquals(Set.of(), rds.account(PROD).snapshotSharedWith("shop-plain"));
        assertThrows(DbSnapshotNotFoundException.class, () -> acc.describeDBSnapshots(r -> r.dbSnapshotIdentifier(arn)));
        assertTrue(rds.requests().byAccount(ACC).stream().noneMatch(r -> r.isMutating() && r.succeeded()
                && r.parameters().values().stream().anyMatch(v -> v.contains(":" + PROD + ":")
                        && !"CopyDBSnapshot".equals(r.action()))));
    }

    @Test
    public void encryptedSnapshotsShareOnlyWithACustomerKeyTheOtherAccountMayUse() {
        String prodKey = rds.account(PROD).createKmsKey("prod-share", ACC);
        String accKey = rds.account(ACC).createKmsKey("acceptance");
        String privateKey = rds.account(PROD).createKmsKey("prod-private");

        // aws/rds: refused
        rds.account(PROD).encryptInstance("shop", rds.account(PROD).awsManagedRdsKey());
        prod.createDBSnapshot(r -> r.dbSnapshotIdentifier("shop-aws-key").dbInstanceIdentifier("shop"));
        awaitSnapshot(prod, "shop-aws-key");
        RdsException refused = assertThrows(RdsException.class, () -> prod.modifyDBSnapshotAttribute(
                r -> r.dbSnapshotIdentifier("shop-aws-key").attributeName("restore").valuesToAdd(ACC)));
        assertTrue(refused.getMessage(), refused.getMessage().contains("aws/rds"));
        try (KmsClient k = kms(keys("AKIDPROD"))) {
            assertEquals(KeyManagerType.AWS, k.describeKey(r -> r.keyId(rds.account(PROD).awsManagedRdsKey()))
                    .keyMetadata().keyManager());
            assertEquals(KeyManagerType.CUSTOMER, k.describeKey(r -> r.keyId("alias/prod-share")).keyMetadata()
                    .keyManager());
        }

        // a customer key whose policy names the acceptance account: shared, copied with acceptance's key
        rds.account(PROD).encryptInstance("shop", prodKey);
        prod.createDBSnapshot(r -> r.dbSnapshotIdentifier("shop-cmk").dbInstanceIdentifier("shop"));
        awaitSnapshot(prod, "shop-cmk");
        prod.modifyDBSnapshotAttribute(r -> r.dbSnapshotIdentifier("shop-cmk").attributeName("restore")
                .valuesToAdd(ACC));
        String arn = rds.account(PROD).snapshotArn("shop-cmk");
        RdsException noKey = assertThrows(RdsException.class, () -> acc.copyDBSnapshot(
                r -> r.sourceDBSnapshotIdentifier(arn).targetDBSnapshotIdentifier("cmk-copy")));
        assertEquals("an encrypted shared snapshot needs KmsKeyId", 400, noKey.statusCode());
        RdsException foreignKey = assertThrows(RdsException.class, () -> acc.copyDBSnapshot(
                r -> r.sourceDBSnapshotIdentifier(arn).targetDBSnapshotIdentifier("cmk-copy").kmsKeyId(prodKey)));
        assertEquals("KMSKeyNotAccessibleFault", foreignKey.awsErrorDetails().errorCode());
        acc.copyDBSnapshot(r -> r.sourceDBSnapshotIdentifier(arn).targetDBSnapshotIdentifier("cmk-copy")
                .kmsKeyId(accKey));
        awaitSnapshot(acc, "cmk-copy");
        assertEquals("re-encrypted with acceptance's key", accKey, rds.account(ACC).snapshotKmsKeyId("cmk-copy"));
        try (KmsClient k = kms(keys("AKIDACC"))) {
            assertEquals(PROD, k.describeKey(r -> r.keyId(prodKey)).keyMetadata().awsAccountId());
            KmsException denied = assertThrows(KmsException.class, () -> k.describeKey(r -> r.keyId(privateKey)));
            assertEquals("AccessDeniedException", denied.awsErrorDetails().errorCode());
            assertThrows(NotFoundException.class, () -> k.describeKey(r -> r.keyId("alias/prod-share")));
        }

        // a customer key the acceptance account may not use: the copy is refused
        rds.account(PROD).encryptInstance("shop", privateKey);
        prod.createDBSnapshot(r -> r.dbSnapshotIdentifier("shop-private").dbInstanceIdentifier("shop"));
        awaitSnapshot(prod, "shop-private");
        prod.modifyDBSnapshotAttribute(r -> r.dbSnapshotIdentifier("shop-private").attributeName("restore")
                .valuesToAdd(ACC));
        RdsException keyDenied = assertThrows(RdsException.class, () -> acc.copyDBSnapshot(r -> r
                .sourceDBSnapshotIdentifier(rds.account(PROD).snapshotArn("shop-private"))
                .targetDBSnapshotIdentifier("private-copy").kmsKeyId(accKey)));
        assertEquals("KMSKeyNotAccessibleFault", keyDenied.awsErrorDetails().errorCode());
        rds.account(PROD).encryptInstance("shop", null);
    }
}
