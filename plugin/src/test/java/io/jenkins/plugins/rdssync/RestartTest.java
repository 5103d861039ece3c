package io.jenkins.plugins.rdssync;

import static io.jenkins.plugins.rdssync.SyncTestSupport.OFFSET;
import static io.jenkins.plugins.rdssync.SyncTestSupport.args;
import static io.jenkins.plugins.rdssync.SyncTestSupport.newPair;
import static io.jenkins.plugins.rdssync.SyncTestSupport.note;
import static io.jenkins.plugins.rdssync.SyncTestSupport.waitForStage;
import static org.junit.Assert.assertEquals;

import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.JenkinsSessionRule;

/**
 * A controller restart in the middle of a sync: the step stops the engine at a safe point on shutdown, and after the
 * restart {@code onResume} continues from the journal in the work folder, and the build succeeds.
 */
public class RestartTest extends SyncTestSupport {

    @Rule
    public JenkinsSessionRule sessions = new JenkinsSessionRule();

    @Test
    public void resumesAfterRestart() throws Throwable {
        SyncTestSupport.Pair pair = newPair(rds);
        String snapshot = pair.source() + "-" + pair.target() + "-rds-sync-a";
        sessions.then(j -> {
            SyncTestSupport.addCredentials(j.jenkins);
            WorkflowJob p = j.createProject(WorkflowJob.class, "nightly");
            p.setDefinition(new CpsFlowDefinition("def r = syncRdsInstance " + args(rds, pair) + "\n"
                    + "echo \"after restart: ${r.instance}\"", true));
            rds.faults().hold(snapshot, "creating");
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            waitForStage(b, "Snapshot");
            // the session ends here: Jenkins shuts down with the sync waiting for the snapshot
        });
        rds.faults().release(snapshot);
        sessions.then(j -> {
            WorkflowJob p = j.jenkins.getItemByFullName("nightly", WorkflowJob.class);
            WorkflowRun b = p.getBuildByNumber(1);
            j.assertBuildStatusSuccess(j.waitForCompletion(b));
            j.assertLogContains("Jenkins is shutting down", b);
            j.assertLogContains("Jenkins restarted during the RDS sync of '" + pair.target() + "' (stage Snapshot)", b);
            j.assertLogContains("continuing from the journal", b);
            j.assertLogContains("after restart: " + pair.target(), b);
            assertEquals("p1", note(rds, pair.target(), 1));
            assertEquals("made on acceptance", note(rds, pair.target(), OFFSET + 1));
        });
    }
}
