package io.jenkins.plugins.rdssync.core.e2e;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.rdssync.core.run.SyncResult;
import io.jenkins.plugins.rdssync.core.spec.SnapshotMode;
import io.jenkins.plugins.rdssync.core.spec.Strategy;
import java.util.List;
import org.junit.ClassRule;
import org.junit.Test;

/** Every way of choosing the snapshot to restore. */
public class SnapshotModesTest {
    @ClassRule
    public static final EmulatedRds RDS = new EmulatedRds();

    @Test
    public void newSnapshotsAreTimestampedAndOnlyTheNewestAreKept() throws Exception {
        SyncResult first = RDS.sync(RDS.spec("acc-new").strategy(Strategy.REPLACE).snapshotMode(SnapshotMode.NEW)
                .snapshotName("nightly").snapshotKeep(1).build());
        assertTrue(first.snapshot(), first.snapshot().matches("nightly-\\d{8}-\\d{6}"));
        Thread.sleep(1100); // the next timestamp must differ by a second
        SyncResult second = RDS.sync(RDS.spec("acc-new").strategy(Strategy.REPLACE).snapshotMode(SnapshotMode.NEW)
                .snapshotName("nightly").snapshotKeep(1).build());
        assertNotEquals(first.snapshot(), second.snapshot());
        RDS.rds.awaitInstanceStatus("acc-new", "available", java.time.Duration.ofSeconds(30));
        List<String> ours = RDS.rds.snapshotIds().stream().filter(s -> s.startsWith("nightly-")).toList();
        assertEquals("snapshotKeep 1 leaves only the newest", List.of(second.snapshot()), ours);
    }

    @Test
    public void anExistingSnapshotIsUsedAsItIs() throws Exception {
        RDS.sync(RDS.spec("acc-make").build()); // makes production-acc-make-rds-sync-a
        RDS.rds.requests().clear();
        SyncResult result = RDS.sync(RDS.spec("acc-existing").snapshotMode(SnapshotMode.EXISTING)
                .snapshotName("production-acc-make-rds-sync-a").build());
        assertEquals("production-acc-make-rds-sync-a", result.snapshot());
        assertEquals(0, RDS.rds.requests().count("CreateDBSnapshot"));
        assertEquals(0, RDS.rds.requests().count("DeleteDBSnapshot"));
        assertEquals(200, RDS.queryLong("acc-existing", "SELECT COUNT(*) FROM customers"));
    }

    @Test
    public void theNewestAutomatedSnapshotOfTheSource() throws Exception {
        RDS.rds.takeAutomatedSnapshot("production");
        RDS.rds.requests().clear();
        SyncResult result = RDS.sync(RDS.spec("acc-auto").snapshotMode(SnapshotMode.LATEST_AUTOMATED).build());
        assertTrue(result.snapshot(), result.snapshot().startsWith("rds:production-"));
        assertEquals(0, RDS.rds.requests().count("CreateDBSnapshot"));
        assertNull("nothing left over", RDS.rds.instanceStatus("acc-auto-rds-sync-new"));
    }

    @Test
    public void aCopyReencryptedWithAcceptancesKeyInOneAccount() throws Exception {
        var account = RDS.rds.account(RDS.rds.accountId());
        RDS.rds.createAvailableInstance("prod-enc", "admin", EmulatedRds.PROD_PASSWORD, EmulatedRds.seed("production.sql"));
        account.encryptInstance("prod-enc", account.createKmsKey("prod-key"));
        String accKey = account.createKmsKey("acc-key");
        RecordingListener log = new RecordingListener();
        SyncResult result = RDS.sync(RDS.spec("prod-enc", "acc-kms").snapshotCopyKmsKeyId(accKey).build(), log);
        assertEquals("restored from the copy, per target", "acc-kms-rds-sync-kms", result.snapshot());
        assertEquals(accKey, account.snapshotKmsKeyId("acc-kms-rds-sync-kms"));
        assertEquals(200, RDS.queryLong("acc-kms", "SELECT COUNT(*) FROM customers"));
        assertTrue(log.text(), log.text().contains("with KMS key " + accKey));
    }
}
