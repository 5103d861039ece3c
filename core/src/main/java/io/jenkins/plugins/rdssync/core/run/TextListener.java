package io.jenkins.plugins.rdssync.core.run;

import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Renders a run's events as console lines. Every line starts with the time and a prefix naming the stage, for
 * example {@code 14:02:11 [3/9 Backup] 12,400 rows from shop.orders}; run-level lines use {@code [rds-sync]}.
 * Progress is throttled (a line per 10 % step, or a heartbeat while nothing moves); the run ends with a summary table
 * or, on failure, the stage, the message, the hint and the resume command. Output is plain ASCII so that it reads the
 * same in a terminal, a Jenkins console and a log file.
 */
public class TextListener implements SyncListener {
    static final String RUN_PREFIX = "rds-sync";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
    /** Percent steps closer together than this are not printed (except 100 %). */
    static final long PERCENT_SPACING_MS = 1_000;
    /** With a known percent that does not move, a line this often. */
    static final long PERCENT_HEARTBEAT_MS = 30_000;
    /** With an unknown total, a line this often. */
    static final long UNKNOWN_HEARTBEAT_MS = 5_000;

    private final PrintWriter out;
    private final Clock clock;
    private final ZoneId zone;
    private final SyncSpec spec;
    private final String resumeCommand;

    private final Map<StageName, Integer> numbers = new EnumMap<>(StageName.class);
    private int total;
    private boolean dryRun;
    private long runStart;
    private final Map<StageName, Long> stageStart = new EnumMap<>(StageName.class);
    private final Map<StageName, long[]> progressState = new EnumMap<>(StageName.class);
    private final Map<StageName, StageOutcome> outcomes = new LinkedHashMap<>();
    private StageName current;
    private int warnings;
    private boolean finishedShown;
    private boolean failureShown;

    /** For a build console or a log stream: local time, lines flushed as written, no resume command to suggest. */
    public TextListener(java.io.PrintStream out) {
        this(new PrintWriter(new java.io.OutputStreamWriter(out, java.nio.charset.StandardCharsets.UTF_8), true),
                Clock.systemDefaultZone(), null, null);
    }

    /**
     * @param spec the run's spec, for the opening lines (may be null)
     * @param resumeCommand the command that resumes this run, shown after a failure (null: none)
     */
    public TextListener(PrintWriter out, Clock clock, SyncSpec spec, String resumeCommand) {
        this.out = out;
        this.clock = clock;
        this.zone = clock.getZone();
        this.spec = spec;
        this.resumeCommand = resumeCommand;
        this.runStart = clock.millis();
    }

    // ----------------------------------------------------------------- events

    @Override
    public synchronized void runStarted(List<StageName> stages, boolean dryRun) {
        this.dryRun = dryRun;
        runStart = now();
        total = stages.size();
        for (int i = 0; i < stages.size(); i++) {
            numbers.put(stages.get(i), i + 1);
        }
        if (spec != null) {
            line(null, (dryRun ? "PLAN ONLY (dry run): nothing will be changed. " : "")
                    + (dryRun ? "Plan for " : "Sync ") + spec.source() + " -> " + spec.target() + " ("
                    + spec.strategy() + " strategy, " + snapshotText(spec) + ")");
            line(null, "  AWS:       " + spec.region().map(r -> "region " + r).orElse("region from the SDK chain")
                    + spec.endpointUrl().map(u -> ", endpoint " + u).orElse("")
                    + spec.roleArn().map(a -> ", role " + a).orElse(""));
            line(null, "  Keep:      " + keepText(spec));
            if (!spec.postSql().isEmpty() || !spec.postSqlStatements().isEmpty() || spec.migrations().isPresent()) {
                line(null, "  SQL:       " + spec.postSql().size() + " post-SQL file(s), "
                        + spec.postSqlStatements().size() + " statement(s)"
                        + spec.migrations().map(m -> ", migrations from " + m).orElse(""));
            }
            line(null, "  Journal:   " + spec.workDir().toAbsolutePath().normalize()
                    + (spec.resume() ? " (resuming)" : ""));
        }
        line(null, total + " stages: " + stages.stream().map(StageName::title).collect(Collectors.joining(", ")));
    }

    @Override
    public synchronized void stageStarted(StageName stage, int number, int total) {
        numbers.put(stage, number);
        if (total > 0) {
            this.total = total;
        }
        current = stage;
        stageStart.put(stage, now());
        progressState.remove(stage);
        line(stage, "===== Stage " + number + " of " + this.total + ": " + stage.title() + " =====");
    }

    @Override
    public synchronized void log(StageName stage, String message) {
        line(stage, message);
    }

    @Override
    public synchronized void warn(StageName stage, String message) {
        warnings++;
        line(stage, "WARNING: " + message);
    }

    @Override
    public synchronized void progress(StageName stage, String message, int percent) {
        long t = now();
        long[] st = progressState.get(stage); // {last printed time, last printed percent}
        boolean print;
        if (st == null) {
            print = true;
        } else if (percent >= 0) {
            long since = t - st[0];
            print = (percent >= 100 && st[1] < 100)
                    || (percent / 10 > st[1] / 10 && since >= PERCENT_SPACING_MS)
                    || since >= PERCENT_HEARTBEAT_MS;
        } else {
            print = t - st[0] >= UNKNOWN_HEARTBEAT_MS;
        }
        if (!print) {
            return;
        }
        progressState.put(stage, new long[] {t, percent});
        String text = message == null ? "" : message;
        line(stage, percent >= 0 ? String.format(Locale.ROOT, "%3d%% %s", Math.min(percent, 100), text)
                : "...  " + text);
    }

    @Override
    public synchronized void stageFinished(StageOutcome o) {
        outcomes.put(o.stage(), o);
        String summary = o.summary() == null || o.summary().isBlank() ? "" : ": " + o.summary();
        String verb = switch (o.status()) {
            case DONE -> "done in " + duration(o.seconds());
            case ALREADY_DONE -> "already done (journal), " + duration(o.seconds());
            case SKIPPED -> "skipped";
            case PLANNED -> "planned";
            case FAILED -> "FAILED after " + duration(o.seconds());
            case CANCELLED -> "CANCELLED after " + duration(o.seconds());
        };
        line(o.stage(), "----- " + verb + summary);
        if (o.stage() == current) {
            current = null;
        }
    }

    @Override
    public synchronized void runFinished(SyncResult result) {
        if (finishedShown) {
            return;
        }
        finishedShown = true;
        List<StageOutcome> stages = result.stages().isEmpty() ? new ArrayList<>(outcomes.values()) : result.stages();
        boolean plan = result.dryRun() || dryRun;
        line(null, plan ? "Plan complete: " + stages.size() + " stages described; nothing was changed."
                : "Sync complete in " + duration(elapsed()) + ".");
        table(stages);
        if (!plan) {
            if (result.endpoint() != null) {
                line(null, String.format(Locale.ROOT, "  %-15s %s:%d", "Endpoint", result.endpoint(), result.port()));
            }
            line(null, String.format(Locale.ROOT, "  %-15s %s", "Instance", nvl(result.instance())));
            line(null, String.format(Locale.ROOT, "  %-15s %s", "Snapshot", nvl(result.snapshot())));
            line(null, String.format(Locale.ROOT, "  %-15s %s", "Preserved rows", preserved(result.preservedRows())));
            line(null, String.format(Locale.ROOT, "  %-15s %s", "Downtime",
                    duration(result.downtimeSeconds()) + " (the target name did not answer, as the engine saw it;"
                    + " on AWS a client's DNS cache may lag a few minutes behind)"));
        }
        if (warnings > 0) {
            line(null, "  " + warnings + " warning(s) above, marked WARNING.");
        }
    }

    @Override
    public synchronized void runFailed(SyncException failure) {
        if (failureShown) {
            return;
        }
        failureShown = true;
        StageName stage = failure.stage();
        boolean cancelled = outcomes.values().stream().anyMatch(o -> o.status() == StageStatus.CANCELLED);
        failureBlock(stage, cancelled ? "CANCELLED" : "FAILED", failure.getMessage(), failure.hint());
    }

    // ------------------------------------------------------- calls from the runner

    /** Ctrl-C or SIGTERM arrived. */
    public synchronized void cancelling(String reason) {
        String r = reason == null || reason.isEmpty() ? "interrupted" : reason;
        line(current, "WARNING: " + Character.toUpperCase(r.charAt(0)) + r.substring(1) + "; stopping at the next"
                + " safe point, this may take a moment. Do not kill the process: the journal is written as stages"
                + " finish.");
    }

    /** The engine stopped because of the cancellation without reporting it itself. */
    public synchronized void cancelled(StageName stage, String reason) {
        if (failureShown) {
            return;
        }
        failureShown = true;
        failureBlock(stage != null ? stage : current, "CANCELLED", "stopped on request (" + reason + ")", null);
    }

    /** An error the engine did not turn into a {@link SyncException}: a bug, or something the engine cannot do yet. */
    public synchronized void internalError(Throwable t, boolean withStackTrace) {
        failureShown = true;
        String msg = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        failureBlock(current, "FAILED", "unexpected error " + msg,
                "this is likely a bug in rds-sync; run again with --debug for the stack trace and report it");
        if (withStackTrace) {
            java.io.StringWriter sw = new java.io.StringWriter();
            t.printStackTrace(new PrintWriter(sw));
            for (String l : sw.toString().split("\\R")) {
                line(current, l);
            }
        }
    }

    /** A warning of the command itself (for example about the configuration), under the run prefix. */
    public synchronized void warning(String message) {
        warnings++;
        line(null, "WARNING: " + message);
    }

    /** A line under the run prefix, for the command's own messages. */
    public synchronized void note(String message) {
        line(null, message);
    }

    public synchronized boolean finishedShown() {
        return finishedShown;
    }

    public synchronized boolean failureShown() {
        return failureShown;
    }

    // ------------------------------------------------------------- rendering

    private void failureBlock(StageName stage, String what, String message, String hint) {
        line(stage, "ERROR: " + (message == null ? "(no message)" : message));
        String where = stage == null ? "before the first stage" : "in stage " + label(stage);
        line(null, what + " " + where + " after " + duration(elapsed()) + ".");
        if (!outcomes.isEmpty()) {
            table(new ArrayList<>(outcomes.values()));
        }
        if (hint != null && !hint.isBlank()) {
            line(null, "  Hint:   " + hint);
        }
        if (resumeCommand != null && !dryRun && stage != null && stage != StageName.PREFLIGHT) {
            line(null, "  Resume: " + resumeCommand
                    + "   (continues from the journal; finished stages are not repeated)");
        } else if (stage == null || stage == StageName.PREFLIGHT) {
            line(null, "  Nothing was changed; fix the problem and run again.");
        }
    }

    private void table(List<StageOutcome> stages) {
        if (stages.isEmpty()) {
            return;
        }
        line(null, String.format(Locale.ROOT, "  %-3s %-18s %-13s %9s", "#", "Stage", "Status", "Seconds"));
        double sum = 0;
        for (StageOutcome o : stages) {
            Integer n = numbers.get(o.stage());
            sum += o.seconds();
            line(null, String.format(Locale.ROOT, "  %-3s %-18s %-13s %9.1f", n == null ? "" : n.toString(),
                    o.stage().title(), statusText(o.status()), o.seconds()));
        }
        line(null, String.format(Locale.ROOT, "  %-3s %-18s %-13s %9.1f", "", "Total", "", sum));
    }

    static String statusText(StageStatus s) {
        return switch (s) {
            case DONE -> "done";
            case ALREADY_DONE -> "already done";
            case SKIPPED -> "skipped";
            case PLANNED -> "planned";
            case FAILED -> "FAILED";
            case CANCELLED -> "CANCELLED";
        };
    }

    private static String preserved(Map<String, Long> rows) {
        if (rows == null || rows.isEmpty()) {
            return "none";
        }
        Map<String, Long> sorted = new TreeMap<>(rows);
        long sum = sorted.values().stream().mapToLong(Long::longValue).sum();
        return String.format(Locale.ROOT, "%,d in %d table(s): ", sum, sorted.size()) + sorted.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %,d", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static String snapshotText(SyncSpec s) {
        return switch (s.snapshotMode()) {
            case ROLLING -> "rolling snapshot " + s.snapshotName();
            case NEW -> "new snapshot " + s.snapshotName() + "-<time>";
            case EXISTING -> "existing snapshot " + s.snapshotName();
            case LATEST_AUTOMATED -> "latest automated snapshot";
        };
    }

    private static String keepText(SyncSpec s) {
        if (!s.preserveRows()) {
            return "no rows (preserveRows: false)" + (s.preserveColumns().isEmpty() ? ""
                    : "; " + s.preserveColumns().size() + " preserved column(s)");
        }
        String tables = s.preserveTables().isEmpty() ? "every table with an integer AUTO_INCREMENT key"
                : s.preserveTables().stream().map(Object::toString).collect(Collectors.joining(", "));
        String dbs = s.databases().isEmpty() ? "all schemas" : String.join(", ", s.databases());
        return String.format(Locale.ROOT, "rows with key >= %,d in %s (%s)", s.offset(), tables, dbs)
                + (s.preserveColumns().isEmpty() ? "" : "; columns " + s.preserveColumns().stream()
                        .map(Object::toString).collect(Collectors.joining(", ")));
    }

    private String label(StageName stage) {
        Integer n = numbers.get(stage);
        return n == null ? stage.title() : n + "/" + (total > 0 ? total : "?") + " " + stage.title();
    }

    private void line(StageName stage, String message) {
        String prefix = LocalTime.ofInstant(clock.instant(), zone).format(TIME) + " ["
                + (stage == null ? RUN_PREFIX : label(stage)) + "] ";
        String text = message == null ? "" : message;
        for (String l : text.split("\\R", -1)) {
            out.println(prefix + l);
        }
        out.flush();
    }

    private long now() {
        return clock.millis();
    }

    private double elapsed() {
        return (now() - runStart) / 1000.0;
    }

    static String duration(double seconds) {
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long s = Math.round(seconds);
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh %02dm", s / 3600, (s % 3600) / 60);
    }

    private static String nvl(String s) {
        return s == null ? "-" : s;
    }
}
