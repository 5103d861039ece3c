package io.jenkins.plugins.rdssync.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** The summary tables, in Markdown, as docs/performance.md shows them. */
final class Report {
    /** The engine must be within this factor of the bulk-load limit. */
    static final double LIMIT_TARGET = 1.15;
    /** ... and at most this fraction of the original method's time. */
    static final double ORIGINAL_TARGET = 0.75;

    private Report() {
    }

    static void rows(List<PreservedRowsBench.Result> results, PrintStream out) {
        out.println();
        out.println("## Preserved rows: backup + reload (best of runs)");
        out.println();
        out.println("| rows | payload | method | time | read old + load restored | rows/s | engine ÷ this |");
        out.println("|---:|---:|---|---:|---:|---:|---:|");
        for (PreservedRowsBench.Result r : results) {
            for (PreservedRowsBench.Method m : List.of(r.original, r.limit, r.limitParallel, r.engine)) {
                out.println(String.format(Locale.ROOT, "| %,d | %.1f MB | %s: %s | %.2f s | %.2f + %.2f s | %s | %s |",
                        r.rows, r.payloadBytes / 1e6, m.name, m.how, m.best / 1e9, m.bestRead / 1e9,
                        m.bestLoad / 1e9, PreservedRowsBench.rate(r.rows, m.best),
                        m == r.engine ? "" : String.format(Locale.ROOT, "%.2f", (double) r.engine.best / m.best)));
            }
        }
        out.println();
        out.println("| rows | engine ÷ original (target ≤ " + ORIGINAL_TARGET + ") | engine ÷ bulk-load limit (target ≤ "
                + LIMIT_TARGET + ") | engine ÷ bulk-load limit, same parallelism | engine live heap: peak (growth) |"
                + " engine client CPU | files: engine ZIP / mariadb-dump | rows byte-identical after every round trip"
                + " |");
        out.println("|---:|---:|---:|---:|---:|---:|---:|---|");
        for (PreservedRowsBench.Result r : results) {
            double vsOriginal = (double) r.engine.best / r.original.best;
            double vsLimit = (double) r.engine.best / r.limit.best;
            double vsParallel = (double) r.engine.best / r.limitParallel.best;
            out.println(String.format(Locale.ROOT, "| %,d | %.2f %s | %.2f %s | %.2f %s | %.1f MiB (+%.1f MiB) |"
                    + " %.2f s | %.1f MB / %.1f MB | %s |", r.rows, vsOriginal, vsOriginal <= ORIGINAL_TARGET ? "met"
                    : "NOT MET", vsLimit, vsLimit <= LIMIT_TARGET ? "met" : "NOT MET", vsParallel,
                    vsParallel <= LIMIT_TARGET ? "within 1.15" : "over 1.15", r.heapPeak / 1048576.0,
                    r.heapGrowth / 1048576.0, r.engineCpu / 1e9, r.fileBytes / 1e6, r.dumpBytes / 1e6,
                    r.identical ? "yes" : "NO"));
        }
        if (results.size() > 1) {
            PreservedRowsBench.Result a = results.get(0);
            PreservedRowsBench.Result b = results.get(results.size() - 1);
            out.println();
            out.println(String.format(Locale.ROOT, "Engine heap growth %,d rows: %.1f MiB; %,d rows: %.1f MiB (%s)",
                    a.rows, a.heapGrowth / 1048576.0, b.rows, b.heapGrowth / 1048576.0,
                    b.heapGrowth <= Math.max(a.heapGrowth * 2, 16L << 20) ? "flat: independent of the row count"
                            : "GROWS WITH THE ROWS"));
        }
    }

    static void downtime(DowntimeBench.Result r, PrintStream out) {
        r.print(out);
    }
}
