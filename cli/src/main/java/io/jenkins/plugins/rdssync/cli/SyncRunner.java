package io.jenkins.plugins.rdssync.cli;

import io.jenkins.plugins.rdssync.core.run.TextListener;

import io.jenkins.plugins.rdssync.core.run.Cancellation;
import io.jenkins.plugins.rdssync.core.run.SyncAttempt;
import io.jenkins.plugins.rdssync.core.run.SyncException;
import io.jenkins.plugins.rdssync.core.run.SyncResult;
import io.jenkins.plugins.rdssync.core.spec.InvalidSpecException;
import io.jenkins.plugins.rdssync.core.spec.SpecProblem;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** What {@code run}, {@code plan} and the demo share: load the file, run the engine, render, map to an exit code. */
final class SyncRunner {

    /** A loaded configuration: the validated spec and what is worth a warning. */
    record Loaded(SyncSpec spec, List<String> warnings) {
    }

    /** How a run ended. */
    record Outcome(int exitCode, SyncResult result, SyncException failure) {
    }

    private SyncRunner() {
    }

    /**
     * Loads and validates a configuration file.
     *
     * @param adjust applies command-line choices (resume, dry run, work dir) before validation
     * @return the spec and warnings, or null after printing every problem to {@code err}
     */
    static Loaded load(Path config, Env env, Consumer<SyncSpec.Builder> adjust, PrintWriter err) {
        SpecFile file = null;
        try {
            file = SpecFile.read(config, env);
            adjust.accept(file.builder());
            return new Loaded(file.builder().build(), file.warnings());
        } catch (InvalidSpecException e) {
            printProblems(config, file, e.problems(), err);
            return null;
        }
    }

    static void printProblems(Path config, SpecFile file, List<SpecProblem> problems, PrintWriter err) {
        List<String> lines = new ArrayList<>();
        for (SpecProblem p : problems) {
            lines.add(file != null ? file.describe(p) : SpecFile.describe(p, Map.of()));
        }
        err.println("rds-sync: " + config + (lines.size() == 1 ? " has a problem" : " has " + lines.size()
                + " problems") + "; nothing was changed:");
        for (String l : lines) {
            err.println("  - " + l);
        }
        err.println("Every key is described in docs/configuration.md.");
        err.flush();
    }

    /**
     * Runs the engine with Ctrl-C handling and renders the result.
     */
    static Outcome runWithInterrupts(SyncSpec spec, TextListener listener, Engines engines, boolean debug,
            PrintWriter out) {
        Cancellation cancellation = new Cancellation();
        try (Interrupts interrupts = Interrupts.install(cancellation, listener::cancelling, out::flush, true)) {
            Outcome o = run(spec, listener, engines, cancellation, debug);
            out.flush();
            interrupts.finished(o.exitCode());
            return o;
        }
    }

    /** Runs the engine once; never throws. How the run ended is core's {@link SyncAttempt}, as in the plugin. */
    static Outcome run(SyncSpec spec, TextListener listener, Engines engines, Cancellation cancellation,
            boolean debug) {
        SyncAttempt.Outcome o = SyncAttempt.run(c -> engines.create(spec, listener).run(c), listener, cancellation,
                () -> null, debug);
        int exitCode = switch (o.kind()) {
            case SUCCESS -> ExitCodes.OK;
            case CANCELLED -> ExitCodes.CANCELLED;
            case FAILED -> ExitCodes.FAILED;
            case INVALID -> {
                for (SpecProblem p : o.invalid().problems()) {
                    listener.note("ERROR: " + SpecFile.describe(p, Map.of()));
                }
                yield ExitCodes.CONFIG;
            }
        };
        return new Outcome(exitCode, o.result(), o.failure());
    }

    /**
     * Writes the result as {@code KEY=value} lines (RDS_SYNC_ENDPOINT, RDS_SYNC_PORT, RDS_SYNC_INSTANCE,
     * RDS_SYNC_SNAPSHOT, RDS_SYNC_DOWNTIME_SECONDS): the names the Jenkins freestyle builder exports, readable by a
     * shell ({@code . FILE}), by Jenkins' {@code readProperties} and as a GitHub Actions env file.
     */
    static void writeResultFile(Path file, SyncResult r) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("RDS_SYNC_ENDPOINT=").append(nvl(r.endpoint())).append('\n');
        sb.append("RDS_SYNC_PORT=").append(r.port()).append('\n');
        sb.append("RDS_SYNC_INSTANCE=").append(nvl(r.instance())).append('\n');
        sb.append("RDS_SYNC_SNAPSHOT=").append(nvl(r.snapshot())).append('\n');
        sb.append("RDS_SYNC_DOWNTIME_SECONDS=").append(String.format(java.util.Locale.ROOT, "%.1f",
                r.downtimeSeconds())).append('\n');
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    private static String nvl(String s) {
        return s == null ? "" : s;
    }

    /** A path as a shell would need it typed. */
    static String shellWord(String s) {
        if (s.matches("[A-Za-z0-9_./:@%+=,-]+")) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
