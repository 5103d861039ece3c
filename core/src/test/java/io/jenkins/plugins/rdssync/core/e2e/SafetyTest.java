package io.jenkins.plugins.rdssync.core.e2e;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.run.StageStatus;
import io.jenkins.plugins.rdssync.core.run.SyncException;
import io.jenkins.plugins.rdssync.core.run.SyncResult;
import io.jenkins.plugins.rdssync.core.spec.Secret;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import io.jenkins.plugins.rdssync.testkit.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * What protects acceptance and production: a dry run changes nothing, bad input is refused before any change, a
 * failure before the switch leaves acceptance as it was, and colliding keys are refused.
 */
public class SafetyTest {
    @ClassRule
    public static final EmulatedRds RDS = new EmulatedRds();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final String TARGET = "acc-safe";
    private static long testerCustomer;

    @BeforeClass
    public static void acceptanceWithATesterRow() throws Exception {
        RDS.sync(RDS.spec(TARGET).build());
        testerCustomer = RDS.execute(TARGET, "INSERT INTO customers (name, email) VALUES ('Sam', 's@qa')");
    }

    private static List<RecordedRequest> mutatingSince(Runnable action) {
        RDS.rds.requests().clear();
        action.run();
        return RDS.rds.requests().mutating();
    }

    private static SyncException failing(SyncSpec spec) {
        return assertThrows(SyncException.class, () -> RDS.sync(spec));
    }

    private static void assertAcceptanceUntouched() throws Exception {
        assertEquals("available", RDS.rds.instanceStatus(TARGET));
        assertEquals("Sam", RDS.queryString(TARGET, "SELECT name FROM customers WHERE id = " + testerCustomer));
    }

    @Test
    public void planDescribesEveryStageAndChangesNothing() throws Exception {
        RecordingListener log = new RecordingListener();
        SyncSpec spec = RDS.spec(TARGET).dryRun(true).build();
        List<RecordedRequest> mutating = mutatingSince(() -> {
            try {
                SyncResult r = RDS.sync(spec, log);
                assertTrue(r.dryRun());
                assertTrue(r.stages().stream().skip(1).allMatch(s -> s.status() == StageStatus.PLANNED
                        || s.status() == StageStatus.SKIPPED));
            } catch (SyncException e) {
                throw new AssertionError(e);
            }
        });
        assertEquals("a dry run makes no mutating call", List.of(), mutating);
        String text = log.text();
        assertTrue(text, text.contains("Would call CreateDBSnapshot production-rds-sync"));
        assertTrue(text, text.contains("Would call RestoreDBInstanceFromDBSnapshot acc-safe-rds-sync-new"));
        assertTrue(text, text.contains("NewDBInstanceIdentifier=acc-safe-rds-sync-old"));
        assertTrue(text, text.contains("Would call DeleteDBInstance acc-safe-rds-sync-old"));
        assertTrue(text, !text.contains(EmulatedRds.ACC_PASSWORD));
        assertTrue("no journal in a dry run", Files.notExists(spec.workDir().resolve("journal.properties")));
        // Backup would preserve the tester's rows, so Reload is planned, not "skipped: nothing was preserved"
        assertEquals(StageStatus.PLANNED, log.outcomes.stream().filter(o -> o.stage() == StageName.BACKUP)
                .findFirst().orElseThrow().status());
        assertEquals(StageStatus.PLANNED, log.outcomes.stream().filter(o -> o.stage() == StageName.RELOAD)
                .findFirst().orElseThrow().status());
        assertTrue(text, !text.contains("nothing was preserved"));
        assertTrue("a planned stage's summary does not repeat its status: " + log.outcomes,
                log.outcomes.stream().noneMatch(o -> "planned".equals(o.summary())));
    }

    @Test
    public void badInputIsRefusedBeforeAnyMutatingCall() throws Exception {
        Map<SyncSpec.Builder, String> cases = Map.of(
                RDS.spec(TARGET).subnetGroup("no-such-group"), "subnetGroup",
                RDS.spec(TARGET).parameterGroup("no-such-params"), "parameterGroup",
                RDS.spec("missing-source", TARGET), "source",
                RDS.spec(TARGET).mysqlPassword(Secret.of("wrong-password-123")), "mysqlCredentialsId",
                RDS.spec(TARGET).preserveTablesText(List.of("no_such_table:id")), "preserveTables",
                RDS.spec(TARGET).preserveTablesText(List.of("customers:name")), "preserveTables",
                RDS.spec(TARGET).databases(List.of("nosuchdb")), "databases",
                RDS.spec(TARGET).snapshotMode("existing").snapshotName("no-such-snapshot"), "snapshotName");
        for (Map.Entry<SyncSpec.Builder, String> c : cases.entrySet()) {
            SyncSpec spec = c.getKey().build();
            List<RecordedRequest> mutating = mutatingSince(() -> {
                SyncException e = failing(spec);
                assertEquals(e.getMessage(), StageName.PREFLIGHT, e.stage());
                assertTrue(c.getValue() + " expected in: " + e.getMessage(), e.getMessage().contains(c.getValue()));
                assertTrue(e.hint(), e.hint().startsWith("Nothing was changed"));
                assertTrue(!e.getMessage().contains("wrong-password-123"));
            });
            assertEquals("no mutating call for " + c.getValue(), List.of(), mutating);
        }
        assertAcceptanceUntouched();
    }

    @Test
    public void aProtectedTargetIsNeverReplaced() throws Exception {
        RDS.sync(RDS.spec("acc-protected").preserveRows(false).build());
        try (var client = RDS.client()) {
            client.addTagsToResource(r -> r.resourceName(RDS.rds.instanceArn("acc-protected"))
                    .tags(t -> t.key("rds-sync:protected").value("true")));
        }
        SyncSpec spec = RDS.spec("acc-protected").preserveRows(false).build();
        List<RecordedRequest> mutating = mutatingSince(() -> {
            SyncException e = failing(spec);
            assertTrue(e.getMessage(), e.getMessage().contains("rds-sync:protected"));
        });
        assertEquals(List.of(), mutating);
    }

    @Test
    public void aPostSqlErrorNamesFileAndLineAndLeavesAcceptanceServing() throws Exception {
        Path sql = tmp.newFile("post-migration-tweaks.sql").toPath();
        Files.writeString(sql, "-- tweaks\nTRUNCATE TABLE order_items;\nUPDATE customerz SET name = 'x';\n");
        SyncException e = failing(RDS.spec(TARGET).postSql(List.of(sql)).build());
        assertEquals(StageName.POST_SQL, e.stage());
        assertTrue(e.getMessage(), e.getMessage().contains("post-migration-tweaks.sql line 3"));
        assertTrue(e.getMessage(), e.getMessage().contains("customerz"));
        assertTrue(e.hint(), e.hint().contains("The acceptance target was not changed"));
        assertTrue(e.hint(), e.hint().contains("resume"));
        assertAcceptanceUntouched();
        assertNotNull("the half-prepared new instance is kept for the resume",
                RDS.rds.instanceStatus(TARGET + "-rds-sync-new"));

        // fix the file and resume: the run continues from Post-restore SQL and completes
        Files.writeString(sql, "-- tweaks\nTRUNCATE TABLE order_items;\nUPDATE customers SET name = 'x' WHERE id = 1;\n");
        SyncSpec resumed = RDS.spec(TARGET).postSql(List.of(sql)).build().toBuilder().resume(true)
                .workDir(e.stage() == null ? null : lastWorkDir(e)).build();
        SyncResult r = RDS.sync(resumed);
        assertEquals(StageStatus.ALREADY_DONE, SwapStrategyTest.stage(r, StageName.RESTORE));
        assertEquals(StageStatus.DONE, SwapStrategyTest.stage(r, StageName.POST_SQL));
        assertEquals("Sam", RDS.queryString(TARGET, "SELECT name FROM customers WHERE id = " + testerCustomer));
        assertEquals("x", RDS.queryString(TARGET, "SELECT name FROM customers WHERE id = 1"));
        assertEquals(0, RDS.queryLong(TARGET, "SELECT COUNT(*) FROM order_items WHERE id < 1000000000"));
    }

    /** The work folder named in the hint ("The preserved rows are safe in DIR/preserved-rows.zip"). */
    private static Path lastWorkDir(SyncException e) {
        String hint = e.hint();
        String file = hint.substring(hint.indexOf("safe in ") + 8, hint.lastIndexOf('.'));
        return Path.of(file).getParent();
    }

    @Test
    public void productionKeysReachingTheOffsetAreRefusedNamingTheTable() throws Exception {
        RDS.rds.createAvailableInstance("prod-collide", "admin", EmulatedRds.PROD_PASSWORD,
                EmulatedRds.seed("production.sql"));
        try (Connection c = RDS.shop("prod-collide"); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO customers (id, name, email) VALUES (1000000005, 'too big', 'x@y')");
        }
        SyncException e = failing(RDS.spec("prod-collide", TARGET).snapshotName("prod-collide-rds-sync").build());
        assertEquals(StageName.OFFSET, e.stage());
        assertTrue(e.getMessage(), e.getMessage().contains("customers"));
        assertTrue(e.getMessage(), e.getMessage().contains("1000000005"));
        assertAcceptanceUntouched();
    }
}
