package io.jenkins.plugins.rdssync.core.run;

import io.jenkins.plugins.rdssync.testkit.MutableClock;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.rdssync.core.spec.Secret;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class TextListenerTest {
    private final MutableClock clock = new MutableClock();
    private final StringWriter sw = new StringWriter();

    private TextListener listener(SyncSpec spec, String resume) {
        return new TextListener(new PrintWriter(sw), clock, spec, resume);
    }

    private List<String> lines() {
        return Arrays.asList(sw.toString().split("\\R"));
    }

    private static SyncSpec spec() {
        return SyncSpec.builder().source("shop-prod").target("shop-acc").mysqlUser("admin")
                .mysqlPassword(Secret.of("never-shown-1")).preserveTablesText(List.of("orders:id"))
                .databases(List.of("shop")).build();
    }

    @Test
    public void everyLineHasTheTimeAndAStagePrefix() {
        TextListener l = listener(spec(), null);
        l.runStarted(List.of(StageName.PREFLIGHT, StageName.SNAPSHOT, StageName.BACKUP), false);
        l.stageStarted(StageName.BACKUP, 3, 3);
        l.log(StageName.BACKUP, "12,400 rows from shop.orders\nand a second line");
        l.warn(StageName.BACKUP, "table shop.audit has no primary key; skipped");
        for (String line : lines()) {
            assertTrue(line, line.matches("\\d\\d:\\d\\d:\\d\\d \\[(rds-sync|\\d+/\\d+ [A-Za-z -]+)\\] .*"));
        }
        String out = sw.toString();
        assertTrue(out, out.contains("14:02:11 [rds-sync] Sync shop-prod -> shop-acc (swap strategy, rolling"
                + " snapshot shop-prod-shop-acc-rds-sync)"));
        assertTrue(out, out.contains("rows with key >= 1,000,000,000 in orders:id (shop)"));
        assertTrue(out, out.contains("14:02:11 [rds-sync] 3 stages: Preflight, Snapshot, Backup"));
        assertTrue(out, out.contains("14:02:11 [3/3 Backup] ===== Stage 3 of 3: Backup ====="));
        assertTrue(out, out.contains("14:02:11 [3/3 Backup] 12,400 rows from shop.orders\n"));
        assertTrue(out, out.contains("14:02:11 [3/3 Backup] and a second line\n"));
        assertTrue(out, out.contains("14:02:11 [3/3 Backup] WARNING: table shop.audit has no primary key; skipped"));
        assertFalse(out, out.contains("never-shown-1"));
    }

    @Test
    public void progressIsThrottled() {
        TextListener l = listener(null, null);
        l.runStarted(List.of(StageName.SNAPSHOT), false);
        l.stageStarted(StageName.SNAPSHOT, 1, 1);
        for (int p = 0; p <= 100; p++) {
            l.progress(StageName.SNAPSHOT, "creating snapshot", p);
            clock.advanceMillis(200); // 20 s in all
        }
        long progressLines = lines().stream().filter(s -> s.contains("% creating snapshot")).count();
        assertTrue("one per 10 % step at most, not one per percent: " + sw, progressLines <= 11);
        assertTrue(sw.toString(), sw.toString().contains("[1/1 Snapshot]   0% creating snapshot"));
        assertTrue(sw.toString(), sw.toString().contains("[1/1 Snapshot]  50% creating snapshot"));
        assertTrue(sw.toString(), sw.toString().contains("[1/1 Snapshot] 100% creating snapshot"));

        // a stuck percentage still shows a heartbeat
        sw.getBuffer().setLength(0);
        l.stageStarted(StageName.SNAPSHOT, 1, 1);
        for (int i = 0; i < 100; i++) {
            l.progress(StageName.SNAPSHOT, "waiting", 40);
            clock.advanceMillis(1_000);
        }
        long stuck = lines().stream().filter(s -> s.contains("40% waiting")).count();
        assertTrue(sw.toString(), stuck >= 3 && stuck <= 5);

        // unknown totals: a line every few seconds
        sw.getBuffer().setLength(0);
        for (int i = 0; i < 100; i++) {
            l.progress(StageName.SNAPSHOT, (i * 100) + " rows", -1);
            clock.advanceMillis(100);
        }
        long unknown = lines().stream().filter(s -> s.contains(" rows")).count();
        assertTrue(sw.toString(), unknown >= 1 && unknown <= 3);
        assertTrue(sw.toString(), sw.toString().contains("[1/1 Snapshot] ...  0 rows"));
    }

    @Test
    public void stageEndAndSummaryTable() {
        TextListener l = listener(spec(), null);
        l.runStarted(List.of(StageName.PREFLIGHT, StageName.RESTORE), false);
        l.stageStarted(StageName.PREFLIGHT, 1, 2);
        StageOutcome a = new StageOutcome(StageName.PREFLIGHT, StageStatus.DONE, 0.8, "all checks passed");
        l.stageFinished(a);
        l.stageStarted(StageName.RESTORE, 2, 2);
        clock.advanceMillis(125_000);
        StageOutcome b = new StageOutcome(StageName.RESTORE, StageStatus.ALREADY_DONE, 125.0, null);
        l.stageFinished(b);
        l.runFinished(new SyncResult("acc.local", 3306, "shop-acc", "snap-1", Map.of("shop.orders", 1234L),
                List.of(a, b), 0.0, false));
        String out = sw.toString();
        assertTrue(out, out.contains("[1/2 Preflight] ----- done in 0.8 s: all checks passed"));
        assertTrue(out, out.contains("[2/2 Restore] ----- already done (journal), 2m 05s"));
        assertTrue(out, out.contains("[rds-sync] Sync complete in 2m 05s."));
        assertTrue(out, out.contains("[rds-sync]   #   Stage              Status          Seconds"));
        assertTrue(out, out.contains("[rds-sync]   1   Preflight          done                0.8"));
        assertTrue(out, out.contains("[rds-sync]   2   Restore            already done      125.0"));
        assertTrue(out, out.contains("[rds-sync]       Total                                125.8"));
        assertTrue(out, out.contains("Endpoint        acc.local:3306"));
        assertTrue(out, out.contains("Snapshot        snap-1"));
        assertTrue(out, out.contains("Preserved rows  1,234 in 1 table(s): shop.orders 1,234"));
        assertTrue(out, out.contains("Downtime        0.0 s"));
        // a second report of the same end is ignored
        int len = out.length();
        l.runFinished(new SyncResult("x", 1, "x", "x", Map.of(), List.of(), 0, false));
        assertEquals(len, sw.toString().length());
    }

    @Test
    public void failureBeforeAnyStageSaysNothingChanged() {
        TextListener l = listener(spec(), "rds-sync run -c x.yaml --resume");
        l.runFailed(new SyncException(null, "source shop-prod not found", "check source and region"));
        String out = sw.toString();
        assertTrue(out, out.contains("[rds-sync] ERROR: source shop-prod not found"));
        assertTrue(out, out.contains("FAILED before the first stage"));
        assertTrue(out, out.contains("Hint:   check source and region"));
        assertTrue(out, out.contains("Nothing was changed"));
        assertFalse(out, out.contains("Resume:"));
    }

    @Test
    public void durations() {
        assertEquals("0.0 s", TextListener.duration(0));
        assertEquals("59.9 s", TextListener.duration(59.94));
        assertEquals("1m 00s", TextListener.duration(60));
        assertEquals("1h 01m", TextListener.duration(3661));
    }
}
