package io.jenkins.plugins.rdssync.core.e2e;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.rdssync.core.run.SyncResult;
import io.jenkins.plugins.rdssync.core.spec.ColumnKeep;
import io.jenkins.plugins.rdssync.core.spec.Strategy;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;

/**
 * The first promise: no write a tester's session got acknowledged is ever lost. A tester writes through the
 * target's name during a whole sync (new rows and a preserved column), retrying refused connections; afterwards
 * every acknowledged write is on the new target, by count and content. The emulator renames as RDS does: the old
 * instance serves at its endpoint while renaming, and a stale DNS record can keep leading to it after the switch.
 */
public class NoTesterWriteLostTest {
    @ClassRule
    public static final EmulatedRds RDS = new EmulatedRds();
    private static final long COLUMN_ROW = 2;

    @BeforeClass
    public static void testerAccountInProduction() throws Exception {
        try (Connection c = RDS.rds.connectAsMaster("production")) {
            Tester.createAccount(c);
        }
    }

    private static SyncSpec.Builder spec(String target) throws Exception {
        return RDS.spec(target).preserveColumns(List.of(new ColumnKeep(null, "customers", "password_hash", null,
                "id = " + COLUMN_ROW)));
    }

    /** Runs the sync with a tester at work from start to end, then checks every acknowledged write. */
    private static SyncResult syncWithTester(SyncSpec spec, RecordingListener log) throws Exception {
        String target = spec.target();
        Tester tester = new Tester(RDS.rds.nameEndpoint(target), target, COLUMN_ROW).start();
        SyncResult result;
        try {
            result = RDS.sync(spec, log);
        } finally {
            tester.stop();
        }
        assertTrue("the tester's thread failed: " + tester.unexpected, tester.unexpected.isEmpty());
        assertTrue("the tester worked during the sync: " + tester.acknowledged, tester.acknowledged.get() > 20);
        Map<String, String> onTarget = new HashMap<>();
        int productionKeys = 0;
        try (Connection c = RDS.shop(target); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT name, email, id FROM customers WHERE name LIKE '"
                        + target + "-%'")) {
            while (rs.next()) {
                onTarget.put(rs.getString(1), rs.getString(2));
                productionKeys += rs.getLong(3) < spec.offset() ? 1 : 0;
            }
        }
        if (spec.strategy() == Strategy.SWAP) {
            // the new instance is out of testers' reach until it has the offset and their rows
            assertEquals("testers' rows with a key below the offset", 0, productionKeys);
        }
        int lost = 0;
        for (Map.Entry<String, String> w : tester.acknowledgedRows.entrySet()) {
            if (!w.getValue().equals(onTarget.get(w.getKey()))) {
                lost++;
            }
        }
        System.out.printf("%s: %d writes acknowledged, %d refused; %d acknowledged rows, %d lost, %d with a key"
                + " below the offset; %s%n", target,
                tester.acknowledged.get(), tester.refused.get(), tester.acknowledgedRows.size(), lost, productionKeys,
                log.lines.stream().filter(l -> l.contains("answers again")).findFirst().orElse(""));
        assertEquals("acknowledged rows lost of " + tester.acknowledgedRows.size(), 0, lost);
        assertEquals("the preserved column holds the last acknowledged value", tester.lastAcknowledgedValue.get(),
                RDS.queryString(target, "SELECT password_hash FROM customers WHERE id = " + COLUMN_ROW));
        return result;
    }

    @Test
    public void swapLosesNoAcknowledgedWrite() throws Exception {
        RDS.sync(spec("acc-nolost").build());
        RecordingListener log = new RecordingListener();
        SyncResult result = syncWithTester(spec("acc-nolost").build(), log);
        assertTrue(result.downtimeSeconds() > 0);
        assertTrue("the fence is logged: " + log.lines, log.lines.stream().anyMatch(
                l -> l.contains("Testers' writes stopped on acc-nolost") && l.contains("'tess'@'%'")));
    }

    @Test
    public void swapLosesNoAcknowledgedWriteWhileTheFirstRenameIsHeldInRenaming() throws Exception {
        String target = "acc-nolost-held";
        RDS.sync(spec(target).build());
        RecordingListener log = new RecordingListener();
        // the old target renames slowly: it keeps serving at its endpoint all the while, as RDS does
        log.when("Renaming " + target + " to " + target + "-rds-sync-old", () -> {
            RDS.rds.faults().hold(target, "renaming");
            Thread release = new Thread(() -> {
                try {
                    Thread.sleep(1500);
                } catch (InterruptedException e) {
                    return;
                }
                RDS.rds.faults().release(target);
            });
            release.setDaemon(true);
            release.start();
        });
        syncWithTester(spec(target).build(), log);
    }

    @Test
    public void swapLosesNoWriteAndDoesNotReportSuccessThroughAStaleDnsRecord() throws Exception {
        String target = "acc-nolost-stale";
        RDS.sync(spec(target).build());
        RecordingListener log = new RecordingListener();
        // after the switch the target's name keeps leading to the old instance for 100 RDS minutes (2 s)
        RDS.rds.faults().staleDnsCache(100);
        try {
            syncWithTester(spec(target).build(), log);
        } finally {
            RDS.rds.faults().staleDnsCache(0);
        }
        assertTrue("the engine saw the stale record and waited for the new instance: " + log.lines,
                log.lines.stream().anyMatch(l -> l.contains("still leads to the old instance")));
    }

    @Test
    public void replaceLosesNoAcknowledgedWrite() throws Exception {
        String target = "acc-nolost-replace";
        RDS.sync(spec(target).strategy(Strategy.REPLACE).build());
        RecordingListener log = new RecordingListener();
        syncWithTester(spec(target).strategy(Strategy.REPLACE).build(), log);
        assertTrue("the fence comes before the delete: " + log.lines, log.lines.indexOf(log.lines.stream()
                .filter(l -> l.contains("Testers' writes stopped")).findFirst().orElseThrow()) < log.lines.indexOf(
                        log.lines.stream().filter(l -> l.contains("with a final snapshot")).findFirst()
                                .orElseThrow()));
    }
}
