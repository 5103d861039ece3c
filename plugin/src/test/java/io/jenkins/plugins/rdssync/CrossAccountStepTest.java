package io.jenkins.plugins.rdssync;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.Result;
import io.jenkins.plugins.rdssync.testkit.RdsEmulator;
import io.jenkins.plugins.rdssync.testkit.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.cps.SnippetizerTester;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * Production in its own AWS account, from a Pipeline with two AWS credentials: {@code awsCredentialsId} acts in the
 * acceptance account, {@code sourceAwsCredentialsId} in production's (two accounts of the emulator). Both are
 * resolved on the controller, masked, and written nowhere.
 */
public class CrossAccountStepTest {
    static final String PROD = "111111111111";
    static final String ACC = "222222222222";
    static final String PROD_KEY_ID = "AKIAPRODEMULATOR0001";
    static final String PROD_SECRET = "Prod+Secret/Key-4242-xacct";
    static final String ACC_KEY_ID = "AKIAACCEMULATOR00001";
    static final String ACC_SECRET = "Acc+Secret/Key-1717-xacct";
    static final String DB_PASSWORD = "Acc-Master-Pw-xacct-31";

    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    private static RdsEmulator rds;

    @BeforeClass
    public static void emulator() throws Exception {
        System.setProperty(SyncRunner.EMULATOR_PROPERTY, String.valueOf(SyncTestSupport.RDS_MINUTE.toMillis()));
        rds = RdsEmulator.builder().rdsMinute(SyncTestSupport.RDS_MINUTE).account(PROD, PROD_KEY_ID)
                .account(ACC, ACC_KEY_ID).start();
        rds.account(PROD).createAvailableInstance("prod-x", "admin", "Prod-Master-Pw-xacct", seed(
                "INSERT INTO app.orders (id, note) VALUES (1, 'p1'), (2, 'p2');\n"));
        rds.account(ACC).createAvailableInstance("acc-x", "admin", DB_PASSWORD, seed(
                "INSERT INTO app.orders (id, note) VALUES (1, 'old'), (1000000001, 'made on acceptance');\n"));
    }

    @AfterClass
    public static void stop() {
        if (rds != null) {
            rds.close();
        }
    }

    private static Path seed(String rows) throws Exception {
        Path f = Files.createTempFile("seed", ".sql");
        Files.writeString(f, "CREATE DATABASE app;\n"
                + "CREATE TABLE app.orders (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, note VARCHAR(100));\n"
                + rows, StandardCharsets.UTF_8);
        return f;
    }

    @Before
    public void credentials() throws Exception {
        SyncTestSupport.add(j.jenkins, new AWSCredentialsImpl(CredentialsScope.GLOBAL, "aws-acc", ACC_KEY_ID,
                ACC_SECRET, "acceptance account"));
        SyncTestSupport.add(j.jenkins, new AWSCredentialsImpl(CredentialsScope.GLOBAL, "aws-prod", PROD_KEY_ID,
                PROD_SECRET, "production account"));
        SyncTestSupport.add(j.jenkins, new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "acc-db",
                "acceptance master", "admin", DB_PASSWORD));
    }

    @Test
    public void aPipelineWithTwoAwsCredentialsSyncsAcrossAccounts() throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "cross-account");
        p.setDefinition(new CpsFlowDefinition("def r = syncRdsInstance source: 'prod-x', target: 'acc-x', region: '"
                + rds.region() + "', endpointUrl: '" + rds.endpoint() + "', awsCredentialsId: 'aws-acc',"
                + " sourceAwsCredentialsId: 'aws-prod', mysqlCredentialsId: 'acc-db', databases: ['app'],"
                + " dbTls: 'disabled'\necho \"restored from ${r.snapshot}\"", true));
        WorkflowRun b = j.buildAndAssertSuccess(p);
        j.assertLogContains("Share and copy", b);
        j.assertLogContains("restored from prod-x-rds-sync", b);
        try (Connection c = rds.account(ACC).connectAsMaster("acc-x", "app"); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT note FROM orders WHERE id = 1000000001")) {
            assertTrue(r.next());
            assertEquals("the tester's row survived", "made on acceptance", r.getString(1));
        }
        assertNull("acceptance stays in acceptance's account", rds.account(PROD).instanceStatus("acc-x"));
        assertEquals(Set.of(), rds.account(PROD).snapshotSharedWith("prod-x-rds-sync"));
        List<RecordedRequest> log = rds.requests().all();
        assertTrue("the snapshot was made with production's keys", log.stream()
                .filter(r -> "CreateDBSnapshot".equals(r.action())).allMatch(r -> PROD.equals(r.accountId())));
        assertTrue("the copy was made with acceptance's keys", log.stream()
                .filter(r -> "CopyDBSnapshot".equals(r.action())).allMatch(r -> ACC.equals(r.accountId())));
        for (String secret : List.of(PROD_SECRET, ACC_SECRET, DB_PASSWORD, PROD_KEY_ID)) {
            j.assertLogNotContains(secret, b);
            assertEquals("no " + secret + " in the build folder", Set.of(),
                    SyncTestSupport.grep(b.getRootDir(), secret));
            assertEquals(Set.of(), SyncTestSupport.grep(p.getRootDir(), secret));
        }
    }

    @Test
    public void theNewFieldsSurviveTheFormAndTheSnippetGenerator() throws Exception {
        RdsSyncStep s = new RdsSyncStep("prod", "acceptance");
        s.setAwsCredentialsId("aws-acc");
        s.setSourceAwsCredentialsId("aws-prod");
        s.setSourceRoleArn("arn:aws:iam::111122223333:role/rds-sync-source");
        s.setSourceExternalId("nightly");
        s.setSourceRegion("eu-central-1");
        s.setSourceEndpointUrl("https://rds.eu-central-1.amazonaws.com");
        s.setSnapshotCopyKmsKeyId("alias/acceptance");
        j.assertEqualDataBoundBeans(s, new StepConfigTester(j).configRoundTrip(s));
        new SnippetizerTester(j).assertRoundTrip(s, "syncRdsInstance awsCredentialsId: 'aws-acc',"
                + " snapshotCopyKmsKeyId: 'alias/acceptance', source: 'prod', sourceAwsCredentialsId: 'aws-prod',"
                + " sourceEndpointUrl: 'https://rds.eu-central-1.amazonaws.com', sourceExternalId: 'nightly',"
                + " sourceRegion: 'eu-central-1', sourceRoleArn: 'arn:aws:iam::111122223333:role/rds-sync-source',"
                + " target: 'acceptance'");
    }

    @Test
    public void productionCredentialsOfTheWrongKindEndTheBuildNamingTheField() throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "wrong-kind");
        p.setDefinition(new CpsFlowDefinition("syncRdsInstance source: 'prod-x', target: 'acc-x', region: '"
                + rds.region() + "', endpointUrl: '" + rds.endpoint() + "', awsCredentialsId: 'aws-acc',"
                + " sourceAwsCredentialsId: 'no-such-id', mysqlCredentialsId: 'acc-db'", true));
        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains("sourceAwsCredentialsId: no credentials with id 'no-such-id'", b);
    }
}
