package io.jenkins.plugins.rdssync;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.jenkins.plugins.rdssync.core.spec.InvalidSpecException;
import io.jenkins.plugins.rdssync.core.spec.SpecProblem;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.Test;

/** Plain unit tests of the settings holder and its mapping onto the core spec: no Jenkins needed. */
public class SyncSettingsTest {

    @Test
    public void blankMeansDefault() {
        SyncSettings s = new SyncSettings(" prod ", "acceptance");
        s.setRegion("  ");
        s.setDatabases(Arrays.asList(" ", "app ", null, ""));
        s.setSecurityGroups(List.of(" "));
        s.setStrategy(" REPLACE ");
        assertEquals("prod", s.getSource());
        assertNull(s.getRegion());
        assertEquals(List.of("app"), s.getDatabases());
        assertNull(s.getSecurityGroups());
        assertEquals("replace", s.getStrategy());
        assertTrue(s.isPreserveRows());
    }

    @Test
    public void splitLinesDropsBlanksAndComments() {
        assertEquals(List.of("app", "logs"), SyncSettings.splitLines("app\r\n\n  logs  \n# not this\n"));
        assertNull(SyncSettings.splitLines(" \n "));
        assertEquals("app\nlogs", SyncSettings.joinLines(List.of("app", "logs")));
    }

    @Test
    public void mapsOntoTheCoreSpec() throws Exception {
        Path ws = Files.createTempDirectory("ws");
        Files.createDirectories(ws.resolve("db/migrations"));
        Files.writeString(ws.resolve("db/post.sql"), "SELECT 1;");
        SyncSettings s = new SyncSettings("prod", "acceptance");
        s.setRegion("eu-west-1");
        s.setDatabases(List.of("app"));
        s.setOffset(5_000_000_000L);
        s.setTags(List.of("team=qa", "purpose = acceptance"));
        s.setPostSql(List.of("db/post.sql"));
        s.setMigrations("db/migrations");
        s.setPreserveRows(false);
        s.setTimeoutMinutes(30);
        SyncSpec.Builder b = s.applyTo(SyncSpec.builder(), ws);
        new ResolvedCredentials("AKIAKEY", "secret-key", null, "admin", "db-password").applyTo(b);
        SyncSpec spec = b.build();
        assertEquals("admin", spec.mysqlUser().orElseThrow());
        assertEquals("acceptance", spec.target());
        assertEquals(5_000_000_000L, spec.offset());
        assertEquals("acceptance", spec.tags().get("purpose"));
        assertEquals(ws.resolve("db/post.sql").toAbsolutePath().normalize(), spec.postSql().get(0));
        assertEquals(30, spec.timeoutMinutes());
        assertFalse(spec.preserveRows());
    }

    @Test
    public void workspacePathsMustStayInTheWorkspace() throws Exception {
        Path ws = Files.createTempDirectory("ws");
        SyncSettings s = new SyncSettings("prod", "acceptance");
        s.setPreserveRows(false);
        s.setPostSql(List.of("../outside.sql", "/etc/passwd"));
        assertEquals(List.of("postSql", "postSql"), problems(s, ws).stream().map(SpecProblem::field)
                .filter("postSql"::equals).collect(Collectors.toList()));
    }

    @Test
    public void workspacePathsNeedAWorkspace() {
        SyncSettings s = new SyncSettings("prod", "acceptance");
        s.setPreserveRows(false);
        s.setMigrations("db/migrations");
        List<SpecProblem> p = problems(s, null);
        assertTrue(p.toString(), p.stream().anyMatch(x -> x.field().equals("migrations")
                && x.message().contains("node")));
    }

    @Test
    public void badTagsAreReportedByField() {
        SyncSettings s = new SyncSettings("prod", "acceptance");
        s.setPreserveRows(false);
        s.setTags(List.of("no-equals-sign"));
        assertTrue(problems(s, null).stream().anyMatch(x -> x.field().equals("tags")));
    }

    @Test
    public void expandLeavesCredentialIdsAlone() {
        SyncSettings s = new SyncSettings("${SRC}", "acc");
        s.setAwsCredentialsId("${CREDS}");
        s.setDatabases(List.of("${DB}"));
        s.expand(v -> v.replace("${SRC}", "prod").replace("${DB}", "app").replace("${CREDS}", "x"));
        assertEquals("prod", s.getSource());
        assertEquals(List.of("app"), s.getDatabases());
        assertEquals("${CREDS}", s.getAwsCredentialsId());
    }

    @Test
    public void copiesAreIndependent() {
        SyncSettings s = new SyncSettings("prod", "acceptance");
        s.setDatabases(List.of("app"));
        SyncSettings c = s.copy();
        s.setDatabases(List.of("other"));
        assertEquals(List.of("app"), c.getDatabases());
    }

    @Test
    public void lockKeyIsPerTargetAndEndpoint() {
        SyncSettings a = new SyncSettings("prod", "Acceptance");
        SyncSettings b = new SyncSettings("prod2", "acceptance");
        assertEquals(a.lockKey(), b.lockKey());
        b.setEndpointUrl("http://127.0.0.1:1234");
        assertFalse(a.lockKey().equals(b.lockKey()));
    }

    private static List<SpecProblem> problems(SyncSettings s, Path ws) {
        try {
            s.applyTo(SyncSpec.builder(), ws).build();
            fail("expected problems");
            return null;
        } catch (InvalidSpecException e) {
            return e.problems();
        }
    }
}
