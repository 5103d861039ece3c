package io.jenkins.plugins.rdssync;

import static io.jenkins.plugins.rdssync.SyncTestSupport.AWS_ID;
import static io.jenkins.plugins.rdssync.SyncTestSupport.DB_ID;
import static org.junit.Assert.assertEquals;

import com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl;
import com.cloudbees.plugins.credentials.CredentialsScope;
import hudson.model.Item;
import hudson.model.Result;
import hudson.model.User;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import jenkins.model.Jenkins;
import jenkins.security.QueueItemAuthenticatorConfiguration;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.Before;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.MockQueueItemAuthenticator;

/**
 * Expected credential failures end the build with one clean line naming the field, before anything touches AWS:
 * an unknown id, the wrong kind of credentials, credentials the build's user may not use.
 */
public class CredentialsTest {

    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Before
    public void credentials() throws Exception {
        SyncTestSupport.addCredentials(j.jenkins);
    }

    private WorkflowRun run(String name, String aws, String db) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, name);
        p.setDefinition(new CpsFlowDefinition("syncRdsInstance source: 'prod', target: 'acceptance',"
                + " region: 'eu-west-1', endpointUrl: 'http://127.0.0.1:9', awsCredentialsId: '" + aws + "',"
                + " mysqlCredentialsId: '" + db + "', databases: ['app']", true));
        WorkflowRun b = j.buildAndAssertStatus(Result.FAILURE, p);
        j.assertLogNotContains("\tat ", b);
        return b;
    }

    @Test
    public void missingId() throws Exception {
        WorkflowRun b = run("missing", "no-such-credentials", DB_ID);
        j.assertLogContains("awsCredentialsId: no credentials with id 'no-such-credentials' that this build may use", b);
    }

    @Test
    public void wrongType() throws Exception {
        WorkflowRun b = run("wrong-type", AWS_ID, AWS_ID);
        j.assertLogContains("mysqlCredentialsId: credentials '" + AWS_ID + "' are of the kind", b);
        j.assertLogContains("Username with password", b);
    }

    @Test
    public void theRoleOfAwsCredentialsIsAssumedByTheEngine() throws Exception {
        // keys plus "IAM Role To Use": the engine assumes the role and renews the session during a long sync,
        // instead of getting one-hour session keys from the credentials plugin
        AWSCredentialsImpl c = new AWSCredentialsImpl(CredentialsScope.GLOBAL, "aws-role", "AKIAROLEKEY000000001",
                "Role-Secret-0815", "with role", "arn:aws:iam::123456789012:role/rds-sync", null, "ext-42");
        SyncSpec.Builder b = SyncSpec.builder().source("prod").target("acceptance").region("eu-west-1")
                .preserveRows(false);
        CredentialResolver.aws(ResolvedCredentials.NONE, c, "aws-role", false).applyTo(b);
        SyncSpec spec = b.build();
        assertEquals("AKIAROLEKEY000000001", spec.accessKeyId().orElseThrow());
        assertEquals("Role-Secret-0815", spec.secretAccessKey().orElseThrow().reveal());
        assertEquals("arn:aws:iam::123456789012:role/rds-sync", spec.roleArn().orElseThrow());
        assertEquals("ext-42", spec.externalId().orElseThrow());
    }

    @Test
    public void noPermission() throws Exception {
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ, Item.READ, Item.BUILD).everywhere().to("bob"));
        // the build runs as bob, who may not use the global credentials of the system
        QueueItemAuthenticatorConfiguration.get().getAuthenticators()
                .add(new MockQueueItemAuthenticator().authenticate("as-bob", User.getById("bob", true).impersonate2()));
        WorkflowRun b = run("as-bob", AWS_ID, DB_ID);
        j.assertLogContains("awsCredentialsId: no credentials with id '" + AWS_ID + "' that this build may use", b);
    }
}
