package io.jenkins.plugins.rdssync.core.spec;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** Bad input is refused before anything runs, with a message naming the field and the fix. */
public class SyncSpecValidationTest {

    private static SyncSpec.Builder valid() {
        return SyncSpec.builder().source("production").target("acceptance").mysqlUser("admin")
                .mysqlPassword(Secret.of("pw"));
    }

    private static SpecProblem only(SyncSpec.Builder b) {
        InvalidSpecException e = assertThrows(InvalidSpecException.class, b::build);
        assertEquals(e.getMessage(), 1, e.problems().size());
        return e.problems().get(0);
    }

    private static void assertProblem(SyncSpec.Builder b, String field, String messagePart) {
        SpecProblem p = only(b);
        assertEquals(field, p.field());
        assertTrue(p.message(), p.message().contains(messagePart));
    }

    @Test
    public void defaultsAreThoseOfThePublicInterface() {
        SyncSpec s = valid().build();
        assertEquals(1_000_000_000L, s.offset());
        assertEquals(Strategy.SWAP, s.strategy());
        assertEquals(SnapshotMode.ROLLING, s.snapshotMode());
        assertEquals("names source and target: two targets of one source never share it",
                "production-acceptance-rds-sync", s.snapshotName());
        assertEquals(180, s.timeoutMinutes());
        assertEquals(TlsMode.VERIFY_CA, s.dbTls());
        assertFalse(s.dryRun());
        assertFalse(s.resume());
    }

    @Test
    public void sourceAndTargetAreRequired() {
        InvalidSpecException e = assertThrows(InvalidSpecException.class,
                () -> SyncSpec.builder().preserveRows(false).build());
        assertEquals(List.of("source", "target"), e.problems().stream().map(SpecProblem::field).toList());
    }

    @Test
    public void sourceEqualToTargetIsRefused() {
        assertProblem(valid().target("Production"), "target", "same instance as source");
    }

    @Test
    public void malformedIdentifiersAreRefusedWithTheRdsRule() {
        assertProblem(valid().target("1acc"), "target", "must start with a letter");
        assertProblem(valid().target("acc--one"), "target", "two consecutive hyphens");
        assertProblem(valid().target("acc_one"), "target", "only letters, digits and hyphens");
        assertProblem(valid().source("a".repeat(64)), "source", "longer than 63");
    }

    @Test
    public void swapNeedsRoomForTheTemporarySuffix() {
        String longTarget = "a" + "b".repeat(55);
        assertProblem(valid().target(longTarget), "target", "strategy: replace");
        valid().target(longTarget).strategy(Strategy.REPLACE).build();
    }

    @Test
    public void offsetMustBeAPositiveBigint() {
        assertProblem(valid().offset(0), "offset", "positive");
        assertProblem(valid().offset(-5), "offset", "positive");
        assertProblem(valid().offset("9223372036854775808"), "offset", "largest BIGINT");
        assertProblem(valid().offset("lots"), "offset", "whole number");
        assertEquals(5_000_000L, valid().offset("5_000_000").build().offset());
    }

    @Test
    public void unknownRegionAndEndpointAreRefused() {
        assertProblem(valid().region("europe"), "region", "eu-west-1");
        assertProblem(valid().endpointUrl("ftp://x"), "endpointUrl", "http(s)");
    }

    @Test
    public void databaseLoginIsRequiredWhenRowsArePreserved() {
        assertProblem(SyncSpec.builder().source("p").target("a"), "mysqlCredentialsId", "database login");
        SyncSpec.builder().source("p").target("a").preserveRows(false).build();
        assertProblem(SyncSpec.builder().source("p").target("a").mysqlUser("admin"), "mysqlCredentialsId",
                "password");
    }

    @Test
    public void missingFilesAreRefused() {
        assertProblem(valid().postSql(List.of(Path.of("no/such/file.sql"))), "postSql", "does not exist");
        assertProblem(valid().migrations(Path.of("no/such/dir")), "migrations", "does not exist");
    }

    @Test
    public void malformedListEntriesAreRefused() {
        assertProblem(valid().preserveTablesText(List.of("orders")), "preserveTables", "table:key");
        assertProblem(valid().preserveColumnsText(List.of("password")), "preserveColumns", "table.column");
        assertEquals(new TableKey("shop", "orders", "id"),
                valid().preserveTablesText(List.of("shop.orders:id")).build().preserveTables().get(0));
    }

    @Test
    public void restoreSettingsFollowRdsRules() {
        assertProblem(valid().instanceClass("t3.medium"), "instanceClass", "db.t3.medium");
        assertProblem(valid().securityGroups(List.of("default")), "securityGroups", "sg-");
        assertProblem(valid().backupRetention(40), "backupRetention", "0–35");
        assertProblem(valid().tags(Map.of("aws:owner", "x")), "tags", "aws:");
    }

    @Test
    public void allowAndDenyPatternsGuardTheTarget() {
        assertProblem(valid().allowTargets(List.of("acc-*")), "target", "allowTargets");
        assertProblem(valid().denyTargets(List.of("*prod*", "accept*")), "target", "denyTargets");
        valid().target("acc-eu").allowTargets(List.of("acc-*")).build();
    }

    @Test
    public void tunnelsNeedTheReplaceStrategy() {
        assertProblem(valid().dbHost("127.0.0.1"), "dbHost", "strategy: replace");
        valid().dbHost("127.0.0.1").dbPort(3307).strategy(Strategy.REPLACE).build();
    }

    @Test
    public void everyProblemIsReportedAtOnce() {
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> SyncSpec.builder()
                .source("prod").target("prod").offset(0).region("x").strategy("sideways").build());
        List<String> fields = e.problems().stream().map(SpecProblem::field).toList();
        assertTrue(fields.toString(), fields.containsAll(List.of("strategy", "target", "offset", "region")));
    }

    @Test
    public void secretsNeverPrint() {
        SyncSpec s = valid().mysqlPassword(Secret.of("hunter2-unique")).awsCredentials("AKIAX",
                Secret.of("secret-key-unique"), Secret.of("token-unique")).build();
        String text = s.toString() + s.mysqlPassword().get() + s.secretAccessKey().get() + s.sessionToken().get();
        assertFalse(text.contains("hunter2-unique"));
        assertFalse(text.contains("secret-key-unique"));
        assertFalse(text.contains("token-unique"));
    }
}
