package io.jenkins.plugins.rdssync.core.spec;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.jenkins.plugins.rdssync.core.spec.SpecKey.Type;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** A Jenkins step's plain values onto the spec, through the key table: no Jenkins needed. */
public class SpecValuesTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final String NO_WS = "run it inside node { }";

    /** A valid, distinct value for every Jenkins key, in its form type. */
    private static Map<String, Object> everyKey() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", "prod");
        m.put("target", "acceptance");
        m.put("region", "eu-west-1");
        m.put("endpointUrl", "https://rds.eu-west-1.amazonaws.com");
        m.put("awsCredentialsId", "aws-acc");
        m.put("roleArn", "arn:aws:iam::123456789012:role/rds-sync");
        m.put("externalId", "0123");
        m.put("roleSessionName", "nightly");
        m.put("sourceAwsCredentialsId", "aws-prod");
        m.put("sourceRoleArn", "arn:aws:iam::111122223333:role/rds-sync-source");
        m.put("sourceExternalId", "0042");
        m.put("sourceRegion", "eu-central-1");
        m.put("sourceEndpointUrl", "https://rds.eu-central-1.amazonaws.com");
        m.put("snapshotMode", "new");
        m.put("snapshotName", "prod-nightly");
        m.put("snapshotKeep", 5);
        m.put("snapshotCopyKmsKeyId", "alias/acc");
        m.put("strategy", "replace");
        m.put("instanceClass", "db.t3.medium");
        m.put("subnetGroup", "acc-subnets");
        m.put("availabilityZone", "eu-west-1a");
        m.put("securityGroups", List.of("sg-0123456789abcdef0"));
        m.put("parameterGroup", "acc-params");
        m.put("optionGroup", "acc-options");
        m.put("instancePort", 3307);
        m.put("storageType", "gp3");
        m.put("multiAz", false);
        m.put("publiclyAccessible", false);
        m.put("tags", List.of("team=qa"));
        m.put("backupRetention", 0);
        m.put("resetMasterPassword", false);
        m.put("oldTarget", "delete");
        m.put("oldTargetKeepHours", 12);
        m.put("mysqlCredentialsId", "acc-db");
        m.put("databases", List.of("app"));
        m.put("dbHost", "127.0.0.1");
        m.put("dbPort", 13306);
        m.put("dbTls", "disabled");
        m.put("dbTlsCaBundle", "certs/ca.pem");
        m.put("preserveRows", false);
        m.put("offset", 5_000_000_000L);
        m.put("preserveTables", List.of("orders:id"));
        m.put("includeTables", List.of("ord*"));
        m.put("excludeTables", List.of("*_log"));
        m.put("preserveColumns", List.of("users.email"));
        m.put("postSql", List.of("db/post.sql"));
        m.put("postSqlStatements", List.of("DELETE FROM sessions"));
        m.put("migrations", "db/migrations");
        m.put("migrationsTable", "flyway_schema_history");
        m.put("migrationsColumn", "script");
        m.put("allowTargets", List.of("acc*"));
        m.put("denyTargets", List.of("*prod*"));
        m.put("protectedTag", "keep-me");
        m.put("timeoutMinutes", 90);
        m.put("stageTimeoutMinutes", List.of("restore=60"));
        m.put("resume", true);
        m.put("dryRun", true);
        return m;
    }

    @Test
    public void everyJenkinsKeyIsCoveredHere() {
        assertEquals(SpecKeys.jenkins().stream().map(SpecKey::name).collect(Collectors.toList()),
                new ArrayList<>(everyKey().keySet()));
    }

    /** Every key reaches its SyncSpec field with the value given (STYLE: a round trip with a distinct value each). */
    @Test
    public void everyValueReachesTheSpec() throws Exception {
        Path ws = tmp.newFolder("ws").toPath();
        Files.createDirectories(ws.resolve("db/migrations"));
        Files.createDirectories(ws.resolve("certs"));
        Files.writeString(ws.resolve("db/post.sql"), "SELECT 1;");
        Files.writeString(ws.resolve("certs/ca.pem"), "not checked here");
        SpecValues v = SpecValues.of(everyKey());
        SyncSpec.Builder b = v.applyTo(SyncSpec.builder(), ws, NO_WS).mysqlUser("admin")
                .mysqlPassword(Secret.of("pw"));
        SyncSpec spec = b.build();
        List<String> wrong = new ArrayList<>();
        for (SpecKey k : SpecKeys.jenkins()) {
            if (k.type() == Type.CREDENTIALS_ID) {
                continue; // resolved by the plugin, not applied
            }
            Object given = everyKey().get(k.name());
            Object actual = accessor(spec, k.name());
            Object expected = switch (k.type()) {
                case PATH -> ws.resolve((String) given).toAbsolutePath().normalize();
                case PATHS -> List.of(ws.resolve(((List<?>) given).get(0).toString()).toAbsolutePath().normalize());
                case MAPPING -> k.name().equals("tags") ? Map.of("team", "qa") : Map.of("restore", 60);
                default -> given;
            };
            if (k.name().equals("preserveTables") || k.name().equals("preserveColumns")) {
                actual = ((List<?>) actual).stream().map(Object::toString).collect(Collectors.toList());
            }
            if (!String.valueOf(expected).equals(String.valueOf(actual))) {
                wrong.add(k.name() + ": gave " + given + ", the spec has " + actual);
            }
            if (k.defaultValue() != null && String.valueOf(k.defaultValue()).equals(String.valueOf(actual))) {
                wrong.add(k.name() + ": the test value is the default, so it proves nothing");
            }
        }
        assertEquals(List.of(), wrong);
    }

    private static Object accessor(SyncSpec spec, String name) throws Exception {
        Method m = SyncSpec.class.getMethod(name);
        Object v = m.invoke(spec);
        if (v instanceof Optional<?> o) {
            v = o.orElse(null);
        }
        if (v instanceof Enum<?> e) {
            v = e.getClass().getMethod("id").invoke(e);
        }
        return v;
    }

    @Test
    public void blankMeansDefault() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", " prod ");
        m.put("region", "  ");
        m.put("databases", java.util.Arrays.asList(" ", "app ", null, ""));
        m.put("securityGroups", List.of(" "));
        SpecValues v = SpecValues.of(m);
        assertEquals("prod", v.text("source"));
        assertNull(v.text("region"));
        assertEquals(List.of("app"), v.list("databases"));
        assertNull(v.get("securityGroups"));
        assertTrue(v.flag("preserveRows"));
        assertTrue(v.flag("resetMasterPassword"));
        assertFalse(v.flag("dryRun"));
        assertEquals(Map.of("source", "prod", "databases", List.of("app")), v.asMap());
    }

    @Test
    public void workspacePathsMustStayInTheWorkspace() throws Exception {
        Path ws = tmp.newFolder("ws2").toPath();
        SpecValues v = SpecValues.of(Map.of("source", "prod", "target", "acceptance", "preserveRows", false,
                "postSql", List.of("../outside.sql", "/etc/passwd")));
        List<SpecProblem> p = problems(v, ws);
        assertEquals(2, p.stream().filter(x -> x.field().equals("postSql")).count());
    }

    @Test
    public void workspacePathsNeedAWorkspace() {
        SpecValues v = SpecValues.of(Map.of("source", "prod", "target", "acceptance", "preserveRows", false,
                "migrations", "db/migrations"));
        List<SpecProblem> p = problems(v, null);
        assertTrue(p.toString(), p.stream().anyMatch(x -> x.field().equals("migrations")
                && x.message().contains(NO_WS)));
    }

    @Test
    public void badPairsAreReportedByField() {
        SpecValues v = SpecValues.of(Map.of("source", "prod", "target", "acceptance", "preserveRows", false,
                "tags", List.of("no-equals-sign"), "stageTimeoutMinutes", List.of("restor=90", "reload=soon")));
        List<String> fields = problems(v, null).stream().map(SpecProblem::field).collect(Collectors.toList());
        assertTrue(fields.toString(), fields.contains("tags"));
        assertEquals(fields.toString(), 2, fields.stream().filter("stageTimeoutMinutes"::equals).count());
    }

    @Test
    public void expandLeavesCredentialIdsNumbersAndFlagsAlone() {
        SpecValues v = SpecValues.of(Map.of("source", "${SRC}", "target", "acc", "awsCredentialsId", "${CREDS}",
                "databases", List.of("${DB}"), "dbPort", 3306, "dryRun", true));
        SpecValues e = v.expand(s -> s.replace("${SRC}", "prod").replace("${DB}", "app").replace("${CREDS}", "x"));
        assertEquals("prod", e.text("source"));
        assertEquals(List.of("app"), e.list("databases"));
        assertEquals("${CREDS}", e.text("awsCredentialsId"));
        assertEquals(Integer.valueOf(3306), e.number("dbPort"));
        assertTrue(e.flag("dryRun"));
        assertEquals("${SRC}", v.text("source"));
    }

    @Test
    public void copiesAreIndependent() {
        SpecValues v = SpecValues.of(Map.of("databases", List.of("app")));
        SpecValues c = v.copy();
        SpecValues changed = v.with("databases", List.of("other"));
        assertEquals(List.of("app"), c.list("databases"));
        assertEquals(List.of("app"), v.list("databases"));
        assertEquals(List.of("other"), changed.list("databases"));
        assertEquals(v, c);
        assertNotEquals(v, changed);
    }

    @Test
    public void lockKeyIsPerTargetAndEndpoint() {
        SpecValues a = SpecValues.of(Map.of("source", "prod", "target", "Acceptance"));
        SpecValues b = SpecValues.of(Map.of("source", "prod2", "target", "acceptance"));
        assertEquals(a.lockKey(), b.lockKey());
        assertNotEquals(a.lockKey(), b.with("endpointUrl", "http://127.0.0.1:1234").lockKey());
    }

    /** The bean reading and writing a Jenkins step uses (by getter and setter names). */
    @Test
    public void beansByGetterAndSetterNames() {
        Bean bean = new Bean();
        SpecValues.of(Map.of("region", " eu-west-1 ", "dbPort", "3306", "databases", "app\nlogs", "dryRun", true))
                .writeTo(bean);
        assertEquals("eu-west-1", bean.getRegion());
        assertEquals(Integer.valueOf(3306), bean.getDbPort());
        assertEquals(List.of("app", "logs"), bean.getDatabases());
        assertTrue(bean.isDryRun());
        assertEquals(Map.of("region", "eu-west-1", "dbPort", 3306, "databases", List.of("app", "logs"), "dryRun",
                true), SpecValues.fromBean(bean).asMap());
        try {
            SpecValues.of(Map.of("offset", 5L)).writeTo(bean);
            fail("a key without a setter");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("offset"));
        }
    }

    public static final class Bean {
        private String region;
        private Integer dbPort;
        private List<String> databases;
        private boolean dryRun;

        public String getRegion() { return region; }
        public void setRegion(String v) { region = v; }
        public Integer getDbPort() { return dbPort; }
        public void setDbPort(Integer v) { dbPort = v; }
        public List<String> getDatabases() { return databases; }
        public void setDatabases(List<String> v) { databases = v; }
        public boolean isDryRun() { return dryRun; }
        public void setDryRun(boolean v) { dryRun = v; }
    }

    private static List<SpecProblem> problems(SpecValues v, Path ws) {
        try {
            v.applyTo(SyncSpec.builder(), ws, NO_WS).build();
            fail("expected problems");
            return null;
        } catch (InvalidSpecException e) {
            return e.problems();
        }
    }
}
