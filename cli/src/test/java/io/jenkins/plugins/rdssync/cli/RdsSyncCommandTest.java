package io.jenkins.plugins.rdssync.cli;

import io.jenkins.plugins.rdssync.testkit.MutableClock;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.run.StageOutcome;
import io.jenkins.plugins.rdssync.core.run.StageStatus;
import io.jenkins.plugins.rdssync.core.run.SyncException;
import io.jenkins.plugins.rdssync.core.run.SyncResult;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import picocli.CommandLine;

/** The command line end to end, with a scripted engine: options, exit codes, output, secrecy. */
public class RdsSyncCommandTest {
    static final String ENV_SECRET = "Env-S3cret-Pw-4711";
    static final String FILE_SECRET = "File-S3cret-Pw-0815";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path dir;
    private Path config;
    private final AtomicReference<SyncSpec> seen = new AtomicReference<>();
    private final MutableClock clock = new MutableClock();

    record Exec(int code, String out, String err) {
        String all() {
            return out + "\n" + err;
        }
    }

    @Before
    public void files() throws IOException {
        dir = tmp.newFolder("conf").toPath();
        Files.writeString(dir.resolve("db-password"), FILE_SECRET + "\n");
        config = dir.resolve("nightly.yaml");
        Files.writeString(config, String.join("\n",
                "source: shop-prod",
                "target: shop-acc",
                "region: eu-west-1",
                "mysqlUser: admin",
                "mysqlPasswordFile: db-password",
                "preserveTables: ['orders:id', 'customers:id']",
                ""));
    }

    private Exec exec(Engines engines, Env env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = RdsSyncCommand.commandLine(new RdsSyncCommand(env, clock, engines));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Exec(code, out.toString(), err.toString());
    }

    private Exec exec(Engines engines, String... args) {
        return exec(engines, Env.of(Map.of()), args);
    }

    static final List<StageName> STAGES = List.of(StageName.PREFLIGHT, StageName.SNAPSHOT, StageName.BACKUP,
            StageName.RESTORE, StageName.SWITCH);

    static SyncResult result(List<StageOutcome> outcomes, boolean dryRun) {
        return new SyncResult("shop-acc.abc.eu-west-1.rds.amazonaws.com", 3306, "shop-acc", "shop-prod-rds-sync",
                Map.of("shop.orders", 12L, "shop.customers", 3L), outcomes, 4.2, dryRun);
    }

    /** An engine that goes through every stage, ticking the clock. */
    private Engines succeeding() {
        return (spec, l) -> c -> {
            seen.set(spec);
            l.runStarted(STAGES, spec.dryRun());
            List<StageOutcome> outcomes = new ArrayList<>();
            for (int i = 0; i < STAGES.size(); i++) {
                StageName s = STAGES.get(i);
                l.stageStarted(s, i + 1, STAGES.size());
                l.log(s, "working on " + s.title());
                clock.advanceMillis(1500);
                StageOutcome o = new StageOutcome(s, spec.dryRun() ? StageStatus.PLANNED : StageStatus.DONE, 1.5,
                        "ok");
                outcomes.add(o);
                l.stageFinished(o);
            }
            SyncResult r = result(outcomes, spec.dryRun());
            l.runFinished(r);
            return r;
        };
    }

    /** An engine that fails in the restore stage; {@code reports} says whether it calls runFailed itself. */
    private Engines failing(boolean reports) {
        return (spec, l) -> c -> {
            seen.set(spec);
            l.runStarted(STAGES, false);
            l.stageStarted(StageName.PREFLIGHT, 1, 5);
            l.stageFinished(new StageOutcome(StageName.PREFLIGHT, StageStatus.DONE, 0.4, "ok"));
            l.stageStarted(StageName.RESTORE, 4, 5);
            l.warn(StageName.RESTORE, "the restore is slow today");
            l.stageFinished(new StageOutcome(StageName.RESTORE, StageStatus.FAILED, 12, "capacity"));
            SyncException e = new SyncException(StageName.RESTORE,
                    "RestoreDBInstanceFromDBSnapshot failed: InsufficientDBInstanceCapacity",
                    "choose another instanceClass or availabilityZone, then resume");
            if (reports) {
                l.runFailed(e);
            }
            throw e;
        };
    }

    @Test
    public void runSucceedsWithExitCode0AndASummary() throws IOException {
        Path resultFile = dir.resolve("out/result.env");
        Exec x = exec(succeeding(), "run", "-c", config.toString(), "--result-file", resultFile.toString());
        assertEquals(x.all(), ExitCodes.OK, x.code());
        assertTrue(x.out(), x.out().contains("14:02:11 [1/5 Preflight] ===== Stage 1 of 5: Preflight ====="));
        assertTrue(x.out(), x.out().contains("[3/5 Backup] working on Backup"));
        assertTrue(x.out(), x.out().contains("[5/5 Switch] ----- done in 1.5 s: ok"));
        assertTrue(x.out(), x.out().contains("[rds-sync] Sync complete in 7.5 s."));
        assertTrue(x.out(), x.out().contains("Endpoint        shop-acc.abc.eu-west-1.rds.amazonaws.com:3306"));
        assertTrue(x.out(), x.out().contains("Preserved rows  15 in 2 table(s): shop.customers 3, shop.orders 12"));
        assertTrue(x.out(), x.out().contains("Downtime        4.2 s"));
        assertEquals("", x.err());
        assertFalse(seen.get().resume());
        assertFalse(seen.get().dryRun());
        String env = Files.readString(resultFile);
        assertTrue(env, env.contains("RDS_SYNC_ENDPOINT=shop-acc.abc.eu-west-1.rds.amazonaws.com\n"));
        assertTrue(env, env.contains("RDS_SYNC_PORT=3306\n"));
        assertTrue(env, env.contains("RDS_SYNC_INSTANCE=shop-acc\n"));
        assertTrue(env, env.contains("RDS_SYNC_SNAPSHOT=shop-prod-rds-sync\n"));
    }

    @Test
    public void resumeAndWorkDirReachTheSpec() {
        Path work = dir.resolve("journal");
        Exec x = exec(succeeding(), "run", "--config", config.toString(), "--resume", "--work-dir", work.toString());
        assertEquals(x.all(), 0, x.code());
        assertTrue(seen.get().resume());
        assertEquals(work.toAbsolutePath().normalize(), seen.get().workDir());
    }

    @Test
    public void planIsADryRun() {
        Exec x = exec(succeeding(), "plan", "-c", config.toString());
        assertEquals(x.all(), 0, x.code());
        assertTrue(seen.get().dryRun());
        assertFalse(seen.get().resume());
        assertTrue(x.out(), x.out().contains("PLAN ONLY (dry run): nothing will be changed."));
        assertTrue(x.out(), x.out().contains("[2/5 Snapshot] ----- planned: ok"));
        assertTrue(x.out(), x.out().contains("Plan complete: 5 stages described; nothing was changed."));
        assertFalse(x.out(), x.out().contains("Endpoint"));
    }

    @Test
    public void aFailedSyncExitsWith1AndSaysHowToResume() {
        for (boolean engineReports : List.of(true, false)) {
            Exec x = exec(failing(engineReports), "run", "-c", config.toString());
            assertEquals(x.all(), ExitCodes.FAILED, x.code());
            String o = x.out();
            assertTrue(o, o.contains("[4/5 Restore] WARNING: the restore is slow today"));
            assertTrue(o, o.contains("[4/5 Restore] ERROR: RestoreDBInstanceFromDBSnapshot failed:"
                    + " InsufficientDBInstanceCapacity"));
            assertTrue(o, o.contains("[rds-sync] FAILED in stage 4/5 Restore after"));
            assertTrue(o, o.contains("Hint:   choose another instanceClass or availabilityZone, then resume"));
            assertTrue(o, o.contains("Resume: rds-sync run -c " + config + " --resume"));
            assertEquals("the failure is shown once", o.indexOf("ERROR:"), o.lastIndexOf("ERROR:"));
        }
    }

    @Test
    public void aCancelledRunExitsWith3() {
        Engines cancelledAtSafePoint = (spec, l) -> c -> {
            l.runStarted(STAGES, false);
            l.stageStarted(StageName.BACKUP, 3, 5);
            c.cancel("interrupted (Ctrl-C or SIGTERM)");
            c.check();
            return null;
        };
        Exec x = exec(cancelledAtSafePoint, "run", "-c", config.toString());
        assertEquals(x.all(), ExitCodes.CANCELLED, x.code());
        assertTrue(x.out(), x.out().contains("[rds-sync] CANCELLED in stage 3/5 Backup"));
        assertTrue(x.out(), x.out().contains("Resume: rds-sync run -c " + config + " --resume"));

        Engines cancelledAsFailure = (spec, l) -> c -> {
            l.stageStarted(StageName.RESTORE, 4, 5);
            c.cancel("test");
            l.stageFinished(new StageOutcome(StageName.RESTORE, StageStatus.CANCELLED, 1, "stopped"));
            throw new SyncException(StageName.RESTORE, "cancelled while waiting for shop-acc-rds-sync-new",
                    "resume the run");
        };
        x = exec(cancelledAsFailure, "run", "-c", config.toString());
        assertEquals(x.all(), ExitCodes.CANCELLED, x.code());
        assertTrue(x.out(), x.out().contains("CANCELLED in stage 4/5 Restore"));
    }

    @Test
    public void unexpectedEngineErrorsExitWith1() {
        Engines broken = (spec, l) -> c -> {
            throw new IllegalStateException("boom");
        };
        Exec x = exec(broken, "run", "-c", config.toString());
        assertEquals(x.all(), ExitCodes.FAILED, x.code());
        assertTrue(x.out(), x.out().contains("ERROR: unexpected error IllegalStateException: boom"));
        assertFalse(x.out(), x.out().contains("at io.jenkins"));
        x = exec(broken, "run", "-c", config.toString(), "--debug");
        assertTrue(x.out(), x.out().contains("at io.jenkins"));
    }

    @Test
    public void badConfigurationExitsWith2BeforeTheEngineRuns() throws IOException {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "source: shop-prod\ntarget: shop-prod\npreserveColumn: [a.b]\ndbPort: x\n");
        for (String cmd : List.of("run", "plan", "validate")) {
            Exec x = exec(succeeding(), cmd, "-c", bad.toString());
            assertEquals(x.all(), ExitCodes.CONFIG, x.code());
            assertNull(seen.get());
            assertTrue(x.err(), x.err().contains("bad.yaml has 4 problems; nothing was changed:"));
            assertTrue(x.err(), x.err().contains("  - preserveColumn: unknown key; did you mean 'preserveColumns'?"
                    + " (line 3)"));
            assertTrue(x.err(), x.err().contains("  - dbPort: must be a whole number, found 'x' (line 4)"));
            assertTrue(x.err(), x.err().contains("  - target: is the same instance as source"));
        }
        Exec x = exec(succeeding(), "run", "-c", dir.resolve("missing.yaml").toString());
        assertEquals(ExitCodes.CONFIG, x.code());
        assertTrue(x.err(), x.err().contains("missing.yaml: no such file"));
    }

    @Test
    public void usageErrorsExitWith2() {
        Exec x = exec(succeeding(), "run");
        assertEquals(ExitCodes.CONFIG, x.code());
        assertTrue(x.err(), x.err().contains("Missing required option: '--config=FILE'"));
        assertTrue(x.err(), x.err().contains("Try 'rds-sync run --help'."));
        x = exec(succeeding(), "run", "-c", config.toString(), "--resmue");
        assertEquals(ExitCodes.CONFIG, x.code());
        assertTrue(x.err(), x.err().contains("--resume"));
        x = exec(succeeding(), "sync");
        assertEquals(ExitCodes.CONFIG, x.code());
        x = exec(succeeding());
        assertEquals(ExitCodes.CONFIG, x.code());
        assertTrue(x.err(), x.err().contains("Usage: rds-sync"));
    }

    @Test
    public void helpAndVersionExitWith0() {
        Exec x = exec(succeeding(), "--help");
        assertEquals(0, x.code());
        for (String s : List.of("run", "plan", "validate", "demo", "emulator", "Exit codes:", "RDS_SYNC_DB_PASSWORD")) {
            assertTrue(s, x.out().contains(s));
        }
        x = exec(succeeding(), "--version");
        assertEquals(0, x.code());
        assertTrue(x.out(), x.out().startsWith("rds-sync "));
        x = exec(succeeding(), "help", "run");
        assertEquals(0, x.code());
        assertTrue(x.out(), x.out().contains("--resume"));
    }

    @Test
    public void secretArgumentsAreRefusedWithoutEchoingThem() {
        Exec x = exec(succeeding(), "run", "-c", config.toString(), "--password", "Arg-S3cret-77");
        assertEquals(ExitCodes.CONFIG, x.code());
        assertFalse(x.all(), x.all().contains("Arg-S3cret-77"));
        assertTrue(x.err(), x.err().contains("secrets are never given as arguments"));
        assertTrue(x.err(), x.err().contains("RDS_SYNC_DB_PASSWORD"));
        x = exec(succeeding(), "run", "-c", config.toString(), "--aws-secret-access-key=Arg-S3cret-88");
        assertFalse(x.all(), x.all().contains("Arg-S3cret-88"));
    }

    @Test
    public void configurationWarningsAreShownWithTheRunPrefix() {
        Exec x = exec(succeeding(), Env.of(Map.of(SpecFile.PASSWORD_ENV, ENV_SECRET)), "run", "-c", config.toString());
        assertEquals(x.all(), 0, x.code());
        assertTrue(x.out(), x.out().contains("14:02:11 [rds-sync] WARNING: RDS_SYNC_DB_PASSWORD is set, so"
                + " mysqlPasswordFile (" + dir.resolve("db-password") + ") is not read"));
        assertTrue(x.out(), x.out().contains("1 warning(s) above, marked WARNING."));
    }

    @Test
    public void validateSaysWhatItUnderstood() {
        Exec x = exec(succeeding(), Env.of(Map.of(SpecFile.PASSWORD_ENV, ENV_SECRET)), "validate", "-c",
                config.toString());
        assertEquals(x.all(), 0, x.code());
        assertTrue(x.out(), x.out().contains("is valid."));
        assertTrue(x.out(), x.out().contains("mysqlUser        admin, password set"));
        assertTrue(x.out(), x.out().contains("orders:id, customers:id"));
        assertNull("validate never runs the engine", seen.get());
    }

    /** An engine that prints everything it can about the spec, as a careless engine might. */
    private Engines chatty(boolean fail) {
        return (spec, l) -> c -> {
            l.runStarted(STAGES, spec.dryRun());
            l.stageStarted(StageName.PREFLIGHT, 1, 5);
            l.log(StageName.PREFLIGHT, "spec: " + spec + " password " + spec.mysqlPassword().orElseThrow());
            if (fail) {
                throw new SyncException(StageName.PREFLIGHT, "cannot log in as " + spec.mysqlUser().orElseThrow(),
                        "check the password");
            }
            SyncResult r = result(List.of(), spec.dryRun());
            l.runFinished(r);
            return r;
        };
    }

    @Test
    public void noSecretValueEverAppearsInTheOutput() throws IOException {
        Env withEnv = Env.of(Map.of(SpecFile.PASSWORD_ENV, ENV_SECRET));
        Env none = Env.of(Map.of());
        List<Exec> runs = new ArrayList<>();
        for (Env env : List.of(withEnv, none)) {
            runs.add(exec(chatty(false), env, "run", "-c", config.toString(), "--debug"));
            runs.add(exec(chatty(true), env, "run", "-c", config.toString(), "--debug"));
            runs.add(exec(chatty(false), env, "plan", "-c", config.toString()));
            runs.add(exec(chatty(false), env, "validate", "-c", config.toString()));
            runs.add(exec((s, l) -> c -> {
                throw new IllegalStateException("failed for " + s);
            }, env, "run", "-c", config.toString(), "--debug"));
        }
        // a file that puts secrets where they do not belong, and a broken one
        Path leaky = dir.resolve("leaky.yaml");
        Files.writeString(leaky, "source: a\ntarget: b\nmysqlPassword: " + FILE_SECRET + "\npasswrd: " + ENV_SECRET
                + "\n");
        runs.add(exec(succeeding(), withEnv, "run", "-c", leaky.toString(), "--debug"));
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "source: a\nmysqlPassword: '" + FILE_SECRET + "\n  x: [\n");
        runs.add(exec(succeeding(), withEnv, "validate", "-c", broken.toString()));
        for (Exec x : runs) {
            assertFalse(x.all(), x.all().contains(ENV_SECRET));
            assertFalse(x.all(), x.all().contains(FILE_SECRET));
        }
        assertEquals(runs.get(0).all(), 0, runs.get(0).code());
        assertTrue(runs.get(0).all(), runs.get(0).out().contains("password ****"));
    }
}
