package io.jenkins.plugins.rdssync.bench;

import io.jenkins.plugins.rdssync.core.EngineOptions;
import io.jenkins.plugins.rdssync.core.db.BackupManifest;
import io.jenkins.plugins.rdssync.core.db.DbException;
import io.jenkins.plugins.rdssync.core.db.DbProgress;
import io.jenkins.plugins.rdssync.core.db.PreservedRowsBackup;
import io.jenkins.plugins.rdssync.core.db.PreservedRowsReload;
import io.jenkins.plugins.rdssync.core.db.PreservedTable;
import io.jenkins.plugins.rdssync.core.run.Cancellation;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Preserved rows: the engine's backup + reload against the original toolkit's method ({@code mariadb-dump --where
 * --insert-ignore} per table, then the {@code mariadb} client) and against the bulk-load limit ({@code SELECT ...
 * INTO OUTFILE} on the old server, {@code LOAD DATA INFILE} on the new one, no client in between), on the same rows
 * in the same run. Two embedded MariaDB servers play the old acceptance instance (production rows plus the preserved
 * rows) and the restored one (production rows only); before every timed load the restored one is rebuilt. After
 * every load the preserved rows on the restored server are compared byte for byte with the old server's.
 */
final class PreservedRowsBench {
    private final Path work;
    private final int reps;
    private final boolean verbose;
    private final PrintStreamOut out;

    PreservedRowsBench(Path work, int reps, boolean verbose, PrintStreamOut out) {
        this.work = work;
        this.reps = reps;
        this.verbose = verbose;
        this.out = out;
    }

    /** What one method took, best of the repetitions. */
    static final class Method {
        final String name;
        final String how;
        long best = Long.MAX_VALUE;
        /** The two halves (read the old server / load the restored one) of the best run. */
        long bestRead;
        long bestLoad;
        final List<Long> all = new ArrayList<>();

        Method(String name, String how) {
            this.name = name;
            this.how = how;
        }

        void add(long read, long load) {
            all.add(read + load);
            if (read + load < best) {
                best = read + load;
                bestRead = read;
                bestLoad = load;
            }
        }
    }

    /** The figures of one row count. */
    static final class Result {
        long rows;
        long payloadBytes;
        long fileBytes;
        long dumpBytes;
        Method original;
        Method limit;
        Method limitParallel;
        Method engine;
        long heapGrowth;
        long heapSamples;
        /** CPU time of this JVM (the engine's client side) during the engine's best run. */
        long engineCpu;
        long heapPeak;
        boolean identical = true;
        int parallelism;
    }

    List<Result> run(List<Long> rowCounts) throws Exception {
        Path files = work.resolve("files");
        List<Result> results = new ArrayList<>();
        try (BenchDb old = BenchDb.start("old", work, files); BenchDb restored = BenchDb.start("restored", work, files)) {
            out.line("MariaDB servers up: old acceptance on port " + old.port() + ", restored instance on port "
                    + restored.port() + " (" + version(old) + ")");
            for (long n : rowCounts) {
                results.add(one(old, restored, n));
            }
        }
        return results;
    }

    private Result one(BenchDb old, BenchDb restored, long rows) throws Exception {
        Result r = new Result();
        r.rows = rows;
        r.parallelism = EngineOptions.DEFAULT.reloadParallelism();
        Map<String, Long> split = BenchSchema.split(rows);
        long t0 = System.nanoTime();
        try (Connection c = old.connect()) {
            BenchSchema.production(c);
            BenchSchema.preserved(c, split);
        }
        out.line(String.format(Locale.ROOT, "%n== %,d preserved rows in %d tables (%s) — filled in %.1f s", rows,
                split.size(), split.values().toString(), (System.nanoTime() - t0) / 1e9));
        Map<String, String> expected = digests(old);
        r.original = new Method("original", "mariadb-dump --where --insert-ignore per table + mariadb client");
        r.limit = new Method("bulk-load limit", "SELECT … INTO OUTFILE + LOAD DATA INFILE, server side, one"
                + " table after the other");
        r.limitParallel = new Method("bulk-load limit ×" + r.parallelism, "the same, loading " + r.parallelism
                + " tables at once (as the engine's reload does)");
        r.engine = new Method("engine", "PreservedRowsBackup + PreservedRowsReload, " + r.parallelism
                + " tables at once");
        for (int rep = 1; rep <= reps; rep++) {
            // rotate the order, so that no method always runs right after the fill or another method
            List<Method> order = List.of(r.original, r.limit, r.engine, r.limitParallel);
            for (int k = 0; k < order.size(); k++) {
                Method m = order.get((k + rep - 1) % order.size());
                restore(restored);
                settle(old);
                settle(restored);
                long[] parts;
                if (m == r.original) {
                    parts = original(old, restored, r);
                } else if (m == r.limit) {
                    parts = limit(old, restored, 1);
                } else if (m == r.limitParallel) {
                    parts = limit(old, restored, r.parallelism);
                } else {
                    parts = engine(old, restored, r);
                }
                m.add(parts[0], parts[1]);
                long took = parts[0] + parts[1];
                Map<String, String> actual = digests(restored);
                boolean same = actual.equals(expected);
                r.identical &= same;
                out.line(String.format(Locale.ROOT, "   run %d  %-18s %6.2f s (%5.2f + %5.2f) %9s rows/s%s", rep,
                        m.name, took / 1e9, parts[0] / 1e9, parts[1] / 1e9, rate(rows, took), same ? "  rows byte-identical" : "  ROWS DIFFER: "
                                + diff(expected, actual)));
            }
        }
        // untimed: the engine once more, collecting garbage every 50 ms to see what it keeps alive
        restore(restored);
        engine(old, restored, r, true);
        boolean same = digests(restored).equals(expected);
        r.identical &= same;
        out.line(String.format(Locale.ROOT, "   untimed engine run for the live heap: peak %.1f MiB, growth %.1f MiB"
                + " over %d samples%s", r.heapPeak / 1048576.0, r.heapGrowth / 1048576.0, r.heapSamples,
                same ? ", rows byte-identical" : ", ROWS DIFFER"));
        return r;
    }

    /** The restored instance: the schema with production rows only (what a restore of production gives). */
    private static void restore(BenchDb restored) throws SQLException {
        try (Connection c = restored.connect()) {
            BenchSchema.production(c);
        }
    }

    /** Lets InnoDB write out what the previous step left dirty, so that it does not slow the next step. */
    private static void settle(BenchDb db) throws SQLException, InterruptedException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("SET GLOBAL innodb_max_dirty_pages_pct = 0");
            long until = System.nanoTime() + 30_000_000_000L;
            while (System.nanoTime() < until) {
                try (ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'")) {
                    if (!rs.next() || rs.getLong(2) < 50) {
                        break;
                    }
                }
                Thread.sleep(200);
            }
            s.execute("SET GLOBAL innodb_max_dirty_pages_pct = 90");
        }
    }

    /** The original toolkit: one mariadb-dump per table with --where and --insert-ignore, then mariadb. */
    private long[] original(BenchDb old, BenchDb restored, Result r) throws Exception {
        Path dump = work.resolve("original-dump.sql");
        Files.deleteIfExists(dump);
        Path err = work.resolve("original.err");
        long t0 = System.nanoTime();
        for (BenchSchema.Table t : BenchSchema.TABLES) {
            exec(List.of(old.tool("mariadb-dump").toString(), "-h127.0.0.1", "-P" + old.port(), "-u" + BenchDb.USER,
                    "--skip-ssl", "--single-transaction", "--no-create-info", "--insert-ignore",
                    "--where=id >= " + BenchSchema.OFFSET, BenchSchema.SCHEMA, t.name()),
                    null, ProcessBuilder.Redirect.appendTo(dump.toFile()), err);
        }
        long t1 = System.nanoTime();
        exec(List.of(restored.tool("mariadb").toString(), "-h127.0.0.1", "-P" + restored.port(),
                "-u" + BenchDb.USER, "--skip-ssl", BenchSchema.SCHEMA), dump.toFile(),
                ProcessBuilder.Redirect.DISCARD, err);
        long t2 = System.nanoTime();
        r.dumpBytes = Files.size(dump);
        Files.deleteIfExists(dump);
        return new long[] {t1 - t0, t2 - t1};
    }

    private static void exec(List<String> command, File in, ProcessBuilder.Redirect outTo, Path err)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(outTo)
                .redirectError(ProcessBuilder.Redirect.to(err.toFile()));
        pb.environment().put("MYSQL_PWD", BenchDb.PASSWORD);
        if (in != null) {
            pb.redirectInput(in);
        }
        int rc = pb.start().waitFor();
        if (rc != 0) {
            throw new IOException(command.get(0) + " exited with " + rc + ": " + Files.readString(err));
        }
    }

    /**
     * The bulk-load limit: the old server writes each table's rows to a file (one table after the other, as a
     * consistent read must), then the restored server loads the files, {@code threads} tables at once (biggest
     * first); no client, no network, no checks. Returns the time to write all files and the time to load them.
     */
    private long[] limit(BenchDb old, BenchDb restored, int threads) throws Exception {
        Path dir = old.files();
        for (BenchSchema.Table t : BenchSchema.TABLES) {
            Files.deleteIfExists(dir.resolve(t.name() + ".tsv"));
        }
        List<BenchSchema.Table> order = new ArrayList<>(BenchSchema.TABLES);
        order.sort(java.util.Comparator.comparingDouble(BenchSchema.Table::share).reversed());
        long t0 = System.nanoTime();
        try (Connection a = old.connect(); Statement sa = a.createStatement()) {
            sa.execute("SET SESSION time_zone = '+00:00'");
            sa.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
            for (BenchSchema.Table t : order) {
                outfile(sa, dir, t);
            }
            sa.execute("COMMIT");
        }
        long t1 = System.nanoTime();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            java.util.concurrent.ConcurrentLinkedQueue<BenchSchema.Table> queue =
                    new java.util.concurrent.ConcurrentLinkedQueue<>(order);
            List<java.util.concurrent.Future<Void>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    try (Connection b = restored.connect(); Statement sb = b.createStatement()) {
                        sb.execute("SET SESSION time_zone = '+00:00', SESSION FOREIGN_KEY_CHECKS = 0");
                        BenchSchema.Table t;
                        while ((t = queue.poll()) != null) {
                            load(sb, dir, t);
                        }
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<Void> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long t2 = System.nanoTime();
        for (BenchSchema.Table t : BenchSchema.TABLES) {
            Files.deleteIfExists(dir.resolve(t.name() + ".tsv"));
        }
        return new long[] {t1 - t0, t2 - t1};
    }

    private static void outfile(Statement s, Path dir, BenchSchema.Table t) throws SQLException {
        String f = dir.resolve(t.name() + ".tsv").toAbsolutePath().toString().replace("'", "''");
        s.execute("SELECT " + t.columns() + " INTO OUTFILE '" + f + "' FROM " + BenchSchema.SCHEMA + "." + t.name()
                + " WHERE id >= " + BenchSchema.OFFSET + " ORDER BY id");
    }

    private static void load(Statement s, Path dir, BenchSchema.Table t) throws SQLException {
        String f = dir.resolve(t.name() + ".tsv").toAbsolutePath().toString().replace("'", "''");
        s.execute("LOAD DATA INFILE '" + f + "' IGNORE INTO TABLE " + BenchSchema.SCHEMA + "." + t.name()
                + " CHARACTER SET binary (" + t.columns() + ")");
    }

    /** The engine: backup of the old server to a verified file, reload into the restored one. */
    private long[] engine(BenchDb old, BenchDb restored, Result r) throws Exception {
        return engine(old, restored, r, false);
    }

    /**
     * The engine: backup of the old server to a verified file, reload into the restored one. With {@code measureHeap}
     * an untimed run that samples the live heap throughout.
     */
    private long[] engine(BenchDb old, BenchDb restored, Result r, boolean measureHeap) throws Exception {
        Path file = work.resolve("preserved-rows.zip");
        Files.deleteIfExists(file);
        List<PreservedTable> tables = new ArrayList<>();
        for (BenchSchema.Table t : BenchSchema.TABLES) {
            tables.add(new PreservedTable(BenchSchema.SCHEMA, t.name(), "id"));
        }
        DbProgress progress = new DbProgress() {
            @Override
            public void log(String line) {
                if (verbose) {
                    out.line("      " + line);
                }
            }

            @Override
            public void progress(String message, int percent) {
            }
        };
        long backup;
        long reload;
        BackupManifest m;
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0;
        try (HeapMeter heap = measureHeap ? new HeapMeter() : null) {
            cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            m = new PreservedRowsBackup().write(old.connector(), old.address(), tables, List.of(),
                    BenchSchema.OFFSET, file, progress, new Cancellation());
            backup = System.nanoTime() - t0;
            t0 = System.nanoTime();
            Map<String, Long> loaded = new PreservedRowsReload().reload(restored.connector(), restored.address(),
                    file, progress, new Cancellation(), r.parallelism);
            reload = System.nanoTime() - t0;
            long total = loaded.values().stream().mapToLong(Long::longValue).sum();
            if (total != r.rows || m.totalRows() != r.rows) {
                throw new DbException(null, "the engine moved " + m.totalRows() + " / " + total + " rows, expected "
                        + r.rows);
            }
            if (heap != null) {
                heap.close();
                r.heapGrowth = heap.peakGrowth();
                r.heapPeak = heap.peak();
                r.heapSamples = heap.samples();
                return new long[] {backup, reload};
            }
        }
        if (backup + reload < r.engine.best) {
            r.engineCpu = os.getProcessCpuTime() - cpu0;
        }
        r.fileBytes = Files.size(file);
        long payload = 0;
        try (ZipFile z = new ZipFile(file.toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                if (e.getName().startsWith("rows/")) {
                    payload += e.getSize();
                }
            }
        }
        r.payloadBytes = payload;
        Files.deleteIfExists(file);
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".sha256"));
        return new long[] {backup, reload};
    }

    /** SHA-256 of every preserved row's bytes (values as the server sends them, NULL distinct), per table. */
    private static Map<String, String> digests(BenchDb db) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("SET SESSION time_zone = '+00:00'");
            for (BenchSchema.Table t : BenchSchema.TABLES) {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                long n = 0;
                try (Statement q = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                    q.setFetchSize(Integer.MIN_VALUE);
                    try (ResultSet rs = q.executeQuery("SELECT * FROM " + BenchSchema.SCHEMA + "." + t.name()
                            + " WHERE id >= " + BenchSchema.OFFSET + " ORDER BY id")) {
                        int cols = rs.getMetaData().getColumnCount();
                        ByteBuffer len = ByteBuffer.allocate(4);
                        while (rs.next()) {
                            for (int i = 1; i <= cols; i++) {
                                byte[] v = rs.getBytes(i);
                                len.clear();
                                len.putInt(v == null ? -1 : v.length);
                                md.update(len.array());
                                if (v != null) {
                                    md.update(v);
                                }
                            }
                            n++;
                        }
                    }
                }
                out.put(t.name(), n + ":" + HexFormat.of().formatHex(md.digest()));
            }
        }
        return out;
    }

    private static String diff(Map<String, String> expected, Map<String, String> actual) {
        List<String> d = new ArrayList<>();
        expected.forEach((k, v) -> {
            if (!v.equals(actual.get(k))) {
                d.add(k + " (" + v.split(":")[0] + " rows expected, " + String.valueOf(actual.get(k)).split(":")[0]
                        + " found)");
            }
        });
        return String.join(", ", d);
    }

    private static String version(BenchDb db) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT VERSION()")) {
            rs.next();
            return "MariaDB " + rs.getString(1);
        }
    }

    static String rate(long rows, long nanos) {
        return String.format(Locale.ROOT, "%,.0f", rows / (nanos / 1e9));
    }

    /** Where the benchmark prints. */
    interface PrintStreamOut {
        void line(String s);
    }
}
