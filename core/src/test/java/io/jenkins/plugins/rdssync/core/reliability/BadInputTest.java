package io.jenkins.plugins.rdssync.core.reliability;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.jenkins.plugins.rdssync.core.e2e.EmulatedRds;
import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.run.SyncException;
import io.jenkins.plugins.rdssync.core.spec.InvalidSpecException;
import io.jenkins.plugins.rdssync.core.spec.Secret;
import io.jenkins.plugins.rdssync.core.spec.SpecProblem;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import io.jenkins.plugins.rdssync.core.spec.TlsMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.After;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * Bad input, one case each: refused before the first mutating call (asserted on the emulator's request log), with a
 * message naming the field to fix and how. Cases refused while building the spec never reach AWS at all; the others
 * are refused by Preflight, which only reads.
 */
@RunWith(Parameterized.class)
public class BadInputTest {
    @ClassRule
    public static final EmulatedRds RDS = new EmulatedRds();
    private static final Rig RIG = new Rig(RDS);
    static final String TARGET = "acc-bad";
    static final String PROTECTED = "acc-bad-protected";
    /** A secret key typed into the key id field: refused without being repeated. */
    static final String SECRET_AS_KEY_ID = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final String WRONG_DB_PASSWORD = "Wrong-Db-Pw-5567";
    private static Path files;

    interface Input {
        SyncSpec.Builder spec() throws Exception;
    }

    interface Arm {
        void run() throws Exception;
    }

    /**
     * @param stage null: refused when the spec is built (or, with {@code atStart}, when the engine starts, before
     *        it makes an AWS client); else the stage that refuses
     */
    record Case(String name, Input input, String field, String fix, StageName stage, Arm arm, boolean atStart) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case spec(String name, Input input, String field, String fix) {
        return new Case(name, input, field, fix, null, () -> { }, false);
    }

    /** A spec that builds, refused as the engine starts: what it lacks is looked up on the agent. */
    private static Case atStart(String name, Input input, String field, String fix, Arm arm) {
        return new Case(name, input, field, fix, null, arm, true);
    }

    private static Case preflight(String name, Input input, String field, String fix) {
        return new Case(name, input, field, fix, StageName.PREFLIGHT, () -> { }, false);
    }

    private static Case preflight(String name, Input input, String field, String fix, Arm arm) {
        return new Case(name, input, field, fix, StageName.PREFLIGHT, arm, false);
    }

    /** The SDK's region chain with nothing in it: no aws.region, an empty profile, no instance metadata. */
    private static void noRegionOnTheAgent() throws Exception {
        Assume.assumeTrue("AWS_REGION is set in this environment", System.getenv("AWS_REGION") == null
                && System.getenv("AWS_DEFAULT_REGION") == null);
        Path empty = Files.createTempFile(files, "aws-config", "");
        System.setProperty("aws.configFile", empty.toString());
        System.setProperty("aws.sharedCredentialsFile", empty.toString());
        System.setProperty("aws.disableEc2Metadata", "true");
    }

    private static SyncSpec.Builder ok() throws Exception {
        return RDS.spec(TARGET);
    }

    @Parameters(name = "{0}")
    public static List<Object[]> cases() throws Exception {
        files = Files.createTempDirectory("rds-sync-bad-input-");
        Path latin1 = files.resolve("tweaks-latin1.sql");
        Files.write(latin1, "UPDATE customers SET name = 'Ren\u00e9e' WHERE id = 1;\n"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        Path migrations = Files.createDirectories(files.resolve("migrations"));
        Files.write(migrations.resolve("002_bad.sql"), new byte[] {(byte) 0xC3, 0x28, ';'});
        List<Case> c = new ArrayList<>();
        // identifiers
        c.add(spec("source starting with a digit", () -> ok().source("1production"), "source", "start with a letter"));
        c.add(spec("target with two hyphens", () -> ok().target("acc--bad"), "target", "consecutive hyphens"));
        c.add(spec("target with an underscore", () -> ok().target("acc_bad"), "target", "letters, digits and hyphens"));
        c.add(spec("target ending with a hyphen", () -> ok().target("acc-bad-"), "target", "end with a hyphen"));
        c.add(spec("target longer than 63", () -> ok().target("a".repeat(64)), "target", "63"));
        c.add(spec("target too long for swap", () -> ok().target("a".repeat(55)), "target", "strategy: replace"));
        c.add(spec("missing source", () -> ok().source(" "), "source", "is required"));
        c.add(spec("malformed snapshot name", () -> ok().snapshotName("nightly snap"), "snapshotName",
                "letters, digits"));
        // source and target
        c.add(spec("source equal to target", () -> ok().target("production"), "target", "different instance"));
        c.add(spec("source equal to target, other case", () -> ok().target("Production"), "target",
                "different instance"));
        c.add(spec("target denied by pattern", () -> ok().denyTargets(List.of("acc-b*")), "target", "never"));
        c.add(spec("target not allowed", () -> ok().allowTargets(List.of("qa-*")), "target", "allowTargets"));
        c.add(preflight("protected target", () -> RDS.spec(PROTECTED), "target", "remove the tag"));
        c.add(preflight("unknown source", () -> RDS.spec("no-such-prod", TARGET), "source", "region"));
        // region and credentials
        c.add(spec("malformed region", () -> ok().region("Ireland"), "region", "eu-west-1"));
        c.add(spec("unknown region", () -> ok().region("eu-wets-1").endpointUrl(null), "region", "endpointUrl"));
        c.add(atStart("no region given, none on the agent", () -> ok().region(null), "region",
                "set region to the region of the source instance", BadInputTest::noRegionOnTheAgent));
        c.add(atStart("no region given, a malformed one on the agent", () -> ok().region(null), "region",
                "correct AWS_REGION", () -> System.setProperty("aws.region", "Ireland")));
        c.add(spec("key id without secret key", () -> ok().awsCredentials("AKIAEXAMPLE", null, null),
                "awsCredentialsId", "give both"));
        c.add(spec("secret key without key id", () -> ok().awsCredentials(null, Secret.of("s3cr3t-only"), null),
                "awsCredentialsId", "give both"));
        c.add(spec("session token without keys", () -> ok().awsCredentials(null, null, Secret.of("tok3n-only")),
                "awsCredentialsId", "session token"));
        c.add(spec("secret key typed as key id", () -> ok().awsCredentials(SECRET_AS_KEY_ID,
                Secret.of("x-secret"), null), "awsCredentialsId", "secret access key"));
        c.add(preflight("AWS refuses the key", () -> ok(), "awsCredentialsId", "access key",
                () -> RDS.rds.faults().failNext("DescribeDBInstances", 1, 403, "InvalidClientTokenId",
                        "The security token included in the request is invalid.")));
        c.add(preflight("AWS session expired", () -> ok(), "awsCredentialsId", "session token",
                () -> RDS.rds.faults().failNext("DescribeDBInstances", 1, 400, "ExpiredToken",
                        "The security token included in the request is expired")));
        c.add(spec("database user without password", () -> ok().mysqlPassword(null), "mysqlCredentialsId",
                "RDS_SYNC_DB_PASSWORD"));
        c.add(spec("preserving rows without a database user", () -> ok().mysqlUser(null).mysqlPassword(null),
                "mysqlCredentialsId", "master user"));
        c.add(preflight("wrong database password", () -> ok().mysqlPassword(Secret.of(WRONG_DB_PASSWORD)),
                "mysqlCredentialsId", "check the username and password"));
        // verified by default, against the emulator's servers, which offer no TLS: refused before any change
        c.add(preflight("TLS verified by default, server without TLS", () -> ok().dbTls((TlsMode) null),
                "dbTls", "set dbTls to disabled only where the connection is encrypted otherwise"));
        // offset
        c.add(spec("offset zero", () -> ok().offset(0), "offset", "positive"));
        c.add(spec("offset negative", () -> ok().offset(-5), "offset", "positive"));
        c.add(spec("offset beyond BIGINT", () -> ok().offset("9223372036854775808"), "offset", "BIGINT"));
        c.add(spec("offset not a number", () -> ok().offset("1e9"), "offset", "whole number"));
        c.add(preflight("offset beyond an INT key", () -> ok().offset(3_000_000_000L), "offset", "2147483647"));
        // preserved tables
        c.add(preflight("listed table does not exist", () -> ok().preserveTablesText(List.of("invoices:id")),
                "preserveTables", "check the name"));
        c.add(preflight("listed key column does not exist", () -> ok().preserveTablesText(List.of("customers:uid")),
                "preserveTables", "its columns are"));
        c.add(preflight("listed key is not an integer", () -> ok().preserveTablesText(List.of("customers:email")),
                "preserveTables", "integer"));
        c.add(spec("malformed table entry", () -> ok().preserveTablesText(List.of("customers")), "preserveTables",
                "table:key"));
        c.add(preflight("preserved column does not exist", () -> ok().preserveColumnsText(List.of(
                "customers.shoe_size")), "preserveColumns", "its columns are"));
        c.add(preflight("database does not exist", () -> ok().databases(List.of("shopp")), "databases", "it has [shop]"));
        // SQL files
        c.add(spec("missing SQL file", () -> ok().postSql(List.of(files.resolve("nope.sql"))), "postSql",
                "existing .sql file"));
        c.add(preflight("SQL file that is not UTF-8", () -> ok().postSql(List.of(latin1)), "postSql", "UTF-8"));
        c.add(spec("migrations folder missing", () -> ok().migrations(files.resolve("no-migrations")),
                "migrations", "folder"));
        c.add(preflight("migration file that is not UTF-8", () -> ok().migrations(migrations), "migrations",
                "UTF-8"));
        // restore settings
        c.add(preflight("unknown subnet group", () -> ok().subnetGroup("no-such-subnets"), "subnetGroup",
                "check the name"));
        c.add(spec("malformed security group", () -> ok().securityGroups(List.of("web")), "securityGroups",
                "sg-"));
        c.add(preflight("unknown snapshot", () -> ok().snapshotMode("existing").snapshotName("no-such-snap"),
                "snapshotName", "snapshotMode rolling"));
        List<Object[]> out = new ArrayList<>();
        for (Case k : c) {
            out.add(new Object[] {k.name(), k});
        }
        return out;
    }

    private final Case c;

    public BadInputTest(String name, Case c) {
        this.c = c;
    }

    @BeforeClass
    public static void acceptance() throws Exception {
        RIG.acceptance(TARGET);
        RIG.acceptance(PROTECTED);
        try (var client = RDS.client()) {
            client.addTagsToResource(r -> r.resourceName(RDS.rds.instanceArn(PROTECTED))
                    .tags(t -> t.key("rds-sync:protected").value("yes")));
        }
    }

    @After
    public void noFaultLeft() {
        RDS.rds.faults().reset();
        for (String p : List.of("aws.region", "aws.configFile", "aws.sharedCredentialsFile", "aws.disableEc2Metadata")) {
            System.clearProperty(p);
        }
    }

    @Test
    public void refusedBeforeAnyChangeNamingTheFieldAndTheFix() throws Exception {
        RDS.rds.requests().clear();
        String message;
        if (c.atStart()) {
            SyncSpec spec = c.input().spec().build();
            c.arm().run();
            try {
                RDS.sync(spec);
                fail(c.name() + ": the run should be refused");
                return;
            } catch (InvalidSpecException e) {
                assertEquals(List.of(c.field()), e.problems().stream().map(SpecProblem::field).toList());
                message = e.problems().get(0).toString();
                assertEquals("nothing reached AWS", List.of(), RDS.rds.requests().all());
            }
        } else if (c.stage() == null) {
            try {
                c.input().spec().build();
                fail(c.name() + ": the spec should be refused");
                return;
            } catch (InvalidSpecException e) {
                SpecProblem p = e.problems().stream().filter(x -> x.field().equals(c.field())).findFirst()
                        .orElseThrow(() -> new AssertionError(c.field() + " expected in " + e.problems()));
                message = p.toString();
                assertEquals("nothing reached AWS", List.of(), RDS.rds.requests().all());
            }
        } else {
            SyncSpec spec = c.input().spec().build();
            c.arm().run();
            try {
                RDS.sync(spec);
                fail(c.name() + ": the run should be refused");
                return;
            } catch (SyncException e) {
                assertEquals(e.getMessage(), c.stage(), e.stage());
                message = e.getMessage();
                assertNotNull(e.hint());
                assertTrue(e.hint(), e.hint().startsWith("Nothing was changed"));
                if (c.field() != null) {
                    assertTrue(message, message.contains(c.field() + ":"));
                }
            }
            assertEquals("refused before the first mutating call", List.of(), RIG.mutating());
        }
        System.out.println("CASE " + c.name() + "\n  " + (c.atStart() ? "refused as the engine starts: " : c.stage() == null ? "refused by the spec: " : "refused by "
                + c.stage() + ": ") + message);
        assertEquals("acceptance is untouched", "available", RDS.rds.instanceStatus(TARGET));
        assertTrue(c.field() + " named in: " + message, c.field() == null || message.contains(c.field()));
        assertTrue("the fix ('" + c.fix() + "') in: " + message, message.contains(c.fix()));
        for (String secret : List.of(SECRET_AS_KEY_ID, WRONG_DB_PASSWORD, EmulatedRds.ACC_PASSWORD,
                EmulatedRds.AWS_SECRET, "s3cr3t-only", "tok3n-only")) {
            assertFalse("no secret in the message", message.contains(secret));
        }
    }
}
