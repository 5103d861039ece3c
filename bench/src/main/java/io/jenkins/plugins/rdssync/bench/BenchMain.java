package io.jenkins.plugins.rdssync.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark command (see docs/performance.md):
 *
 * <pre>
 * bench/run.sh [rows [N ...]] [downtime] [--reps R] [--work DIR] [-v]
 * </pre>
 *
 * {@code rows} (default 100000 1000000) times preserved rows: engine, original method, bulk-load limit.
 * {@code downtime} runs the real engine on the RDS emulator with AWS-like durations: swap against replace, Describe
 * calls per waited minute, five syncs at once against the emulator's throttling. No argument runs both.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        List<Long> rows = new ArrayList<>();
        boolean doRows = false;
        boolean doDowntime = false;
        int reps = 3;
        boolean verbose = false;
        Path work = Path.of("bench", "target", "bench-work");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "rows" -> doRows = true;
                case "downtime" -> doDowntime = true;
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                case "-v", "--verbose" -> verbose = true;
                case "-h", "--help" -> {
                    System.out.println("usage: bench/run.sh [rows [N ...]] [downtime] [--reps R] [--work DIR] [-v]");
                    return;
                }
                default -> {
                    if (a.matches("[0-9_kKmM]+")) {
                        rows.add(parseCount(a));
                        doRows = true;
                    } else {
                        System.err.println("unknown argument " + a + " (try --help)");
                        System.exit(2);
                    }
                }
            }
        }
        if (!doRows && !doDowntime) {
            doRows = true;
            doDowntime = true;
        }
        if (rows.isEmpty()) {
            rows = List.of(100_000L, 1_000_000L);
        }
        Files.createDirectories(work);
        work = work.toAbsolutePath();
        System.out.println(Machine.describe());
        System.out.println("best of " + reps + " runs per figure");
        if (doRows) {
            List<PreservedRowsBench.Result> results = new PreservedRowsBench(work, reps, verbose,
                    System.out::println).run(rows);
            Report.rows(results, System.out);
        }
        if (doDowntime) {
            DowntimeBench.Result result = new DowntimeBench(work, reps, verbose, System.out::println).run();
            Report.downtime(result, System.out);
        }
        System.out.println(String.format(Locale.ROOT, "%nload average at the end: %s", Machine.loadAverage()));
    }

    static long parseCount(String s) {
        String t = s.replace("_", "").toLowerCase(Locale.ROOT);
        long mult = 1;
        if (t.endsWith("k")) {
            mult = 1_000;
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            mult = 1_000_000;
            t = t.substring(0, t.length() - 1);
        }
        return Long.parseLong(t) * mult;
    }
}
