package io.jenkins.plugins.rdssync;

import static io.jenkins.plugins.rdssync.SyncTestSupport.AWS_ID;
import static io.jenkins.plugins.rdssync.SyncTestSupport.DB_ID;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.FreeStyleProject;
import hudson.model.Item;
import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import jenkins.model.Jenkins;
import org.junit.Test;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.verb.POST;
import org.springframework.security.access.AccessDeniedException;

/**
 * The forms: every {@code doCheck}/{@code doFill}/{@code doTest} method is {@code @POST} (an architecture rule, as
 * warnings-ng's PluginArchitectureTest enforces), permissions are checked, the rules are core's, the freestyle builder
 * nests the step's form instead of copying it, every field has help, and the "Test" buttons work against the emulator.
 */
public class FormsTest extends SyncTestSupport.WithJenkins {

    @Test
    public void everyFormEndpointIsPost() {
        List<String> offenders = new ArrayList<>();
        int endpoints = 0;
        for (Method m : RdsSyncStep.DescriptorImpl.class.getDeclaredMethods()) {
            String n = m.getName();
            if (n.startsWith("doCheck") || n.startsWith("doFill") || n.startsWith("doTest")) {
                endpoints++;
                if (!m.isAnnotationPresent(POST.class)) {
                    offenders.add(n);
                }
            }
        }
        assertEquals("not @POST: " + offenders, List.of(), offenders);
        assertTrue(endpoints > 20);
    }

    /** The freestyle builder has no form of its own: it nests the step's, so fields, help and checks exist once. */
    @Test
    public void builderNestsTheStepForm() throws IOException {
        for (Method m : RdsSyncBuilder.DescriptorImpl.class.getDeclaredMethods()) {
            assertFalse("form method on the builder: " + m.getName(), m.getName().startsWith("do"));
        }
        assertThat(resource("RdsSyncBuilder/config.jelly"), containsString("<f:property field=\"sync\"/>"));
        assertEquals(List.of(RdsSyncStep.class),
                List.of(j.findDataBoundConstructor(RdsSyncBuilder.class).getParameterTypes()));
        assertNotNull(j.jenkins.getDescriptor(RdsSyncStep.class));
    }

    @Test
    public void everyFieldHasHelp() {
        List<String> fields = new ArrayList<>(List.of("source", "target"));
        for (Method m : RdsSyncStep.class.getMethods()) {
            if (m.isAnnotationPresent(DataBoundSetter.class)) {
                fields.add(Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4));
            }
        }
        assertTrue(fields.size() > 30);
        for (String field : fields) {
            assertNotNull("help-" + field + ".html", RdsSyncStep.class.getResource("RdsSyncStep/help-" + field + ".html"));
        }
    }

    @Test
    public void validationUsesTheCoreRules() throws Exception {
        FreeStyleProject p = j.createFreeStyleProject();
        // the descriptor a freestyle job's nested form calls, with the job as ancestor
        RdsSyncStep.DescriptorImpl d = j.jenkins.getDescriptorByType(RdsSyncStep.DescriptorImpl.class);
        assertEquals(FormValidation.Kind.OK, d.doCheckSource(p, "prod").kind);
        assertEquals(FormValidation.Kind.ERROR, d.doCheckSource(p, "1prod").kind);
        assertEquals(FormValidation.Kind.ERROR, d.doCheckSource(p, "").kind);
        assertEquals(FormValidation.Kind.ERROR, d.doCheckTarget(p, "prod", "prod", "").kind);
        assertEquals(FormValidation.Kind.ERROR, d.doCheckTarget(p, "acc--eptance", "prod", "").kind);
        assertEquals(FormValidation.Kind.OK, d.doCheckTarget(p, "acceptance", "prod", "").kind);
        assertEquals(FormValidation.Kind.OK, d.doCheckOffset(p, "").kind);
        assertEquals(FormValidation.Kind.OK, d.doCheckOffset(p, "5000000000").kind);
        assertEquals(FormValidation.Kind.ERROR, d.doCheckOffset(p, "0").kind);
        assertEquals(FormValidation.Kind.ERROR, d.doCheckOffset(p, "lots").kind);
        assertEquals(FormValidation.Kind.ERROR, d.doCheckRegion(p, "Europe").kind);
        assertEquals(FormValidation.Kind.ERROR, d.doCheckRoleArn(p, "admin").kind);
        assertEquals(FormValidation.Kind.ERROR, d.doCheckDbPort(p, "70000").kind);
        assertEquals(FormValidation.Kind.ERROR, d.doCheckDbPort(p, "x").kind);
        assertEquals(FormValidation.Kind.ERROR, d.doCheckTags(p, "no equals sign").kind);
        assertEquals(FormValidation.Kind.ERROR, d.doCheckDatabases(p, "mysql").kind);
        assertEquals(FormValidation.Kind.OK, d.doCheckAwsCredentialsId(p, AWS_ID).kind);
        assertEquals(FormValidation.Kind.ERROR, d.doCheckMysqlCredentialsId(p, "gone").kind);
        assertEquals(FormValidation.Kind.OK, d.doCheckMysqlCredentialsId(p, DB_ID).kind);
        // issue 12: an AWS credential in the database field is warned about here, not refused by the build later
        FormValidation awsAsDb = d.doCheckMysqlCredentialsId(p, AWS_ID);
        assertEquals(FormValidation.Kind.WARNING, awsAsDb.kind);
        assertThat(awsAsDb.getMessage(), containsString("Username with password"));
        assertEquals(FormValidation.Kind.ERROR, d.doCheckStageTimeoutMinutes(p, "restor=90").kind);
        assertEquals(FormValidation.Kind.OK, d.doCheckStageTimeoutMinutes(p, "restore=90").kind);
        assertEquals(FormValidation.Kind.ERROR, d.doCheckInstancePort(p, "80").kind);
    }

    @Test
    public void credentialListsAndTestsNeedPermission() throws Exception {
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ, Item.READ).everywhere().to("reader"));
        FreeStyleProject p = j.createFreeStyleProject();
        RdsSyncStep.DescriptorImpl d = j.jenkins.getDescriptorByType(RdsSyncStep.DescriptorImpl.class);
        try (ACLContext ctx = ACL.as2(User.getById("reader", true).impersonate2())) {
            ListBoxModel aws = d.doFillAwsCredentialsIdItems(p, "current");
            assertEquals(List.of("current"), aws.stream().map(o -> o.value).collect(Collectors.toList()));
            assertEquals(FormValidation.Kind.OK, d.doCheckSource(p, "1bad").kind);
            assertThrows(AccessDeniedException.class, () -> d.doTestAwsAccess(p, "prod", "acceptance",
                    "eu-west-1", null, AWS_ID, null, null));
            assertThrows(AccessDeniedException.class, () -> d.doTestDatabaseLogin(p, "prod", "acceptance",
                    "eu-west-1", null, AWS_ID, null, null, DB_ID, null, null, null));
        }
        try (ACLContext ctx = ACL.as2(User.getById("admin", true).impersonate2())) {
            List<String> aws = d.doFillAwsCredentialsIdItems(p, null).stream().map(o -> o.value)
                    .collect(Collectors.toList());
            assertTrue(aws.toString(), aws.contains(AWS_ID) && aws.contains(DB_ID) && aws.contains(""));
            List<String> db = d.doFillMysqlCredentialsIdItems(p, null).stream().map(o -> o.value)
                    .collect(Collectors.toList());
            assertTrue(db.toString(), db.contains(DB_ID) && !db.contains(AWS_ID));
        }
    }

    @Test
    public void testButtonsAgainstTheEmulator() throws Exception {
        SyncTestSupport.Pair pair = SyncTestSupport.newPair(rds);
        FreeStyleProject p = j.createFreeStyleProject();
        // the descriptor a freestyle job's nested form calls, with the job as ancestor
        RdsSyncStep.DescriptorImpl d = j.jenkins.getDescriptorByType(RdsSyncStep.DescriptorImpl.class);
        String endpoint = rds.endpoint().toString();

        FormValidation aws = d.doTestAwsAccess(p, pair.source(), pair.target(), rds.region(), endpoint, AWS_ID, null,
                null);
        assertEquals(aws.getMessage(), FormValidation.Kind.OK, aws.kind);
        assertThat(aws.getMessage(), containsString("AWS access works"));

        FormValidation db = d.doTestDatabaseLogin(p, pair.source(), pair.target(), rds.region(), endpoint, AWS_ID,
                null, null, DB_ID, null, null, "disabled");
        assertEquals(db.getMessage(), FormValidation.Kind.OK, db.kind);
        assertThat(db.getMessage(), containsString("Logged in to"));

        SyncTestSupport.add(j.jenkins, new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "wrong-db", "x",
                SyncTestSupport.MASTER_USER, "not-the-password"));
        FormValidation bad = d.doTestDatabaseLogin(p, pair.source(), pair.target(), rds.region(), endpoint, AWS_ID,
                null, null, "wrong-db", null, null, "disabled");
        assertEquals(FormValidation.Kind.ERROR, bad.kind);
        assertThat(bad.getMessage(), containsString("mysqlCredentialsId"));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = RdsSyncStep.class.getResourceAsStream(name)) {
            assertNotNull(name, in);
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
