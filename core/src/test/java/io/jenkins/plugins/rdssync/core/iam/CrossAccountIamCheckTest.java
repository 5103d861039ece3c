package io.jenkins.plugins.rdssync.core.iam;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.rdssync.core.e2e.EmulatedRds;
import io.jenkins.plugins.rdssync.core.e2e.RecordingListener;
import io.jenkins.plugins.rdssync.core.e2e.TwoAccounts;
import io.jenkins.plugins.rdssync.core.spec.Strategy;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import io.jenkins.plugins.rdssync.testkit.RecordedRequest;
import java.util.List;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;

/**
 * The policy check over two accounts: each side's calls are checked against its own account's files, a missing line
 * on either side is named with its account, and the acceptance files allow nothing on production's instance.
 */
public class CrossAccountIamCheckTest {
    @ClassRule
    public static final TwoAccounts AWS = new TwoAccounts();
    private static SyncSpec spec;
    private static List<RecordedRequest> requests;

    @BeforeClass
    public static void aCrossAccountSync() throws Exception {
        AWS.production("iam-prod");
        spec = AWS.spec("iam-prod", "iam-acc").strategy(Strategy.REPLACE).build();
        int before = AWS.rds.requests().all().size();
        AWS.sync(spec, new RecordingListener());
        requests = EmulatedRds.engineRequestsSince(AWS.rds, before);
    }

    private static ScenarioPolicies policies() {
        return ScenarioPolicies.twoAccounts(spec, AWS.rds.region(), TwoAccounts.PROD, TwoAccounts.ACC, null);
    }

    private static List<String> denied(ScenarioPolicies p) {
        return IamCheck.denied(p, new RequiredPermissions(AWS.rds.region()), requests);
    }

    @Test
    public void bothSidesAreAllowedByTheirOwnAccountsFiles() {
        assertTrue("the source side called in production's account", requests.stream()
                .anyMatch(r -> TwoAccounts.PROD.equals(r.accountId()) && "ModifyDBSnapshotAttribute".equals(r.action())));
        assertEquals(List.of(), denied(policies()));
    }

    @Test
    public void aMissingLineOnEitherSideIsNamedWithItsAccount() {
        List<String> share = denied(policies().without("cross-account-source.json", "ShareAndDeleteOwnSnapshots"));
        assertTrue(String.join("\n", share), share.stream().anyMatch(l -> l.startsWith(
                "rds:ModifyDBSnapshotAttribute on arn:aws:rds:" + AWS.rds.region() + ":" + TwoAccounts.PROD
                        + ":snapshot:") && l.contains("in account " + TwoAccounts.PROD)));
        List<String> copy = denied(policies().without("cross-account-target.json", "CopyTheSharedSnapshot"));
        assertTrue(String.join("\n", copy), copy.stream().anyMatch(l -> l.startsWith("rds:CopyDBSnapshot on ")
                && l.contains("in account " + TwoAccounts.ACC)));
        List<String> assume = denied(policies().without("cross-account-target.json", "AssumeTheSourceRole"));
        assertTrue(String.join("\n", assume), assume.stream().anyMatch(l -> l.startsWith("sts:AssumeRole on "
                + AWS.sourceRole)));
    }

    @Test
    public void acceptancesFilesAllowNothingOnProductionsInstance() {
        String prod = "arn:aws:rds:" + AWS.rds.region() + ":" + TwoAccounts.PROD + ":db:iam-prod";
        for (IamPolicy p : policies().forAccount(TwoAccounts.ACC)) {
            for (IamPolicy.Statement s : p.statements()) {
                for (String action : List.of("rds:CreateDBSnapshot", "rds:ModifyDBInstance", "rds:DeleteDBInstance",
                        "rds:RebootDBInstance", "rds:RestoreDBInstanceFromDBSnapshot")) {
                    assertFalse(p.file() + " " + s.sid() + " allows " + action + " on production", s.allow()
                            && p.allowing(action, prod).isPresent());
                }
            }
        }
    }
}
