package io.jenkins.plugins.rdssync.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.rdssync.testkit.RdsEmulator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Ctrl-C in the command line, for real: {@code rds-sync run} runs as its own process against the emulator, gets a
 * SIGINT while it works, stops at the next safe point with exit code 3, a CANCELLED block and the resume command;
 * {@code --resume} continues from the journal. Stopped while the snapshot is being made, while the restore is waited
 * for, and as the first rename of the switch goes out (where it finishes the switch before it stops: acceptance is
 * never left without its name); the last resume completes with the testers' rows once.
 */
public class CtrlCTest {
    static final String DB_PASSWORD = "Cli-Acc-Pw-Ctrl9";
    static final String AWS_SECRET = "cli+Ctrl/Secret9SecretKey0000000000000000";
    static final String TARGET = "acc-ctrlc";
    static final String SNAP_NAME = "acc-ctrlc-snap";
    /** The rolling snapshot's first name. */
    static final String SNAP = SNAP_NAME + "-a";

    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();

    private static RdsEmulator rds;
    private static Path config;
    private static Path workDir;

    @BeforeClass
    public static void emulatorWithAcceptance() throws Exception {
        rds = RdsEmulator.builder().rdsMinute(Duration.ofMillis(20)).start();
        Path seed = Path.of(CtrlCTest.class.getResource("/reliability/production.sql").toURI());
        rds.createAvailableInstance("production", "admin", "Prod-Pw-Ctrl9-Secret", seed);
        rds.createAvailableInstance(TARGET, "admin", DB_PASSWORD, seed);
        try (Connection c = rds.connectAsMaster(TARGET, "shop"); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO customers (id, name, email) VALUES (1000000001, 'Tess', 'tess@qa')");
            s.executeUpdate("INSERT INTO orders (id, customer_id, created) VALUES (1000000001, 1000000001, NOW())");
        }
        Path dir = TMP.newFolder("conf").toPath();
        workDir = dir.resolve("work");
        config = dir.resolve("nightly.yaml");
        Files.writeString(config, String.join("\n",
                "source: production",
                "target: " + TARGET,
                "region: " + rds.region(),
                "endpointUrl: " + rds.endpoint(),
                "snapshotName: " + SNAP_NAME,
                "mysqlUser: admin",
                "dbTls: disabled",
                "databases: [shop]",
                "timeoutMinutes: 10",
                ""));
    }

    @AfterClass
    public static void stop() {
        if (rds != null) {
            rds.close();
        }
    }

    record Run(int exitCode, String output) {
    }

    /** Runs rds-sync in its own JVM; when a line contains {@code interruptAt}, sends it SIGINT (Ctrl-C). */
    static Run rdsSync(String interruptAt, Runnable onInterrupt, String... args) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Drds.minute.ms=20", "-cp", cp,
                CliProcess.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put(SpecFile.PASSWORD_ENV, DB_PASSWORD);
        env.put("AWS_ACCESS_KEY_ID", "AKIACTRLCTEST");
        env.put("AWS_SECRET_ACCESS_KEY", AWS_SECRET);
        env.remove("AWS_PROFILE");
        Process p = pb.start();
        StringBuilder out = new StringBuilder();
        CountDownLatch signalled = new CountDownLatch(interruptAt == null ? 0 : 1);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (out) {
                        out.append(line).append('\n');
                    }
                    if (interruptAt != null && signalled.getCount() > 0 && line.contains(interruptAt)) {
                        onInterrupt.run();
                        sigint(p);
                        signalled.countDown();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        reader.start();
        boolean ended = p.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        reader.join(10_000);
        String text;
        synchronized (out) {
            text = out.toString();
        }
        System.out.println("$ rds-sync " + String.join(" ", args) + "\n" + text); // in the test report
        assertTrue("rds-sync ended:\n" + text, ended);
        assertEquals("the interrupt was sent:\n" + text, 0, signalled.getCount());
        return new Run(p.exitValue(), text);
    }

    private static void sigint(Process p) {
        try {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start();
            if (kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0) {
                return;
            }
        } catch (IOException | InterruptedException e) {
            // no kill command: SIGTERM instead, handled the same way
        }
        p.destroy();
    }

    private static void assertCancelled(Run r, String stage) {
        assertEquals("exit code 3 (cancelled):\n" + r.output(), ExitCodes.CANCELLED, r.exitCode());
        assertTrue(r.output(), r.output().contains("stopping at the next safe point"));
        assertTrue(r.output(), r.output().contains("CANCELLED in stage " + stage)
                || r.output().contains("CANCELLED") && r.output().contains(stage));
        assertTrue(r.output(), r.output().contains("--resume"));
        assertFalse("no secret in the output", r.output().contains(DB_PASSWORD) || r.output().contains(AWS_SECRET));
    }

    @Test
    public void ctrlCInEachPhaseThenResumeCompletes() throws Exception {
        String[] run = {"run", "-c", config.toString(), "--work-dir", workDir.toString()};
        String[] resume = {"run", "-c", config.toString(), "--work-dir", workDir.toString(), "--resume"};

        // 1. while the snapshot of production is being made
        rds.faults().hold(SNAP, "creating");
        Run r = rdsSync("Snapshot " + SNAP + ": creating", () -> { }, run);
        rds.faults().release(SNAP);
        assertCancelled(r, "Snapshot");
        assertEquals("available", rds.instanceStatus(TARGET));

        // 2. while the restore is waited for: the restored instance is reused by the resume
        r = rdsSync("Restoring " + SNAP + " as", () -> { }, resume);
        assertCancelled(r, "Restore");
        assertTrue(r.output(), r.output().contains("The acceptance target was not changed"));

        // 3. as the first rename goes out: the switch finishes, then the run stops
        r = rdsSync("Renaming " + TARGET + " to " + TARGET + "-rds-sync-old", () -> { }, resume);
        assertCancelled(r, "Switch");
        assertNotNull("acceptance keeps its name", rds.instanceStatus(TARGET));
        assertNull(rds.instanceStatus(TARGET + "-rds-sync-new"));

        // 4. the resume completes
        r = rdsSync(null, () -> { }, resume);
        assertEquals(r.output(), ExitCodes.OK, r.exitCode());
        assertTrue(r.output(), r.output().contains("Sync complete"));
        assertNull(rds.instanceStatus(TARGET + "-rds-sync-old"));
        assertEquals(1, rds.requests().ofAction("RestoreDBInstanceFromDBSnapshot").stream()
                .filter(x -> x.succeeded()).count());
        try (Connection c = rds.connectAsMaster(TARGET, "shop"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*), MAX(name) FROM customers WHERE id >= 1000000000")) {
            rs.next();
            assertEquals(1, rs.getInt(1));
            assertEquals("Tess", rs.getString(2));
        }
    }
}
