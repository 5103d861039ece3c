package io.jenkins.plugins.rdssync.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.jenkins.plugins.rdssync.core.spec.ColumnKeep;
import io.jenkins.plugins.rdssync.core.spec.InvalidSpecException;
import io.jenkins.plugins.rdssync.core.spec.Secret;
import io.jenkins.plugins.rdssync.core.spec.OldTarget;
import io.jenkins.plugins.rdssync.core.spec.SnapshotMode;
import io.jenkins.plugins.rdssync.core.spec.SpecProblem;
import io.jenkins.plugins.rdssync.core.spec.Strategy;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import io.jenkins.plugins.rdssync.core.spec.TableKey;
import io.jenkins.plugins.rdssync.core.spec.TlsMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class SpecFileTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path dir;

    /** Every key of the public interface that the YAML file accepts (the brief's list). */
    static final List<String> ALL_KEYS = List.of("source", "target", "region", "endpointUrl", "roleArn",
            "externalId", "roleSessionName", "sourceRegion", "sourceEndpointUrl", "sourceProfile", "sourceRoleArn",
            "sourceExternalId", "snapshotMode", "snapshotName", "snapshotKeep", "snapshotCopyKmsKeyId",
            "strategy", "instanceClass", "subnetGroup", "availabilityZone", "securityGroups", "parameterGroup",
            "optionGroup", "instancePort", "storageType", "multiAz", "publiclyAccessible", "tags", "backupRetention",
            "resetMasterPassword", "oldTarget", "oldTargetKeepHours", "mysqlUser", "mysqlPasswordFile", "databases", "dbHost", "dbPort", "dbTls",
            "dbTlsCaBundle", "preserveRows", "offset", "preserveTables", "includeTables", "excludeTables",
            "preserveColumns", "postSql", "postSqlStatements", "migrations", "migrationsTable", "migrationsColumn",
            "allowTargets", "denyTargets", "protectedTag", "timeoutMinutes", "stageTimeoutMinutes", "workDir");

    static final String EVERY_KEY = String.join("\n",
            "# every key of docs/configuration.md",
            "source: shop-prod",
            "target: shop-acc",
            "region: eu-west-1",
            "endpointUrl: https://rds.eu-west-1.amazonaws.com",
            "roleArn: arn:aws:iam::123456789012:role/rds-sync",
            "externalId: 0123",
            "roleSessionName: nightly-sync",
            "sourceRegion: eu-central-1",
            "sourceEndpointUrl: https://rds.eu-central-1.amazonaws.com",
            "sourceProfile: production",
            "sourceRoleArn: arn:aws:iam::111122223333:role/rds-sync-source",
            "sourceExternalId: 0042",
            "snapshotMode: new",
            "snapshotName: shop-nightly",
            "snapshotKeep: 5",
            "snapshotCopyKmsKeyId: alias/acceptance",
            "strategy: replace",
            "instanceClass: db.t3.medium",
            "subnetGroup: acc-subnets",
            "availabilityZone: eu-west-1a",
            "securityGroups: [sg-0123456789abcdef0, sg-0fedcba987654321f]",
            "parameterGroup: acc-mysql80",
            "optionGroup: acc-options",
            "instancePort: 3307",
            "storageType: gp3",
            "multiAz: false",
            "publiclyAccessible: no",
            "tags:",
            "  env: acceptance",
            "  cost-center: 42",
            "backupRetention: 0",
            "resetMasterPassword: false",
            "oldTarget: delete",
            "oldTargetKeepHours: 12",
            "mysqlUser: admin",
            "mysqlPasswordFile: secrets/db-password",
            "databases:",
            "  - shop",
            "  - crm",
            "dbHost: 127.0.0.1",
            "dbPort: 13306",
            "dbTls: verify-identity",
            "dbTlsCaBundle: certs/global-bundle.pem",
            "preserveRows: true",
            "offset: 2_000_000_000",
            "preserveTables:",
            "  - orders:id",
            "  - shop.customers:id",
            "includeTables: ['shop.*']",
            "excludeTables: ['*_log']",
            "preserveColumns:",
            "  - users.password_hash",
            "  - {schema: shop, table: customers, column: email, key: id, where: 'id < 100'}",
            "  - column: crm.notes.body",
            "    where: author = 'qa'",
            "postSql:",
            "  - sql/10-mask.sql",
            "  - sql/20-grants.sql",
            "postSqlStatements:",
            "  - UPDATE shop.settings SET value = 'acceptance' WHERE name = 'env'",
            "migrations: db/migrations",
            "migrationsTable: flyway_schema_history",
            "migrationsColumn: script",
            "allowTargets: ['*-acc', '*-test']",
            "denyTargets: ['*-prod']",
            "protectedTag: do-not-sync",
            "timeoutMinutes: 240",
            "stageTimeoutMinutes:",
            "  restore: 90",
            "  Backup: 30",
            "  post-sql: 15",
            "workDir: work/journal",
            "");

    @Before
    public void files() throws IOException {
        dir = tmp.newFolder("conf").toPath();
        Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(dir.resolve("secrets/db-password"), "file-pw-Xq7\n");
        Files.createDirectories(dir.resolve("certs"));
        Files.writeString(dir.resolve("certs/global-bundle.pem"), "-----BEGIN CERTIFICATE-----\n");
        Files.createDirectories(dir.resolve("sql"));
        Files.writeString(dir.resolve("sql/10-mask.sql"), "UPDATE customers SET email = NULL;\n");
        Files.writeString(dir.resolve("sql/20-grants.sql"), "SELECT 1;\n");
        Files.createDirectories(dir.resolve("db/migrations"));
    }

    private Path write(String name, String yaml) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, yaml, StandardCharsets.UTF_8);
        return f;
    }

    private SyncSpec build(String yaml, Env env) throws IOException {
        return SpecFile.read(write("rds-sync.yaml", yaml), env).builder().build();
    }

    /** The problems of a file that must not build, as the CLI shows them. */
    private List<String> problems(String yaml, Env env) throws IOException {
        SpecFile f = SpecFile.read(write("bad.yaml", yaml), env);
        try {
            f.builder().build();
            fail("expected problems");
            return null;
        } catch (InvalidSpecException e) {
            return e.problems().stream().map(f::describe).collect(Collectors.toList());
        }
    }

    private static String joined(List<String> l) {
        return String.join("\n", l);
    }

    @Test
    public void everyKeyOfTheBriefIsAccepted() {
        assertEquals(ALL_KEYS, SpecFile.keys());
    }

    @Test
    public void mapsEveryKey() throws IOException {
        SyncSpec s = build(EVERY_KEY, Env.of(Map.of()));
        assertEquals("shop-prod", s.source());
        assertEquals("shop-acc", s.target());
        assertEquals("eu-west-1", s.region().orElseThrow());
        assertEquals("https://rds.eu-west-1.amazonaws.com", s.endpointUrl().orElseThrow());
        assertEquals("arn:aws:iam::123456789012:role/rds-sync", s.roleArn().orElseThrow());
        assertEquals("0123 stays text, not octal 83", "0123", s.externalId().orElseThrow());
        assertEquals("nightly-sync", s.roleSessionName());
        assertEquals("eu-central-1", s.sourceRegion().orElseThrow());
        assertEquals("https://rds.eu-central-1.amazonaws.com", s.sourceEndpointUrl().orElseThrow());
        assertEquals("production", s.sourceProfile().orElseThrow());
        assertEquals("arn:aws:iam::111122223333:role/rds-sync-source", s.sourceRoleArn().orElseThrow());
        assertEquals("0042", s.sourceExternalId().orElseThrow());
        assertTrue(s.hasSourceSide());
        assertEquals(SnapshotMode.NEW, s.snapshotMode());
        assertEquals("shop-nightly", s.snapshotName());
        assertEquals(5, s.snapshotKeep());
        assertEquals("alias/acceptance", s.snapshotCopyKmsKeyId().orElseThrow());
        assertEquals(Strategy.REPLACE, s.strategy());
        assertEquals("db.t3.medium", s.instanceClass().orElseThrow());
        assertEquals("acc-subnets", s.subnetGroup().orElseThrow());
        assertEquals("eu-west-1a", s.availabilityZone().orElseThrow());
        assertEquals(List.of("sg-0123456789abcdef0", "sg-0fedcba987654321f"), s.securityGroups());
        assertEquals("acc-mysql80", s.parameterGroup().orElseThrow());
        assertEquals("acc-options", s.optionGroup().orElseThrow());
        assertEquals(Integer.valueOf(3307), s.instancePort().orElseThrow());
        assertEquals("gp3", s.storageType().orElseThrow());
        assertEquals(Boolean.FALSE, s.multiAz().orElseThrow());
        assertEquals(Boolean.FALSE, s.publiclyAccessible().orElseThrow());
        assertEquals(Map.of("env", "acceptance", "cost-center", "42"), s.tags());
        assertEquals(List.of("env", "cost-center"), List.copyOf(s.tags().keySet()));
        assertEquals(Integer.valueOf(0), s.backupRetention().orElseThrow());
        assertFalse(s.resetMasterPassword());
        assertEquals(OldTarget.DELETE, s.oldTarget());
        assertEquals(12, s.oldTargetKeepHours());
        assertEquals("admin", s.mysqlUser().orElseThrow());
        assertEquals(Secret.of("file-pw-Xq7"), s.mysqlPassword().orElseThrow());
        assertEquals(List.of("shop", "crm"), s.databases());
        assertEquals("127.0.0.1", s.dbHost().orElseThrow());
        assertEquals(Integer.valueOf(13306), s.dbPort().orElseThrow());
        assertEquals(TlsMode.VERIFY_IDENTITY, s.dbTls());
        assertEquals(dir.resolve("certs/global-bundle.pem"), s.dbTlsCaBundle().orElseThrow());
        assertTrue(s.preserveRows());
        assertEquals(2_000_000_000L, s.offset());
        assertEquals(List.of(new TableKey(null, "orders", "id"), new TableKey("shop", "customers", "id")),
                s.preserveTables());
        assertEquals(List.of("shop.*"), s.includeTables());
        assertEquals(List.of("*_log"), s.excludeTables());
        assertEquals(List.of(new ColumnKeep(null, "users", "password_hash", null, null),
                new ColumnKeep("shop", "customers", "email", "id", "id < 100"),
                new ColumnKeep("crm", "notes", "body", null, "author = 'qa'")), s.preserveColumns());
        assertEquals(List.of(dir.resolve("sql/10-mask.sql"), dir.resolve("sql/20-grants.sql")), s.postSql());
        assertEquals(List.of("UPDATE shop.settings SET value = 'acceptance' WHERE name = 'env'"),
                s.postSqlStatements());
        assertEquals(dir.resolve("db/migrations"), s.migrations().orElseThrow());
        assertEquals("flyway_schema_history", s.migrationsTable());
        assertEquals("script", s.migrationsColumn());
        assertEquals(List.of("*-acc", "*-test"), s.allowTargets());
        assertEquals(List.of("*-prod"), s.denyTargets());
        assertEquals("do-not-sync", s.protectedTag());
        assertEquals(240, s.timeoutMinutes());
        assertEquals(Map.of("restore", 90, "backup", 30, "post-sql", 15), s.stageTimeoutMinutes());
        assertEquals(dir.resolve("work/journal"), s.workDir());
        assertFalse(s.resume());
        assertFalse(s.dryRun());
    }

    @Test
    public void relativePathsResolveAgainstTheFilesFolderNotTheWorkingDirectory() throws IOException {
        Path sub = dir.resolve("nested/deeper");
        Files.createDirectories(sub.resolve("sql"));
        Files.writeString(sub.resolve("sql/a.sql"), "SELECT 1;");
        Files.writeString(sub.resolve("pw"), "pw");
        Path f = sub.resolve("c.yaml");
        Files.writeString(f, "source: a\ntarget: b\nmysqlUser: u\nmysqlPasswordFile: pw\npostSql: sql/a.sql\n"
                + "migrations: ../deeper/sql\nworkDir: ./j\n");
        SyncSpec s = SpecFile.read(f, Env.of(Map.of())).builder().build();
        assertEquals(List.of(sub.resolve("sql/a.sql")), s.postSql());
        assertEquals(sub.resolve("sql"), s.migrations().orElseThrow());
        assertEquals(sub.resolve("j"), s.workDir());
        assertTrue(s.postSql().get(0).isAbsolute());
        // absolute paths stay as they are
        SyncSpec abs = build("source: a\ntarget: b\npreserveRows: false\ndbTlsCaBundle: "
                + dir.resolve("certs/global-bundle.pem") + "\n", Env.of(Map.of()));
        assertEquals(dir.resolve("certs/global-bundle.pem"), abs.dbTlsCaBundle().orElseThrow());
    }

    @Test
    public void defaultsWhenKeysAreAbsent() throws IOException {
        SyncSpec s = build("source: shop-prod\ntarget: shop-acc\npreserveRows: false\n", Env.of(Map.of()));
        assertEquals(SyncSpec.DEFAULT_OFFSET, s.offset());
        assertEquals(Strategy.SWAP, s.strategy());
        assertEquals(SnapshotMode.ROLLING, s.snapshotMode());
        assertEquals("shop-prod-shop-acc-rds-sync", s.snapshotName());
        assertEquals(SyncSpec.DEFAULT_TIMEOUT_MINUTES, s.timeoutMinutes());
        assertTrue(s.region().isEmpty());
        assertTrue(s.mysqlPassword().isEmpty());
        // empty values mean "default" too
        SyncSpec e = build("source: shop-prod\ntarget: shop-acc\npreserveRows: false\nregion:\noffset: ~\n"
                + "databases:\ntags:\n", Env.of(Map.of()));
        assertTrue(e.region().isEmpty());
        assertEquals(SyncSpec.DEFAULT_OFFSET, e.offset());
    }

    @Test
    public void oneValueWhereAListIsExpectedIsAListOfOne() throws IOException {
        SyncSpec s = build("source: a\ntarget: b\nmysqlUser: admin\ndatabases: shop\n"
                + "preserveColumns: users.password_hash\n", Env.of(Map.of(SpecFile.PASSWORD_ENV, "x")));
        assertEquals(List.of("shop"), s.databases());
        assertEquals(List.of(new ColumnKeep(null, "users", "password_hash", null, null)), s.preserveColumns());
    }

    @Test
    public void unknownKeysGetASuggestionAndAllProblemsComeAtOnce() throws IOException {
        List<String> p = problems("source: shop-prod\ntarget: shop-acc\npreserveRows: false\n"
                + "preserveColumn: [users.password_hash]\nendpoint_url: http://localhost:4566\n"
                + "SnapshotMode: new\ntimeout: 30\nsnapshot: x\nfrobnicate: 1\n", Env.of(Map.of()));
        String all = joined(p);
        assertTrue(all, all.contains("preserveColumn: unknown key; did you mean 'preserveColumns'? (line 4)"));
        assertTrue(all, all.contains("endpoint_url: unknown key; did you mean 'endpointUrl'? (line 5)"));
        assertTrue(all, all.contains("SnapshotMode: unknown key; did you mean 'snapshotMode'? (line 6)"));
        assertTrue(all, all.contains("timeout: unknown key; did you mean 'timeoutMinutes'?"));
        assertTrue(all, all.contains("snapshot: unknown key; did you mean 'snapshotName'"));
        assertTrue(all, all.contains("frobnicate: unknown key; the keys are listed in docs/configuration.md"));
        assertEquals(all, 6, p.size());
    }

    @Test
    public void wrongTypesNameTheKeyTheLineAndWhatWasExpected() throws IOException {
        List<String> p = problems(String.join("\n",
                "source: [shop-prod]",
                "target: shop-acc",
                "dbPort: abc",
                "snapshotKeep: 2.5",
                "multiAz: maybe",
                "databases: {shop: true}",
                "tags: [a, b]",
                "offset: [1]",
                "stageTimeoutMinutes: {restore: soon, unpack: 3}",
                "preserveColumns: [{table: t}, [x], {table: t, column: c, colour: red}]",
                "securityGroups: [[sg-1]]",
                "mysqlPasswordFile: [a]",
                "instancePort: 99999999999",
                "preserveRows: false",
                ""), Env.of(Map.of()));
        String all = joined(p);
        assertTrue(all, all.contains("source: must be a single value, found a list (line 1)"));
        assertTrue(all, all.contains("dbPort: must be a whole number, found 'abc' (line 3)"));
        assertTrue(all, all.contains("snapshotKeep: must be a whole number, found '2.5' (line 4)"));
        assertTrue(all, all.contains("multiAz: must be true or false, found 'maybe' (line 5)"));
        assertTrue(all, all.contains("databases: must be a list (one \"- item\" per line), found a mapping (line 6)"));
        assertTrue(all, all.contains("tags: must be a mapping (name: value, one per line), found a list (line 7)"));
        assertTrue(all, all.contains("offset: must be a whole number such as 1000000000, found a list (line 8)"));
        assertTrue(all, all.contains("stageTimeoutMinutes: 'restore' must be a whole number, found 'soon' (line 9)"));
        assertTrue(all, all.contains("unknown stage 'unpack'"));
        assertTrue(all, all.contains("preserveColumns: item 1 needs a column"));
        assertTrue(all, all.contains("preserveColumns: item 2 must be table.column or a mapping"));
        assertTrue(all, all.contains("preserveColumns: item 3: unknown key 'colour'"));
        assertTrue(all, all.contains("securityGroups: item 1 must be a single value, found a list"));
        assertTrue(all, all.contains("mysqlPasswordFile: must be a path, found a list (line 12)"));
        assertTrue(all, all.contains("instancePort: must be a whole number, found '99999999999' (line 13)"));
        // the engine's validation is reported in the same breath
        assertTrue(all, all.contains("source: is required"));
    }

    @Test
    public void badValuesOfKnownKeysComeFromTheSpecValidationWithTheirLine() throws IOException {
        List<String> p = problems("source: shop-prod\ntarget: shop-acc\npreserveRows: false\nstrategy: sideways\n"
                + "offset: lots\npreserveTables: [orders]\nregion: Europe\n", Env.of(Map.of()));
        String all = joined(p);
        assertTrue(all, all.contains("strategy: unknown strategy 'sideways'; use swap or replace (line 4)"));
        assertTrue(all, all.contains("offset: 'lots' is not a whole number"));
        assertTrue(all, all.contains("preserveTables: preserveTables entry 'orders' is not of the form table:key"));
        assertTrue(all, all.contains("region: 'Europe' is not an AWS region name; use for example eu-west-1 (line 7)"));
    }

    @Test
    public void secretsInTheFileAreRefusedWithoutRepeatingThem() throws IOException {
        List<String> p = problems(String.join("\n",
                "source: shop-prod",
                "target: shop-acc",
                "mysqlUser: admin",
                "password: pw-one-111",
                "mysqlPassword: pw-two-222",
                "secretAccessKey: aws-three-333",
                "aws_session_token: tok-four-444",
                "dbAdminSecret: five-555",
                "awsCredentialsId: jenkins-aws",
                "mysqlPasswordFle: six-666",
                ""), Env.of(Map.of(SpecFile.PASSWORD_ENV, "env-pw")));
        String all = joined(p);
        for (String secret : List.of("pw-one-111", "pw-two-222", "aws-three-333", "tok-four-444", "five-555",
                "six-666")) {
            assertFalse(all, all.contains(secret));
        }
        assertTrue(all, all.contains("password: is not accepted: secrets never go in the configuration file: set the"
                + " environment variable RDS_SYNC_DB_PASSWORD, or point mysqlPasswordFile at a file"));
        assertTrue(all, all.contains("mysqlPassword: is not accepted: secrets never go in the configuration file"));
        assertTrue(all, all.contains("secretAccessKey: is not accepted: AWS credentials never go in the"
                + " configuration file: rds-sync uses the AWS SDK's default chain"));
        assertTrue(all, all.contains("aws_session_token: is not accepted: AWS credentials"));
        assertTrue(all, all.contains("dbAdminSecret: is not accepted: secrets never go in the configuration file"));
        assertTrue(all, all.contains("awsCredentialsId: is not accepted: is a Jenkins setting; on the command line"
                + " AWS credentials come from the AWS SDK's default chain"));
        assertTrue(all, all.contains("mysqlPasswordFle: is not accepted: secrets never go in the configuration file"));
        assertTrue(all, all.contains("; or did you mean 'mysqlPasswordFile'? (line 10)"));
        assertEquals(all, 7, p.size());
    }

    @Test
    public void yamlSyntaxErrorsGiveTheLineButNotTheLineItself() throws IOException {
        Path f = write("broken.yaml", "source: shop-prod\ntarget: shop-acc\nmysqlPasswordFile: \"pw-9876-secret\n"
                + "databases: [shop\n");
        try {
            SpecFile.read(f, Env.of(Map.of()));
            fail();
        } catch (InvalidSpecException e) {
            String m = e.getMessage();
            assertTrue(m, m.contains("not valid YAML at line"));
            assertFalse(m, m.contains("pw-9876-secret"));
        }
    }

    @Test
    public void fileLevelProblems() throws IOException {
        assertFileProblem("", "is empty");
        assertFileProblem("- a\n- b\n", "must be a mapping of keys to values");
        assertFileProblem("just text\n", "must be a mapping of keys to values");
        try {
            SpecFile.read(dir.resolve("nope.yaml"), Env.of(Map.of()));
            fail();
        } catch (InvalidSpecException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("no such file"));
        }
        // SnakeYAML refuses global tags outright: nothing is ever instantiated from the file
        assertFileProblem("source: a\nx: !!python/object:os.system 1\n", "Global tag is not allowed");
        List<String> p = problems("source: a\ntarget: b\npreserveRows: false\nsource: c\nregion: !custom x\n",
                Env.of(Map.of()));
        String all = joined(p);
        assertTrue(all, all.contains("key 'source' appears twice (also on line 1)"));
        assertTrue(all, all.contains("line 5: YAML tags such as !custom are not supported"));
    }

    private void assertFileProblem(String yaml, String expected) throws IOException {
        try {
            SpecFile.read(write("f.yaml", yaml), Env.of(Map.of()));
            fail("expected: " + expected);
        } catch (InvalidSpecException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(expected));
        }
    }

    @Test
    public void passwordFromTheEnvironment() throws IOException {
        SyncSpec s = build("source: a\ntarget: b\nmysqlUser: admin\n",
                Env.of(Map.of(SpecFile.PASSWORD_ENV, "env-pw-1")));
        assertEquals(Secret.of("env-pw-1"), s.mysqlPassword().orElseThrow());
    }

    @Test
    public void passwordFromAFileWithItsLineBreakRemoved() throws IOException {
        Files.writeString(dir.resolve("pw2"), "  spaced pw \r\n");
        SyncSpec s = build("source: a\ntarget: b\nmysqlUser: admin\nmysqlPasswordFile: pw2\n", Env.of(Map.of()));
        assertEquals(Secret.of("  spaced pw "), s.mysqlPassword().orElseThrow());
    }

    @Test
    public void theEnvironmentWinsOverThePasswordFileWithAWarning() throws IOException {
        SpecFile f = SpecFile.read(write("c.yaml", "source: a\ntarget: b\nmysqlUser: admin\n"
                + "mysqlPasswordFile: secrets/db-password\n"), Env.of(Map.of(SpecFile.PASSWORD_ENV, "env-pw-2")));
        assertEquals(Secret.of("env-pw-2"), f.builder().build().mysqlPassword().orElseThrow());
        assertTrue(f.warnings().toString(), f.warnings().get(0).contains("mysqlPasswordFile"));
        assertFalse(f.warnings().toString().contains("env-pw-2"));
    }

    @Test
    public void missingOrEmptyPasswordFileAndMissingPassword() throws IOException {
        Files.writeString(dir.resolve("empty"), "\n");
        String all = joined(problems("source: a\ntarget: b\nmysqlUser: admin\nmysqlPasswordFile: empty\n",
                Env.of(Map.of())));
        assertTrue(all, all.contains("mysqlPasswordFile: '" + dir.resolve("empty") + "' is empty"));
        all = joined(problems("source: a\ntarget: b\nmysqlUser: admin\nmysqlPasswordFile: missing\n",
                Env.of(Map.of())));
        assertTrue(all, all.contains("does not exist; create it (chmod 600) or set RDS_SYNC_DB_PASSWORD"));
        all = joined(problems("source: a\ntarget: b\nmysqlUser: admin\n", Env.of(Map.of())));
        assertTrue(all, all.contains("mysqlUser: the database password for user 'admin' is missing"
                + " (CLI: set RDS_SYNC_DB_PASSWORD or mysqlPasswordFile) (line 3)"));
        all = joined(problems("source: a\ntarget: b\n", Env.of(Map.of())));
        assertTrue("the Jenkins field name is translated: " + all,
                all.contains("mysqlUser: a database login is needed"));
    }

    @Test
    public void passwordFileReadableByOthersIsAWarning() throws IOException {
        Path pw = dir.resolve("open-pw");
        Files.writeString(pw, "pw");
        try {
            Files.setPosixFilePermissions(pw, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            return;
        }
        SpecFile f = SpecFile.read(write("c.yaml", "source: a\ntarget: b\nmysqlUser: u\nmysqlPasswordFile: open-pw\n"),
                Env.of(Map.of()));
        assertNotNull(f.builder().build());
        assertTrue(f.warnings().toString(), f.warnings().toString().contains("chmod 600"));
    }

    @Test
    public void yamlOneOneBooleanWordsStayTextForTextKeys() throws IOException {
        // "off", "no" and "yes" are booleans in YAML 1.1; for a text key rds-sync keeps what was written
        SyncSpec s = build("source: a\ntarget: b\npreserveRows: off\nsnapshotName: yes\n", Env.of(Map.of()));
        assertEquals("yes", s.snapshotName());
        assertFalse(s.preserveRows());
    }

    @Test
    public void describeTranslatesJenkinsFieldNames() {
        assertEquals("AWS credentials: x", SpecFile.describe(new SpecProblem("awsCredentialsId", "x"), Map.of()));
        assertEquals("mysqlUser: y (line 4)", SpecFile.describe(new SpecProblem("mysqlCredentialsId", "y"),
                Map.of("mysqlUser", 4)));
    }

    @Test
    public void theSourceSidesKeysComeFromTheEnvironmentOnly() throws IOException {
        String yaml = "source: shop-prod\ntarget: shop-acc\nregion: eu-west-1\npreserveRows: false\n"
                + "sourceRoleArn: arn:aws:iam::111122223333:role/rds-sync-source\n";
        SyncSpec s = build(yaml, Env.of(Map.of(SpecFile.SOURCE_KEY_ID_ENV, "AKIDPRODUCTION",
                SpecFile.SOURCE_SECRET_ENV, "prod-secret-Xq7", SpecFile.SOURCE_TOKEN_ENV, "prod-token-Xq7")));
        assertEquals("AKIDPRODUCTION", s.sourceAccessKeyId().orElseThrow());
        assertEquals(Secret.of("prod-secret-Xq7"), s.sourceSecretAccessKey().orElseThrow());
        assertEquals(Secret.of("prod-token-Xq7"), s.sourceSessionToken().orElseThrow());
        assertTrue("the target side keeps the SDK chain", s.accessKeyId().isEmpty());

        List<String> halfKeys = problems(yaml, Env.of(Map.of(SpecFile.SOURCE_KEY_ID_ENV, "AKIDPRODUCTION")));
        assertTrue(joined(halfKeys), joined(halfKeys).contains(SpecFile.SOURCE_KEY_ID_ENV + "/"
                + SpecFile.SOURCE_SECRET_ENV + ": an access key id for the source side needs its secret"));
        List<String> inFile = problems(yaml + "sourceAwsCredentialsId: prod\n", Env.of(Map.of()));
        assertTrue(joined(inFile), joined(inFile).contains("sourceAwsCredentialsId: is not accepted: is a Jenkins"
                + " setting; on the command line the source side's keys come from " + SpecFile.SOURCE_KEY_ID_ENV));
    }
}
