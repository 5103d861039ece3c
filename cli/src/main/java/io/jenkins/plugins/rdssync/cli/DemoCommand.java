package io.jenkins.plugins.rdssync.cli;

import io.jenkins.plugins.rdssync.core.run.TextListener;

import io.jenkins.plugins.rdssync.cli.demo.DemoStory;
import io.jenkins.plugins.rdssync.core.run.Cancellation;
import io.jenkins.plugins.rdssync.core.spec.Secret;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rds-sync demo [--rds-minute MILLIS] [--keep]}: the whole job, end to end, on the emulator. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"See rds-sync work end to end, on this machine only (no AWS needed).",
            "An RDS emulator with a sample production shop, a first sync that creates acceptance, a tester's"
                + " changes, an acceptance-only migration, production moving on, a second sync -- and checks that"
                + " acceptance kept the tester's work and has fresh production data. Ends with PASS (exit code 0)"
                + " or FAIL (1). Takes a minute or two."})
final class DemoCommand implements Callable<Integer> {
    static final long DEFAULT_RDS_MINUTE_MS = 250;

    @ParentCommand
    RdsSyncCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--rds-minute", paramLabel = "MILLIS", defaultValue = "" + DEFAULT_RDS_MINUTE_MS,
            description = "How long one emulated RDS minute lasts, in milliseconds (default: ${DEFAULT-VALUE}). Larger"
                    + " values make snapshots and restores take longer, as on AWS.")
    long rdsMinuteMillis;

    @Option(names = "--keep", description = "Keep the emulator, its instances and the demo's files after the checks,"
            + " until Ctrl-C, to look around or try rds-sync run yourself.")
    boolean keep;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (rdsMinuteMillis < 1 || rdsMinuteMillis > 60_000) {
            err.println("rds-sync demo: --rds-minute must be between 1 and 60000 milliseconds");
            err.flush();
            return ExitCodes.CONFIG;
        }
        Duration rdsMinute = Duration.ofMillis(rdsMinuteMillis);
        Engines engines = root.engines.forEmulator(rdsMinute);
        Cancellation cancellation = new Cancellation();
        DemoStory.Sync sync = (config, password, endpointUrl, c) -> {
            Env env = root.env.with(Map.of(SpecFile.PASSWORD_ENV, password));
            // the emulator accepts any key; fixed ones spare the user from having AWS credentials for the demo
            SyncRunner.Loaded loaded = SyncRunner.load(config, env,
                    b -> b.awsCredentials("demo", Secret.of("demo-secret-key"), null), err);
            if (loaded == null) {
                return null;
            }
            SyncSpec s = loaded.spec();
            TextListener listener = new TextListener(out, root.clock, s, null);
            SyncRunner.Outcome o = SyncRunner.run(s, listener, engines, c, root.debug);
            return o.exitCode() == ExitCodes.OK ? o.result() : null;
        };
        DemoStory story = new DemoStory(out, root.clock, root.emulators, sync, rdsMinute, keep, cancellation);
        try (Interrupts interrupts = Interrupts.install(cancellation,
                reason -> {
                    out.println();
                    out.println("Ctrl-C: stopping at the next safe point, then stopping the emulator ...");
                    out.flush();
                }, out::flush, false)) {
            int code = story.run();
            interrupts.finished(code);
            return code;
        }
    }
}
