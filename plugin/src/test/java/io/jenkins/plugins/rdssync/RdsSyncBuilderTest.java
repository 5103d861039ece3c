package io.jenkins.plugins.rdssync;

import static io.jenkins.plugins.rdssync.SyncTestSupport.AWS_ID;
import static io.jenkins.plugins.rdssync.SyncTestSupport.AWS_SECRET;
import static io.jenkins.plugins.rdssync.SyncTestSupport.DB_ID;
import static io.jenkins.plugins.rdssync.SyncTestSupport.MASTER_PASSWORD;
import static io.jenkins.plugins.rdssync.SyncTestSupport.OFFSET;
import static io.jenkins.plugins.rdssync.SyncTestSupport.grep;
import static io.jenkins.plugins.rdssync.SyncTestSupport.newPair;
import static io.jenkins.plugins.rdssync.SyncTestSupport.note;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

import hudson.EnvVars;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.ParametersDefinitionProperty;
import hudson.model.StringParameterDefinition;
import io.jenkins.plugins.rdssync.testkit.RdsEmulator;
import java.util.List;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.CaptureEnvironmentBuilder;
import org.jvnet.hudson.test.JenkinsRule;

/** The freestyle build step: end to end with its environment variables, and its form round trip. */
public class RdsSyncBuilderTest {

    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    private static RdsEmulator rds;

    @BeforeClass
    public static void startEmulator() {
        rds = SyncTestSupport.startEmulator();
    }

    @AfterClass
    public static void stopEmulator() {
        if (rds != null) {
            rds.close();
        }
    }

    @Before
    public void credentials() throws Exception {
        SyncTestSupport.addCredentials(j.jenkins);
    }

    private static RdsSyncBuilder builder(String source, String target) {
        RdsSyncBuilder b = new RdsSyncBuilder(source, target);
        b.setRegion(rds.region());
        b.setEndpointUrl(rds.endpoint().toString());
        b.setAwsCredentialsId(AWS_ID);
        b.setMysqlCredentialsId(DB_ID);
        b.setDatabases(List.of("app"));
        b.setDbTls("disabled");
        return b;
    }

    @Test
    public void freestyleEndToEndExportsEnvironment() throws Exception {
        SyncTestSupport.Pair pair = newPair(rds);
        FreeStyleProject p = j.createFreeStyleProject();
        // the target comes from a build parameter, as in a "refresh acceptance" job
        p.addProperty(new ParametersDefinitionProperty(new StringParameterDefinition("TARGET", pair.target())));
        p.getBuildersList().add(builder(pair.source(), "${TARGET}"));
        CaptureEnvironmentBuilder later = new CaptureEnvironmentBuilder();
        p.getBuildersList().add(later);

        FreeStyleBuild b = j.buildAndAssertSuccess(p);

        EnvVars env = later.getEnvVars();
        assertEquals(pair.target(), env.get(SyncAction.ENV_INSTANCE));
        assertEquals(pair.source() + "-rds-sync", env.get(SyncAction.ENV_SNAPSHOT));
        assertNotNull(env.get(SyncAction.ENV_ENDPOINT));
        assertEquals(String.valueOf(rds.dbEndpoint(pair.target()).port()), env.get(SyncAction.ENV_PORT));
        assertEquals("p1", note(rds, pair.target(), 1));
        assertEquals("made on acceptance", note(rds, pair.target(), OFFSET + 1));
        assertEquals(SyncAction.State.SUCCESS, b.getAction(SyncAction.class).getState());
        for (String secret : List.of(AWS_SECRET, MASTER_PASSWORD)) {
            j.assertLogNotContains(secret, b);
            assertThat(grep(p.getRootDir(), secret), empty());
        }
    }

    @Test
    public void configRoundtrip() throws Exception {
        RdsSyncBuilder b = builder("prod", "acceptance");
        b.setSnapshotMode("latest-automated");
        b.setStrategy("swap");
        b.setInstanceClass("db.t3.medium");
        b.setSecurityGroups(List.of("sg-0123456789abcdef0", "sg-0fedcba9876543210"));
        b.setTags(List.of("team=qa", "env=acceptance"));
        b.setOffset(2_000_000_000L);
        b.setPreserveColumns(List.of("app.users.email"));
        b.setPostSql(List.of("db/post.sql", "db/grants.sql"));
        b.setMigrationsTable("flyway_schema_history");
        b.setResume(true);
        b.setTimeoutMinutes(90);
        RdsSyncBuilder after = j.configRoundtrip(b);
        j.assertEqualDataBoundBeans(b, after);
        RdsSyncBuilder plain = new RdsSyncBuilder("prod", "acceptance");
        j.assertEqualDataBoundBeans(plain, j.configRoundtrip(plain));
    }
}
