package io.jenkins.plugins.rdssync.core.db;

import io.jenkins.plugins.rdssync.core.run.Cancellation;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipFile;

/**
 * Loads a preserved-rows file into the (restored) target.
 *
 * <p>Rows go in with {@code LOAD DATA LOCAL INFILE ... IGNORE}, fed from the file's own stream (never from a file
 * the server names; see {@link DbConnector}), or, where the server has {@code local_infile} off, with batched
 * multi-row {@code INSERT IGNORE}. Loading sessions run with {@code FOREIGN_KEY_CHECKS=0} (tables load in any
 * order, several at once) and UTC time zone; each table loads in one transaction. Before loading, the SHA-256 of the
 * file is checked against its sidecar; while loading, each entry's CRC-32 is checked, and a damaged entry rolls its
 * table back. Columns the target no longer has (or has made generated) are dropped with a warning; new columns get
 * their defaults. Triggers of the target fire as for any insert.
 */
public final class PreservedRowsReload {
    private static final int BATCH_ROWS = 1000;
    private static final long CANCEL_CHECK_BYTES = 1 << 20;
    private static final int DUPLICATE_KEY = 1062;

    private final boolean allowLoadData;

    public PreservedRowsReload() {
        this(true);
    }

    /** For tests and benchmarks: {@code false} always uses batched INSERT IGNORE. */
    PreservedRowsReload(boolean allowLoadData) {
        this.allowLoadData = allowLoadData;
    }

    /**
     * Loads every table's rows, keeping rows already there (INSERT IGNORE semantics on the key: running it twice
     * leaves every row exactly once), then checks per table that at least the file's rows have {@code key >=
     * offset}.
     *
     * @param parallelism tables loaded at the same time (at least 1)
     * @return rows inserted per table ({@code schema.table}); rows already present are not counted
     * @throws DbException when the file is damaged, a load fails, or a table holds fewer rows with {@code key >=
     *         offset} than the file (rows refused by a unique key production already uses), with exact figures
     */
    public Map<String, Long> reload(DbConnector connector, DbAddress at, Path file, DbProgress progress,
            Cancellation cancellation, int parallelism) throws DbException {
        return load(connector, at, file, progress, cancellation, parallelism, false);
    }

    /**
     * The last catch-up before a switch: per table, in one transaction, removes the rows with {@code key >= offset}
     * and loads the file's rows, so that the target ends with exactly the file's preserved rows (rows gone from the
     * file are gone, changed rows are changed). Checks the counts are equal afterwards.
     *
     * @return rows loaded per table
     */
    public Map<String, Long> replaceRange(DbConnector connector, DbAddress at, Path file, DbProgress progress,
            Cancellation cancellation, int parallelism) throws DbException {
        return load(connector, at, file, progress, cancellation, parallelism, true);
    }

    private Map<String, Long> load(DbConnector connector, DbAddress at, Path file, DbProgress unsynchronized,
            Cancellation cancellation, int parallelism, boolean replace) throws DbException {
        long t0 = System.nanoTime();
        DbProgress progress = serialized(unsynchronized);
        // the checksum now; each entry's CRC-32 as it is loaded (a damaged entry rolls its table back)
        String sha = PreservedRowsFile.checkSum(file);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            FileManifest m = PreservedRowsFile.manifest(zip, file);
            long fileRows = m.rowCounts().values().stream().mapToLong(Long::longValue).sum();
            progress.log("Preserved-rows file " + file.getFileName() + " checked (" + Sql.count(fileRows)
                    + " rows of " + m.tables.size() + " tables, SHA-256 " + sha.substring(0, 12) + "...)");
            AtomicBoolean warnedNoInfile = new AtomicBoolean();
            List<FileManifest.TableEntry> order = new ArrayList<>(m.tables);
            order.sort(Comparator.comparingLong(FileManifest.TableEntry::rows).reversed());
            int threads = Math.max(1, Math.min(parallelism, order.size()));
            Map<String, Long> loaded = Collections.synchronizedMap(new LinkedHashMap<>());
            Map<String, Long> present = Collections.synchronizedMap(new LinkedHashMap<>());
            AtomicBoolean failed = new AtomicBoolean();
            AtomicInteger done = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                Thread th = new Thread(r, "rds-sync-reload");
                th.setDaemon(true);
                return th;
            });
            List<Future<?>> futures = new ArrayList<>();
            // each worker keeps its loading connection for the tables it takes, biggest first
            ConcurrentLinkedQueue<FileManifest.TableEntry> queue = new ConcurrentLinkedQueue<>(order);
            try {
                for (int w = 0; w < threads; w++) {
                    futures.add(pool.submit(() -> {
                        try (LoadSession session = new LoadSession(connector, at)) {
                            FileManifest.TableEntry t;
                            while (!failed.get() && (t = queue.poll()) != null) {
                                try {
                                    TableLoad r = loadTable(session, zip, m.offset, t, replace, warnedNoInfile,
                                            progress, cancellation);
                                    loaded.put(t.qualified(), r.loaded);
                                    present.put(t.qualified(), r.presentAfter);
                                    int d = done.incrementAndGet();
                                    progress.progress((replace ? "replacing preserved rows: "
                                            : "reloading preserved rows: ") + d + "/" + order.size() + " tables",
                                            100 * d / order.size());
                                } catch (Exception | Error e) {
                                    failed.set(true);
                                    throw e;
                                }
                            }
                        }
                        return null;
                    }));
                }
                DbException first = null;
                RuntimeException firstRuntime = null;
                for (Future<?> f : futures) {
                    try {
                        f.get();
                    } catch (ExecutionException e) {
                        Throwable c = e.getCause();
                        if (c instanceof DbException d && first == null) {
                            first = d;
                        } else if (c instanceof RuntimeException r && firstRuntime == null) {
                            firstRuntime = r;
                        } else if (c instanceof Error err) {
                            throw err;
                        } else if (first == null && !(c instanceof DbException) && !(c instanceof RuntimeException)) {
                            first = new DbException(null, "loading preserved rows failed: " + c, c);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new DbException(null, "interrupted while loading preserved rows", e);
                    }
                }
                if (firstRuntime instanceof Cancellation.CancelledException) {
                    throw firstRuntime;
                }
                if (first != null) {
                    throw first;
                }
                if (firstRuntime != null) {
                    throw firstRuntime;
                }
            } finally {
                pool.shutdownNow();
            }
            // every table: at least (reload) or exactly (replace) the file's rows at or above the offset
            List<String> short_ = new ArrayList<>();
            for (FileManifest.TableEntry t : m.tables) {
                long have = present.get(t.qualified());
                if (replace ? have != t.rows() : have < t.rows()) {
                    short_.add(t.qualified() + ": file has " + Sql.count(t.rows()) + " rows, target has "
                            + Sql.count(have) + " rows with " + t.key() + " >= " + m.offset);
                }
            }
            if (!short_.isEmpty()) {
                throw new DbException(null, "preserved rows are missing after " + (replace ? "replacing" : "reloading")
                        + ": " + String.join("; ", short_) + " (rows refused by a unique key already used by"
                        + " production data, or changed by a trigger?)");
            }
            long total = loaded.values().stream().mapToLong(Long::longValue).sum();
            long took = System.nanoTime() - t0;
            progress.log((replace ? "Replaced" : "Reloaded") + " preserved rows of " + m.tables.size() + " tables: "
                    + Sql.count(total) + " rows loaded" + (replace ? "" : " (" + Sql.count(fileRows - total)
                            + " already there)") + " in " + Sql.seconds(took) + Sql.rate(total, took)
                    + (warnedNoInfile.get() || !allowLoadData ? " [INSERT IGNORE]" : ""));
            Map<String, Long> out = new LinkedHashMap<>();
            for (FileManifest.TableEntry t : m.tables) {
                out.put(t.qualified(), loaded.get(t.qualified()));
            }
            return out;
        } catch (IOException e) {
            throw new DbException(null, "cannot read the preserved-rows file " + file + ": " + e, e);
        }
    }

    private record TableLoad(long loaded, long presentAfter) {
    }

    /**
     * A worker's loading connection, opened when its first table starts and kept for the next ones (one connection
     * per worker, not per table: on a remote server each new TLS login costs a round trip or three). After a failure
     * it is dropped, since it may be in the middle of a statement.
     */
    private final class LoadSession implements AutoCloseable {
        private final DbConnector connector;
        private final DbAddress at;
        private Connection connection;
        private boolean loadData;

        LoadSession(DbConnector connector, DbAddress at) {
            this.connector = connector;
            this.at = at;
        }

        Connection connection(AtomicBoolean warnedNoInfile, DbProgress progress) throws SQLException {
            if (connection == null) {
                Connection c = allowLoadData ? connector.openForLoading(at) : connector.open(at, null);
                try {
                    Sql.loadSession(c);
                    loadData = allowLoadData && serverAllowsLocalInfile(c);
                } catch (SQLException | RuntimeException e) {
                    closeQuietly(c);
                    throw e;
                }
                connection = c;
                if (allowLoadData && !loadData && warnedNoInfile.compareAndSet(false, true)) {
                    progress.warn("the server has local_infile = OFF, so preserved rows are loaded with batched"
                            + " INSERT IGNORE (slower); set local_infile = 1 in the DB parameter group for LOAD DATA"
                            + " speed");
                }
            }
            return connection;
        }

        boolean loadData() {
            return loadData;
        }

        void discard() {
            closeQuietly(connection);
            connection = null;
        }

        @Override
        public void close() {
            discard();
        }

        private static void closeQuietly(Connection c) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException e) {
                    // closing after a failure: nothing more to do
                }
            }
        }
    }

    private TableLoad loadTable(LoadSession session, ZipFile zip, long offset, FileManifest.TableEntry t,
            boolean replace, AtomicBoolean warnedNoInfile, DbProgress progress, Cancellation cancellation)
            throws DbException {
        if (cancellation != null) {
            cancellation.check();
        }
        long t0 = System.nanoTime();
        boolean ok = false;
        try {
            Connection c = session.connection(warnedNoInfile, progress);
            boolean loadData = session.loadData();
            List<ColumnMeta> target = Catalog.columns(c, t.schema(), t.table());
            if (target.isEmpty()) {
                throw new DbException(null, "table " + t.qualified() + " does not exist on the target; the file has "
                        + Sql.count(t.rows()) + " rows for it (was it dropped by a migration or a post-SQL file?)");
            }
            Mapping map = Mapping.of(t, target, progress);
            String countSql = "SELECT COUNT(*) FROM " + Sql.id(t.schema(), t.table()) + " WHERE "
                    + Sql.id(map.key) + " >= " + offset;
            c.setAutoCommit(false);
            long loaded;
            long removed = 0;
            long dupes;
            List<String> warnings = new ArrayList<>();
            Feed feed = null;
            try {
                long before = replace || loadData ? 0 : Sql.queryLong(c, countSql);
                if (replace) {
                    try (Statement s = c.createStatement()) {
                        removed = s.executeLargeUpdate("DELETE FROM " + Sql.id(t.schema(), t.table()) + " WHERE "
                                + Sql.id(map.key) + " >= " + offset);
                    }
                }
                try (InputStream raw = PreservedRowsFile.open(zip, t.entry());
                        Feed in = new Feed(raw, cancellation)) {
                    feed = in;
                    if (loadData) {
                        loaded = loadData(c, t, map, in, warnings);
                    } else {
                        insertIgnore(c, t, map, in, cancellation);
                        loaded = Sql.queryLong(c, countSql) - before;
                    }
                }
                if (cancellation != null) {
                    cancellation.check();
                }
                c.commit();
                dupes = Math.max(0, t.rows() - loaded);
            } catch (SQLException | IOException | RuntimeException e) {
                rollback(c);
                if (cancellation != null && cancellation.isCancelled()) {
                    cancellation.check();
                }
                if (feed != null && feed.failure != null && feed.failure != e) {
                    // the driver reports a broken stream as a lost connection: say what really happened
                    throw new DbException(null, "cannot read the rows of " + t.qualified() + " from the"
                            + " preserved-rows file (" + feed.failure.getMessage() + "); the load of " + t.qualified()
                            + " was rolled back", feed.failure);
                }
                throw e;
            } finally {
                restoreAutoCommit(c);
            }
            long after = Sql.queryLong(c, countSql);
            long took = System.nanoTime() - t0;
            progress.log(t.qualified() + ": " + Sql.count(loaded) + " of " + Sql.count(t.rows()) + " rows loaded"
                    + (replace ? " (replacing " + Sql.count(removed) + " rows)" : dupes > 0 ? " (" + Sql.count(dupes)
                            + " already there)" : "") + " in " + Sql.seconds(took) + Sql.rate(loaded, took) + "; "
                    + Sql.count(after) + " rows with " + map.key + " >= " + offset);
            for (String w : warnings) {
                progress.warn(t.qualified() + ": " + w);
            }
            ok = true;
            return new TableLoad(loaded, after);
        } catch (SQLException e) {
            throw new DbException(null, "cannot load the preserved rows of " + t.qualified() + ": "
                    + session.connector.clean(e.getMessage()), e);
        } catch (IOException e) {
            throw new DbException(null, "cannot read the rows of " + t.qualified() + " from the preserved-rows file: "
                    + e.getMessage(), e);
        } finally {
            if (!ok) {
                session.discard();
            }
        }
    }

    /** LOAD DATA LOCAL from the entry stream; returns rows inserted and collects warnings other than duplicates. */
    private static long loadData(Connection c, FileManifest.TableEntry t, Mapping map, InputStream in,
            List<String> warnings) throws SQLException {
        StringBuilder sql = new StringBuilder("LOAD DATA LOCAL INFILE 'rds-sync-preserved-rows' IGNORE INTO TABLE ")
                .append(Sql.id(t.schema(), t.table()))
                .append(" CHARACTER SET binary FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\'")
                .append(" LINES TERMINATED BY '\\n' (");
        List<String> sets = new ArrayList<>();
        for (int i = 0; i < map.fileColumns.size(); i++) {
            ColumnMeta dst = map.targets.get(i);
            sql.append(i == 0 ? "" : ", ");
            if (dst == null) {
                sql.append("@rds_sync_skip");
            } else if (map.exprs.get(i).equals("?")) {
                sql.append(Sql.id(dst.name()));
            } else {
                String var = "@rds_sync_v" + i;
                sql.append(var);
                sets.add(Sql.id(dst.name()) + " = " + map.exprs.get(i).replace("?", var));
            }
        }
        sql.append(')');
        if (!sets.isEmpty()) {
            sql.append(" SET ").append(String.join(", ", sets));
        }
        long n;
        try (Statement s = c.createStatement()) {
            s.setEscapeProcessing(false);
            DbConnector.setLoadStream(s, in);
            try {
                n = s.executeLargeUpdate(sql.toString());
            } finally {
                DbConnector.setLoadStream(s, null);
            }
            warnings.addAll(warnings(s));
        }
        return n;
    }

    /** Warnings of the last statement other than duplicate keys (the IGNORE at work), at most a few. */
    private static List<String> warnings(Statement s) throws SQLException {
        List<String> out = new ArrayList<>();
        int other = 0;
        try (ResultSet rs = s.executeQuery("SHOW WARNINGS LIMIT 50")) {
            while (rs.next()) {
                if (rs.getInt(2) == DUPLICATE_KEY) {
                    continue;
                }
                if (out.size() < 5) {
                    out.add(rs.getString(1) + " " + rs.getInt(2) + ": " + rs.getString(3));
                } else {
                    other++;
                }
            }
        }
        if (other > 0) {
            out.add("... and more warnings");
        }
        return out;
    }

    /** Batched multi-row INSERT IGNORE (Connector/J rewrites the batch into multi-row statements). */
    static void insertIgnore(Connection c, FileManifest.TableEntry t, Mapping map, InputStream in,
            Cancellation cancellation) throws SQLException, IOException {
        StringBuilder cols = new StringBuilder();
        StringBuilder vals = new StringBuilder();
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < map.fileColumns.size(); i++) {
            ColumnMeta dst = map.targets.get(i);
            if (dst == null) {
                continue;
            }
            cols.append(idx.isEmpty() ? "" : ", ").append(Sql.id(dst.name()));
            vals.append(idx.isEmpty() ? "" : ", ").append(map.exprs.get(i));
            idx.add(i);
        }
        String sql = "INSERT IGNORE INTO " + Sql.id(t.schema(), t.table()) + " (" + cols + ") VALUES (" + vals + ")";
        RowCodec.Reader r = new RowCodec.Reader(in);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int batch = 0;
            byte[][] row;
            while ((row = r.next()) != null) {
                if (row.length != map.fileColumns.size()) {
                    throw new IOException(t.entry() + " has a row with " + row.length + " fields, expected "
                            + map.fileColumns.size());
                }
                for (int p = 0; p < idx.size(); p++) {
                    byte[] v = row[idx.get(p)];
                    if (v == null) {
                        ps.setNull(p + 1, Types.VARBINARY);
                    } else {
                        ps.setBytes(p + 1, v);
                    }
                }
                ps.addBatch();
                if (++batch == BATCH_ROWS) {
                    ps.executeBatch();
                    batch = 0;
                    if (cancellation != null) {
                        cancellation.check();
                    }
                }
            }
            if (batch > 0) {
                ps.executeBatch();
            }
        }
    }

    /**
     * Re-applies the preserved column values ({@code UPDATE t SET col = ? WHERE key = ?}, batched, one transaction
     * per column).
     *
     * @return rows updated (rows found by key, whether or not the value changed)
     */
    public int restoreColumns(DbConnector connector, DbAddress at, Path file, DbProgress progress)
            throws DbException {
        PreservedRowsFile.checkSum(file);
        long total = 0;
        try (ZipFile zip = new ZipFile(file.toFile()); Connection c = connector.open(at, null)) {
            FileManifest m = PreservedRowsFile.manifest(zip, file);
            Sql.loadSession(c);
            for (FileManifest.ColumnEntry e : m.columns) {
                long t0 = System.nanoTime();
                List<ColumnMeta> cols = Catalog.columns(c, e.schema(), e.table());
                ColumnMeta km = Catalog.column(cols, e.key());
                ColumnMeta vm = Catalog.column(cols, e.column());
                if (km == null || vm == null || vm.generated()) {
                    progress.warn(e.qualified() + ": " + (km == null ? "key " + e.key() : "column " + e.column())
                            + " does not exist on the target (or is generated); " + Sql.count(e.values())
                            + " kept values not restored");
                    continue;
                }
                String valueExpr = e.valueMeta().kind() == ColumnMeta.Kind.BIT && vm.kind() != ColumnMeta.Kind.BIT
                        ? "?" : vm.valueExpression("?");
                boolean intKey = km.isInteger();
                String sql = "UPDATE " + Sql.id(e.schema(), e.table()) + " SET " + Sql.id(vm.name()) + " = "
                        + valueExpr + " WHERE " + Sql.id(km.name()) + " = " + (intKey ? "?" : km.keyExpression("?"));
                long updated = 0;
                c.setAutoCommit(false);
                try (InputStream in = PreservedRowsFile.open(zip, e.entry());
                        PreparedStatement ps = c.prepareStatement(sql)) {
                    RowCodec.Reader r = new RowCodec.Reader(in);
                    byte[][] row;
                    int batch = 0;
                    while ((row = r.next()) != null) {
                        if (row.length != 2 || row[0] == null) {
                            throw new IOException(e.entry() + " has a malformed line");
                        }
                        if (row[1] == null) {
                            ps.setNull(1, Types.VARBINARY);
                        } else {
                            ps.setBytes(1, row[1]);
                        }
                        if (intKey) {
                            ps.setBigDecimal(2, new BigDecimal(new String(row[0], StandardCharsets.US_ASCII)));
                        } else {
                            ps.setBytes(2, row[0]);
                        }
                        ps.addBatch();
                        if (++batch == BATCH_ROWS) {
                            updated += sum(ps.executeBatch());
                            batch = 0;
                        }
                    }
                    if (batch > 0) {
                        updated += sum(ps.executeBatch());
                    }
                    c.commit();
                } catch (SQLException | IOException | RuntimeException ex) {
                    rollback(c);
                    throw ex;
                } finally {
                    restoreAutoCommit(c);
                }
                total += updated;
                progress.log(e.qualified() + ": " + Sql.count(updated) + " of " + Sql.count(e.values())
                        + " kept values restored (" + Sql.seconds(System.nanoTime() - t0) + ")"
                        + (updated < e.values() ? "; the other rows are gone from the target" : ""));
            }
        } catch (SQLException e) {
            throw new DbException(null, "cannot restore the preserved column values: "
                    + connector.clean(e.getMessage()), e);
        } catch (IOException e) {
            throw new DbException(null, "cannot read the preserved-rows file " + file + ": " + e, e);
        }
        return (int) Math.min(Integer.MAX_VALUE, total);
    }

    private static long sum(int[] counts) {
        long s = 0;
        for (int n : counts) {
            if (n > 0) {
                s += n;
            }
        }
        return s;
    }

    /** Tables load in several threads; the listener gets one call at a time. */
    private static DbProgress serialized(DbProgress p) {
        return new DbProgress() {
            @Override
            public synchronized void log(String line) {
                p.log(line);
            }

            @Override
            public synchronized void warn(String line) {
                p.warn(line);
            }

            @Override
            public synchronized void progress(String message, int percent) {
                p.progress(message, percent);
            }
        };
    }

    /** After a failure the connection may be broken; that must not hide the failure. */
    private static void restoreAutoCommit(Connection c) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException e) {
            // the connection is closed next
        }
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            // the connection is closed next
        }
    }

    /** Is {@code LOAD DATA LOCAL} enabled on the server ({@code local_infile})? */
    private static boolean serverAllowsLocalInfile(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@GLOBAL.local_infile")) {
            return rs.next() && rs.getInt(1) == 1;
        }
    }

    /** How the file's columns map onto the target table's columns. */
    static final class Mapping {
        final List<ColumnMeta> fileColumns;
        /** Target column per file column; null = not on the target (or generated there): the value is dropped. */
        final List<ColumnMeta> targets = new ArrayList<>();
        /** Value expression per file column, {@code ?} standing for the value. */
        final List<String> exprs = new ArrayList<>();
        String key;

        private Mapping(List<ColumnMeta> fileColumns) {
            this.fileColumns = fileColumns;
        }

        static Mapping of(FileManifest.TableEntry t, List<ColumnMeta> target, DbProgress progress)
                throws DbException {
            Mapping m = new Mapping(t.columns());
            List<String> dropped = new ArrayList<>();
            for (ColumnMeta src : t.columns()) {
                ColumnMeta dst = Catalog.column(target, src.name());
                if (dst == null || dst.generated()) {
                    m.targets.add(null);
                    m.exprs.add("?");
                    dropped.add(src.name());
                    continue;
                }
                m.targets.add(dst);
                String expr;
                if (dst.kind() == ColumnMeta.Kind.BIT) {
                    expr = src.kind() == ColumnMeta.Kind.BIT ? "CAST(? AS UNSIGNED)" : "?";
                } else if (dst.kind() == ColumnMeta.Kind.JSON) {
                    expr = "CONVERT(? USING utf8mb4)";
                } else {
                    expr = "?";
                }
                m.exprs.add(expr);
                if (src.name().equalsIgnoreCase(t.key())) {
                    m.key = dst.name();
                }
            }
            if (m.key == null) {
                throw new DbException(null, "table " + t.qualified() + " on the target has no column " + t.key()
                        + ", the key of its preserved rows");
            }
            if (!dropped.isEmpty()) {
                progress.warn(t.qualified() + ": the target has no column " + String.join(", ", dropped)
                        + " (or it is generated there); those values of the preserved rows are dropped");
            }
            List<String> missing = new ArrayList<>();
            for (ColumnMeta dst : target) {
                if (!dst.generated() && Catalog.column(t.columns(), dst.name()) == null) {
                    missing.add(dst.name());
                }
            }
            if (!missing.isEmpty()) {
                progress.log(t.qualified() + ": columns " + String.join(", ", missing)
                        + " are new on the target; preserved rows get their defaults");
            }
            return m;
        }
    }

    /** The stream feeding a load: stops when the run is cancelled, and remembers why it failed. */
    private static final class Feed extends FilterInputStream {
        private final Cancellation cancellation;
        private long sinceCheck;
        IOException failure;

        Feed(InputStream in, Cancellation cancellation) {
            super(in);
            this.cancellation = cancellation;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                int n = super.read(b, off, len);
                sinceCheck += Math.max(0, n);
                if (sinceCheck >= CANCEL_CHECK_BYTES) {
                    sinceCheck = 0;
                    if (cancellation != null && cancellation.isCancelled()) {
                        throw new IOException("cancelled: " + cancellation.reason());
                    }
                }
                return n;
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                }
                throw e;
            }
        }
    }
}
