package io.jenkins.plugins.rdssync;

import static io.jenkins.plugins.rdssync.SyncTestSupport.AWS_ID;
import static io.jenkins.plugins.rdssync.SyncTestSupport.AWS_KEY_ID;
import static io.jenkins.plugins.rdssync.SyncTestSupport.AWS_SECRET;
import static io.jenkins.plugins.rdssync.SyncTestSupport.DB_ID;
import static io.jenkins.plugins.rdssync.SyncTestSupport.MASTER_PASSWORD;
import static io.jenkins.plugins.rdssync.SyncTestSupport.OFFSET;
import static io.jenkins.plugins.rdssync.SyncTestSupport.args;
import static io.jenkins.plugins.rdssync.SyncTestSupport.count;
import static io.jenkins.plugins.rdssync.SyncTestSupport.grep;
import static io.jenkins.plugins.rdssync.SyncTestSupport.newPair;
import static io.jenkins.plugins.rdssync.SyncTestSupport.note;
import static io.jenkins.plugins.rdssync.SyncTestSupport.waitForStage;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import hudson.model.Label;
import hudson.model.Result;
import java.io.File;
import java.util.List;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.cps.SnippetizerTester;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.Test;
import org.jvnet.hudson.test.JenkinsRule;

/** The {@code syncRdsInstance} step end to end against the RDS emulator, and its configuration round trips. */
public class RdsSyncStepTest extends SyncTestSupport.WithJenkins {

    private WorkflowJob job(String script) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition(script, true));
        return p;
    }

    @Test
    public void pipelineEndToEndReturnsPlainValues() throws Exception {
        SyncTestSupport.Pair pair = newPair(rds);
        WorkflowJob p = job("def r = syncRdsInstance " + args(rds, pair) + "\n"
                + "echo \"endpoint=${r.endpoint} port=${r.port} instance=${r.instance} snapshot=${r.snapshot}\"\n"
                + "echo \"preserved=${r.preservedRows} stages=${r.stages.size()}"
                + " first=${r.stages[0].name} downtime=${r.downtimeSeconds >= 0}\"\n"
                + "assert r.instance == '" + pair.target() + "'\n");
        WorkflowRun b = j.buildAndAssertSuccess(p);

        j.assertLogContains("instance=" + pair.target(), b);
        j.assertLogContains("snapshot=" + pair.source() + "-rds-sync", b);
        j.assertLogContains("first=", b);
        assertEquals(1L, b.getAction(SyncAction.class).getPreservedRowTotal());
        j.assertLogContains("downtime=true", b);
        j.assertLogNotContains("endpoint=null", b);
        // production's rows arrived, acceptance's own row survived, nothing else of the old target did
        assertEquals(3, count(rds, pair.target(), "id < " + OFFSET));
        assertEquals("p1", note(rds, pair.target(), 1));
        assertEquals("made on acceptance", note(rds, pair.target(), OFFSET + 1));
    }

    @Test
    public void declarativePipeline() throws Exception {
        SyncTestSupport.Pair pair = newPair(rds);
        WorkflowJob p = job("pipeline {\n  agent none\n  stages {\n    stage('refresh') {\n      steps {\n"
                + "        script {\n          def r = syncRdsInstance(" + args(rds, pair) + ")\n"
                + "          echo \"refreshed ${r.instance}\"\n        }\n      }\n    }\n  }\n}\n");
        WorkflowRun b = j.buildAndAssertSuccess(p);
        j.assertLogContains("refreshed " + pair.target(), b);
    }

    @Test
    public void runsOnTheAgentWithWorkspaceSqlFiles() throws Exception {
        SyncTestSupport.Pair pair = newPair(rds);
        j.createOnlineSlave(Label.get("db-agent"));
        WorkflowJob p = job("node('db-agent') {\n"
                + "  writeFile file: 'db/post.sql', text: \"UPDATE app.orders SET note = 'masked' WHERE id = 2;\\n\"\n"
                + "  def r = syncRdsInstance " + args(rds, pair) + ", postSql: ['db/post.sql']\n"
                + "  echo \"done on ${env.NODE_NAME}: ${r.instance}\"\n"
                + "}\n");
        WorkflowRun b = j.buildAndAssertSuccess(p);
        j.assertLogContains("done on ", b);
        j.assertLogNotContains("done on built-in", b);
        assertEquals("masked", note(rds, pair.target(), 2));
        assertEquals("made on acceptance", note(rds, pair.target(), OFFSET + 1));
    }

    @Test
    public void secretsNeverReachTheLogOrTheDisk() throws Exception {
        SyncTestSupport.Pair pair = newPair(rds);
        WorkflowJob p = job("node {\n"
                + "  writeFile file: 'post.sql', text: \"UPDATE app.orders SET note = 'masked' WHERE id = 2;\\n\"\n"
                + "  syncRdsInstance " + args(rds, pair) + ", postSql: ['post.sql']\n"
                + "}\n");
        WorkflowRun b = j.buildAndAssertSuccess(p);
        // the values only ever live in the credentials store: not in the log, the build, the job or the journal
        for (String secret : List.of(AWS_SECRET, MASTER_PASSWORD, AWS_KEY_ID)) {
            j.assertLogNotContains(secret, b);
            assertThat("build folder", grep(b.getRootDir(), secret), empty());
            assertThat("job folder", grep(p.getRootDir(), secret), empty());
            assertThat("journal folder", grep(new File(j.jenkins.getWorkspaceFor(p).getRemote() + "@tmp"), secret),
                    empty());
        }
    }

    @Test
    public void buildPageShowsTheSync() throws Exception {
        SyncTestSupport.Pair pair = newPair(rds);
        WorkflowRun b = j.buildAndAssertSuccess(job("syncRdsInstance " + args(rds, pair)));
        SyncAction a = b.getAction(SyncAction.class);
        assertNotNull(a);
        assertEquals(SyncAction.State.SUCCESS, a.getState());
        assertEquals(pair.source() + "-rds-sync", a.getSnapshot());
        assertEquals(pair.target(), a.getInstance());
        assertNotNull(a.getEndpoint());
        assertThat(a.getPreservedRowTotal(), greaterThanOrEqualTo(1L));
        assertThat(a.getStages(), not(empty()));
        assertTrue(a.getStages().stream().anyMatch(s -> s.getName().equals("Snapshot")));

        JenkinsRule.WebClient wc = j.createWebClient();
        HtmlPage build = wc.getPage(b);
        assertThat(build.asNormalizedText(), containsString(pair.source() + " \u2192 " + pair.target() + ": done"));
        HtmlPage page = wc.getPage(b, a.getUrlName());
        String stages = page.getElementById("rds-sync-stages").asNormalizedText();
        assertThat(stages, containsString("Snapshot"));
        assertThat(stages, containsString("Restore"));
        assertThat(page.getElementById("rds-sync-result").asNormalizedText(),
                containsString(pair.source() + "-rds-sync"));
    }

    @Test
    public void abortStopsAtASafePointAndResumeFinishes() throws Exception {
        SyncTestSupport.Pair pair = newPair(rds);
        String snapshot = pair.source() + "-rds-sync";
        rds.faults().hold(snapshot, "creating");
        WorkflowJob p = job("syncRdsInstance " + args(rds, pair));
        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        waitForStage(b, "Snapshot");
        b.doStop();
        j.waitForCompletion(b);
        j.assertBuildStatus(Result.ABORTED, b);
        j.assertLogContains("stops at its next safe point", b);
        j.assertLogContains("stopped at a safe point in stage Snapshot", b);
        j.assertLogContains("resume: true", b);
        assertEquals(SyncAction.State.CANCELLED, b.getAction(SyncAction.class).getState());
        // nothing destructive happened: the target still has its old rows
        assertEquals("old", note(rds, pair.target(), 1));

        rds.faults().release(snapshot);
        p.setDefinition(new CpsFlowDefinition("syncRdsInstance " + args(rds, pair) + ", resume: true", true));
        WorkflowRun again = j.buildAndAssertSuccess(p);
        j.assertLogContains("continuing from the journal", again);
        assertEquals("p1", note(rds, pair.target(), 1));
        assertEquals("made on acceptance", note(rds, pair.target(), OFFSET + 1));
    }

    @Test
    public void secondBuildOnTheSameTargetWaits() throws Exception {
        SyncTestSupport.Pair pair = newPair(rds);
        String snapshot = pair.source() + "-rds-sync";
        rds.faults().hold(snapshot, "creating");
        WorkflowJob first = job("syncRdsInstance " + args(rds, pair));
        WorkflowJob second = job("syncRdsInstance " + args(rds, pair));
        WorkflowRun b1 = first.scheduleBuild2(0).waitForStart();
        waitForStage(b1, "Snapshot");
        WorkflowRun b2 = second.scheduleBuild2(0).waitForStart();
        j.waitForMessage("Another build is syncing target '" + pair.target() + "': " + b1.getFullDisplayName(), b2);
        assertEquals(SyncAction.State.WAITING, b2.getAction(SyncAction.class).getState());
        rds.faults().release(snapshot);
        j.assertBuildStatusSuccess(j.waitForCompletion(b1));
        j.assertBuildStatusSuccess(j.waitForCompletion(b2));
        j.assertLogContains("is free now", b2);
    }

    @Test
    public void invalidConfigurationNamesTheField() throws Exception {
        WorkflowJob p = job("syncRdsInstance source: 'prod', target: 'prod', region: 'eu-west-1',"
                + " awsCredentialsId: '" + AWS_ID + "', mysqlCredentialsId: '" + DB_ID + "', offset: -5");
        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogContains("target: is the same instance as source", b);
        j.assertLogContains("offset:", b);
        j.assertLogNotContains("\tat ", b);
    }

    @Test
    public void stepConfigRoundTrip() throws Exception {
        RdsSyncStep s = new RdsSyncStep("prod", "acceptance");
        s.setRegion("eu-west-1");
        s.setAwsCredentialsId(AWS_ID);
        s.setMysqlCredentialsId(DB_ID);
        s.setDatabases(List.of("app", "logs"));
        s.setSnapshotMode("new");
        s.setSnapshotKeep(5);
        s.setStrategy("replace");
        s.setSecurityGroups(List.of("sg-0123456789abcdef0"));
        s.setTags(List.of("team=qa"));
        s.setOffset(5_000_000_000L);
        s.setPreserveTables(List.of("app.orders:id"));
        s.setPostSql(List.of("db/post.sql"));
        s.setMigrations("db/migrations");
        s.setDbTls("disabled");
        s.setDbPort(3307);
        s.setDbHost("127.0.0.1");
        s.setPreserveRows(false);
        s.setDryRun(true);
        s.setTimeoutMinutes(60);
        // keys added in issue 12
        s.setAllowTargets(List.of("*-acc"));
        s.setDenyTargets(List.of("*prod*"));
        s.setProtectedTag("keep-me");
        s.setStageTimeoutMinutes(List.of("restore=90", "reload=30"));
        s.setIncludeTables(List.of("ord*"));
        s.setExcludeTables(List.of("*_log"));
        s.setPostSqlStatements(List.of("DELETE FROM sessions"));
        s.setMigrationsColumn("script");
        s.setRoleSessionName("nightly");
        s.setSnapshotCopyKmsKeyId("alias/acc");
        s.setInstancePort(3307);
        s.setStorageType("gp3");
        s.setMultiAz(false);
        s.setPubliclyAccessible(true);
        s.setBackupRetention(0);
        s.setResetMasterPassword(false);
        RdsSyncStep after = new StepConfigTester(j).configRoundTrip(s);
        j.assertEqualDataBoundBeans(s, after);
        // and the defaults stay defaults
        RdsSyncStep plain = new RdsSyncStep("prod", "acceptance");
        j.assertEqualDataBoundBeans(plain, new StepConfigTester(j).configRoundTrip(plain));
    }

    @Test
    public void snippetGenerator() throws Exception {
        SnippetizerTester st = new SnippetizerTester(j);
        RdsSyncStep s = new RdsSyncStep("prod", "acceptance");
        s.setDatabases(List.of("app"));
        s.setRegion("eu-west-1");
        s.setAwsCredentialsId(AWS_ID);
        s.setMysqlCredentialsId(DB_ID);
        st.assertRoundTrip(s, "syncRdsInstance awsCredentialsId: '" + AWS_ID + "', databases: ['app'],"
                + " mysqlCredentialsId: '" + DB_ID + "', region: 'eu-west-1', source: 'prod', target: 'acceptance'");
        s.setTimeoutMinutes(60);
        s.setPreserveRows(false);
        st.assertRoundTrip(s, "syncRdsInstance awsCredentialsId: '" + AWS_ID + "', databases: ['app'],"
                + " mysqlCredentialsId: '" + DB_ID + "', preserveRows: false, region: 'eu-west-1', source: 'prod',"
                + " target: 'acceptance', timeoutMinutes: 60");
        // what the form sends (issue 12: this answered HTTP 500, a NullPointerException from a blank number): every
        // field, text areas one entry per line, every number blank, the optional true/false selects blank
        st.assertGenerateSnippet("{'stapler-class': '" + RdsSyncStep.class.getName() + "', '$class': '"
                + RdsSyncStep.class.getName() + "', 'source': 'prod', 'target': 'acceptance',"
                + " 'databases': 'app\\n\\nlogs\\n', 'offset': '', 'dbPort': '', 'snapshotKeep': '',"
                + " 'timeoutMinutes': '', 'instancePort': '', 'backupRetention': '', 'multiAz': '',"
                + " 'publiclyAccessible': '', 'tags': '', 'stageTimeoutMinutes': '', 'region': '',"
                + " 'preserveRows': true, 'resetMasterPassword': true, 'resume': false, 'dryRun': false}",
                "syncRdsInstance databases: ['app', 'logs'], source: 'prod', target: 'acceptance'", null);
        // and numbers as people type them
        st.assertGenerateSnippet("{'stapler-class': '" + RdsSyncStep.class.getName() + "', 'source': 'prod',"
                + " 'target': 'acceptance', 'snapshotKeep': '1_0', 'timeoutMinutes': '1 440',"
                + " 'allowTargets': '*-acc\\n', 'preserveRows': true, 'resume': false, 'dryRun': false}",
                "syncRdsInstance allowTargets: ['*-acc'], snapshotKeep: 10, source: 'prod', target: 'acceptance',"
                + " timeoutMinutes: 1440", null);
    }
}
