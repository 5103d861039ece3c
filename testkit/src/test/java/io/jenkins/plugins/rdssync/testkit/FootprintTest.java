package io.jenkins.plugins.rdssync.testkit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

import software.amazon.awssdk.services.rds.RdsClient;

/** Start-up cost and memory of one emulated DB instance; no server outlives close(). Prints its figures. */
public class FootprintTest {

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    @Test
    public void startupCostMemoryAndCleanup() throws Exception {
        List<Long> pids = new ArrayList<>();
        long t0 = System.nanoTime();
        try (RdsEmulator rds = RdsEmulator.builder().rdsMinute(Duration.ofMillis(1)).start();
             RdsClient client = Sdk.client(rds)) {
            rds.createAvailableInstance("first", "admin", "firstPw12", null);
            long first = ms(t0);
            long t1 = System.nanoTime();
            rds.createAvailableInstance("empty", "admin", "emptyPw12", null);
            long empty = ms(t1);
            long t2 = System.nanoTime();
            rds.createAvailableInstance("seeded", "admin", "seededPw1", Jdbc.seed());
            long seeded = ms(t2);
            long t3 = System.nanoTime();
            String snap = rds.takeAutomatedSnapshot("seeded");
            long snapshot = ms(t3);
            long t4 = System.nanoTime();
            client.restoreDBInstanceFromDBSnapshot(r -> r.dbInstanceIdentifier("restored").dbSnapshotIdentifier(snap));
            while (!"available".equals(rds.instanceStatus("restored"))) {
                Thread.sleep(2);
            }
            long restore = ms(t4);
            try (Connection c = rds.connectAsMaster("restored")) {
                assertEquals(4, Jdbc.rows(c, "SELECT id FROM shop.customers").size());
            }
            StringBuilder rss = new StringBuilder();
            for (String id : List.of("first", "empty", "seeded", "restored")) {
                long pid = rds.serverPid(id);
                assertTrue(pid > 0);
                pids.add(pid);
                rss.append(id).append('=').append(rssKb(pid) / 1024).append("MB ");
            }
            System.out.printf("first instance (incl. template install) %d ms; empty instance %d ms; seeded instance %d ms;"
                    + " snapshot %d ms; restore to available %d ms%nRSS per mariadbd: %s%n",
                    first, empty, seeded, snapshot, restore, rss);
            assertTrue("an empty instance starts in well under 10 s: " + empty, empty < 10_000);
        }
        for (long pid : pids) {
            assertFalse("mariadbd " + pid + " stopped on close()", ProcessHandle.of(pid).map(ProcessHandle::isAlive)
                    .orElse(false));
        }
        try (var dirs = Files.newDirectoryStream(Paths.get(System.getProperty("java.io.tmpdir")), "rds-emulator-*")) {
            for (Path d : dirs) {
                assertFalse("emulator data removed on close: " + d, Files.exists(d.resolve("owner.pid"))
                        && Files.readString(d.resolve("owner.pid")).trim().equals(Long.toString(ProcessHandle.current().pid()))
                        && Files.isDirectory(d.resolve("instances")));
            }
        }
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }
}
