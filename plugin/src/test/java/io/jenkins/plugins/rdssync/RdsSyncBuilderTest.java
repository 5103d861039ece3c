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
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import hudson.EnvVars;
import hudson.model.FreeStyleBuild;
import hudson.model.FreeStyleProject;
import hudson.model.Items;
import hudson.model.ParametersDefinitionProperty;
import hudson.model.StringParameterDefinition;
import java.util.List;
import net.sf.json.JSONArray;
import net.sf.json.JSONObject;
import org.htmlunit.html.HtmlForm;
import org.htmlunit.html.HtmlPage;
import org.junit.Test;
import org.jvnet.hudson.test.CaptureEnvironmentBuilder;

/**
 * The freestyle build step: end to end with its environment variables, its form round trip (the nested step form) and
 * what it saves.
 */
public class RdsSyncBuilderTest extends SyncTestSupport.WithJenkins {

    private static RdsSyncStep step(String source, String target) {
        RdsSyncStep b = new RdsSyncStep(source, target);
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
        p.getBuildersList().add(new RdsSyncBuilder(step(pair.source(), "${TARGET}")));
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

        // the RDS Sync action in the REST API, for scripts and dashboards
        JSONObject api = j.getJSON(p.getUrl() + b.getNumber() + "/api/json").getJSONObject();
        JSONObject sync = null;
        for (Object a : api.getJSONArray("actions")) {
            if (a instanceof JSONObject o && SyncAction.class.getName().equals(o.optString("_class"))) {
                sync = o;
            }
        }
        assertNotNull(api.toString(), sync);
        assertEquals("SUCCESS", sync.getString("state"));
        assertEquals(env.get(SyncAction.ENV_ENDPOINT), sync.getString("endpoint"));
        assertEquals(pair.source() + "-rds-sync", sync.getString("snapshot"));
        assertEquals(pair.target(), sync.getString("instance"));
        assertTrue(sync.toString(), sync.getJSONObject("preservedRows").size() > 0);
        assertTrue(sync.toString(), sync.has("downtimeSeconds"));
        JSONArray stages = sync.getJSONArray("stages");
        assertTrue(stages.toString(), stages.size() >= 8);
        assertEquals("Preflight", stages.getJSONObject(0).getString("name"));
        assertEquals("DONE", stages.getJSONObject(0).getString("status"));
        assertTrue(stages.getJSONObject(0).has("seconds"));
        for (String secret : List.of(AWS_SECRET, MASTER_PASSWORD)) {
            j.assertLogNotContains(secret, b);
            assertThat(grep(p.getRootDir(), secret), empty());
        }
    }

    @Test
    public void configRoundtrip() throws Exception {
        RdsSyncStep s = step("prod", "acceptance");
        s.setSnapshotMode("latest-automated");
        s.setStrategy("swap");
        s.setInstanceClass("db.t3.medium");
        s.setSecurityGroups(List.of("sg-0123456789abcdef0", "sg-0fedcba9876543210"));
        s.setTags(List.of("team=qa", "env=acceptance"));
        s.setOffset(2_000_000_000L);
        s.setPreserveColumns(List.of("app.users.email"));
        s.setPostSql(List.of("db/post.sql", "db/grants.sql"));
        s.setMigrationsTable("flyway_schema_history");
        s.setResume(true);
        s.setTimeoutMinutes(90);
        RdsSyncBuilder b = new RdsSyncBuilder(s);
        // the nested form's text areas and number boxes come back as lists and numbers: the step descriptor's
        // newInstance (SyncForms.normalise) ran for the nested object, through Descriptor's NewInstanceBindInterceptor
        RdsSyncBuilder after = j.configRoundtrip(b);
        j.assertEqualDataBoundBeans(b, after);
        assertEquals(List.of("team=qa", "env=acceptance"), after.getSync().getTags());
        assertEquals(Long.valueOf(2_000_000_000L), after.getSync().getOffset());
        RdsSyncBuilder plain = new RdsSyncBuilder(new RdsSyncStep("prod", "acceptance"));
        j.assertEqualDataBoundBeans(plain, j.configRoundtrip(plain));
    }

    /**
     * Issue 12: the freestyle form saved with a blank offset and two databases, one per line, kept the offset as 0
     * (every build then failed) and the databases as one string with a newline.
     */
    @Test
    public void configRoundtripWithBlankOffsetAndTwoDatabases() throws Exception {
        RdsSyncStep s = new RdsSyncStep("prod", "acceptance");
        s.setDatabases(List.of("app", "logs"));
        RdsSyncBuilder after = j.configRoundtrip(new RdsSyncBuilder(s));
        assertNull(after.getSync().getOffset());
        assertNull(after.getSync().getDbPort());
        assertNull(after.getSync().getTimeoutMinutes());
        assertEquals(List.of("app", "logs"), after.getSync().getDatabases());
        assertTrue(after.getSync().isPreserveRows());
        assertTrue(after.getSync().isResetMasterPassword());
        String xml = Items.XSTREAM2.toXML(after);
        assertThat(xml, not(containsString("<offset>")));
        assertThat(xml, not(containsString("<settings>")));
        assertThat(xml, containsString("<string>logs</string>"));
    }

    /** Issue 12: the configure page stopped after the Environment section (no build steps, no Save button). */
    @Test
    public void theConfigurePageDrawsTheWholeForm() throws Exception {
        FreeStyleProject p = j.createFreeStyleProject();
        p.getBuildersList().add(new RdsSyncBuilder(new RdsSyncStep("prod", "acceptance")));
        HtmlPage page = j.createWebClient().getPage(p, "configure");
        HtmlForm form = page.getFormByName("config");
        assertNotNull("the Save button", j.getButtonByCaption(form, "Save"));
        for (String caption : List.of("Test AWS access", "Test database login")) {
            assertThat(caption, page.getByXPath("//button[normalize-space(.)='" + caption + "']"
                    + " | //input[@type='button' and @value='" + caption + "']"), not(empty()));
        }
        assertThat(page.asXml(), containsString("Snapshots to keep, mode new"));
        assertThat(page.asXml(), containsString("Stage timeouts, one stage=minutes per line"));
    }

    @Test
    public void savedAsTheNestedStepAndReadsTheEarlierLayout() {
        RdsSyncBuilder b = new RdsSyncBuilder(step("prod", "acceptance"));
        String xml = Items.XSTREAM2.toXML(b);
        assertThat(xml, containsString("<sync>"));
        assertThat(xml, containsString("<source>prod</source>"));
        assertThat(xml, not(containsString("software.amazon")));

        // a builder saved before the step was nested held its own settings
        String earlier = "<io.jenkins.plugins.rdssync.RdsSyncBuilder><settings><source>prod</source>"
                + "<target>acceptance</target><databases><string>app</string></databases>"
                + "<preserveRows>true</preserveRows><resume>false</resume><dryRun>true</dryRun></settings>"
                + "</io.jenkins.plugins.rdssync.RdsSyncBuilder>";
        RdsSyncBuilder read = (RdsSyncBuilder) Items.XSTREAM2.fromXML(earlier);
        assertNotNull(read.getSync());
        assertEquals("acceptance", read.getSync().getTarget());
        assertEquals(List.of("app"), read.getSync().getDatabases());
        assertTrue(read.getSync().isDryRun());
        // saved again in the nested layout only
        assertThat(Items.XSTREAM2.toXML(read), containsString("<sync>"));

        // a step saved with its values nested in <settings> (the layout before the fields were the step's own)
        String nested = "<io.jenkins.plugins.rdssync.RdsSyncBuilder><sync><settings><source>prod</source>"
                + "<target>acceptance</target><databases><string>app</string><string>logs</string></databases>"
                + "<offset>2000000000</offset><preserveRows>true</preserveRows><resume>false</resume>"
                + "<dryRun>false</dryRun></settings></sync></io.jenkins.plugins.rdssync.RdsSyncBuilder>";
        RdsSyncBuilder again = (RdsSyncBuilder) Items.XSTREAM2.fromXML(nested);
        assertEquals("prod", again.getSync().getSource());
        assertEquals(List.of("app", "logs"), again.getSync().getDatabases());
        assertEquals(Long.valueOf(2_000_000_000L), again.getSync().getOffset());
        assertTrue("a field added later keeps its default", again.getSync().isResetMasterPassword());
        String saved = Items.XSTREAM2.toXML(again);
        assertThat(saved, not(containsString("<settings>")));
        assertThat(saved, containsString("<sync>\n    <source>prod</source>"));
    }
}
