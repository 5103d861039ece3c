package io.jenkins.plugins.rdssync.core.iam;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.rdssync.core.e2e.EmulatedRds;
import io.jenkins.plugins.rdssync.core.spec.SnapshotMode;
import io.jenkins.plugins.rdssync.core.spec.Strategy;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import io.jenkins.plugins.rdssync.testkit.RecordedRequest;
import java.util.List;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;

/**
 * The policy check has teeth: the request log of a real sync on the emulator is allowed by docs/iam/ as shipped, and
 * taking one line out of a file makes the check name the call that line allowed. And the shipped files stay least
 * privilege: nothing but a snapshot of production, nothing destructive on the live acceptance name in swap.
 */
public class IamCheckTest {
    @ClassRule
    public static final EmulatedRds RDS = new EmulatedRds();
    private static SyncSpec swap;
    private static List<RecordedRequest> swapRequests;

    @BeforeClass
    public static void aSwapSync() throws Exception {
        RDS.sync(RDS.spec("acc-iam").build()); // the first night: nothing to preserve
        swap = RDS.spec("acc-iam").build();
        int before = RDS.rds.requests().all().size();
        RDS.sync(swap);
        swapRequests = EmulatedRds.engineRequestsSince(RDS.rds, before);
    }

    private static ScenarioPolicies policies(SyncSpec spec) {
        return ScenarioPolicies.oneAccount(spec, RDS.rds.region(), RDS.rds.accountId());
    }

    private static List<String> denied(ScenarioPolicies p) {
        return IamCheck.denied(p, new RequiredPermissions(RDS.rds.region()), swapRequests);
    }

    @Test
    public void theShippedPoliciesAllowEveryCallOfASwapSync() {
        assertTrue("a swap sync renames, restores, snapshots: " + swapRequests.size(), swapRequests.stream()
                .map(RecordedRequest::action).distinct().count() >= 8);
        assertEquals(List.of(), denied(policies(swap)));
    }

    @Test
    public void aMissingLineIsNamedWithTheCallThatNeededIt() {
        List<String> rename = denied(policies(swap).without("target-swap.json", "ModifyRenameRebootStartOnlyTheseThree"));
        assertTrue(String.join("\n", rename), rename.stream().anyMatch(l -> l.startsWith("rds:ModifyDBInstance on arn:aws:rds:"
                + RDS.rds.region() + ":" + RDS.rds.accountId() + ":db:acc-iam ")));
        List<String> restore = denied(policies(swap).without("target-swap.json", "RestoreUnderTheTemporaryName"));
        assertTrue(String.join("\n", restore), restore.stream().anyMatch(l -> l.startsWith(
                "rds:RestoreDBInstanceFromDBSnapshot on ") && l.contains(":db:acc-iam-rds-sync-new ")));
        List<String> snapshot = denied(policies(swap).without("source-snapshot.json", "SnapshotTheSource"));
        assertTrue(String.join("\n", snapshot), snapshot.stream().anyMatch(l -> l.startsWith(
                "rds:CreateDBSnapshot on ") && l.contains(":db:production ")));
        List<String> tags = denied(policies(swap).without("target-swap.json", "TagTheRestoredInstance"));
        assertTrue(String.join("\n", tags), tags.stream().anyMatch(l -> l.startsWith("rds:AddTagsToResource on ")));
    }

    @Test
    public void noScenarioMayChangeProductionButSnapshotIt() throws Exception {
        String prod = "arn:aws:rds:" + RDS.rds.region() + ":" + RDS.rds.accountId() + ":db:production";
        String acc = "arn:aws:rds:" + RDS.rds.region() + ":" + RDS.rds.accountId() + ":db:acc-iam";
        for (Strategy strategy : Strategy.values()) {
            for (SnapshotMode mode : SnapshotMode.values()) {
                for (String kms : new String[] {null, "alias/acceptance"}) {
                    SyncSpec spec = RDS.spec("acc-iam").strategy(strategy).snapshotMode(mode)
                            .snapshotName(mode == SnapshotMode.EXISTING ? "nightly" : null).snapshotCopyKmsKeyId(kms)
                            .build();
                    List<IamPolicy> attached = policies(spec).forAccount(RDS.rds.accountId());
                    for (String action : List.of("rds:ModifyDBInstance", "rds:DeleteDBInstance", "rds:RebootDBInstance",
                            "rds:StopDBInstance", "rds:RestoreDBInstanceFromDBSnapshot", "rds:AddTagsToResource")) {
                        assertFalse(action + " on production in " + spec, attached.stream()
                                .anyMatch(p -> p.allowing(action, prod).isPresent()));
                    }
                    assertEquals("CreateDBSnapshot of production only where the engine snapshots it: " + mode,
                            mode == SnapshotMode.ROLLING || mode == SnapshotMode.NEW,
                            attached.stream().anyMatch(p -> p.allowing("rds:CreateDBSnapshot", prod).isPresent()));
                    assertEquals("the live acceptance is deleted only by replace", strategy == Strategy.REPLACE,
                            attached.stream().anyMatch(p -> p.allowing("rds:DeleteDBInstance", acc).isPresent()));
                }
            }
        }
    }
}
