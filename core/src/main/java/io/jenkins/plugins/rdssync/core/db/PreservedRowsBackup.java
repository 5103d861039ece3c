package io.jenkins.plugins.rdssync.core.db;

import io.jenkins.plugins.rdssync.core.run.Cancellation;
import io.jenkins.plugins.rdssync.core.spec.ColumnKeep;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.zip.Deflater;
import java.util.zip.ZipOutputStream;

/**
 * Writes the preserved-rows file of a run (see {@link PreservedRowsFile} for the format): every preserved table's
 * rows with {@code key >= offset} and every preserved column's values, read in one consistent snapshot with
 * streaming result sets (memory does not grow with the number of rows). The file is written under a temporary name,
 * flushed to disk, moved to its final name atomically, and then read back and verified before this returns: if
 * anything fails, nothing is left under the final name.
 */
public final class PreservedRowsBackup {
    private static final int CANCEL_CHECK_ROWS = 10_000;

    private final UnaryOperator<OutputStream> fileStreamWrapper;

    public PreservedRowsBackup() {
        this(UnaryOperator.identity());
    }

    /** For tests: wraps the stream to the temporary file (to simulate a full disk). */
    PreservedRowsBackup(UnaryOperator<OutputStream> fileStreamWrapper) {
        this.fileStreamWrapper = fileStreamWrapper;
    }

    /**
     * Backs up, verifies and returns what the file holds.
     *
     * @param columns preserved columns as resolved by {@link SchemaInspector#preservedColumns} (schema and key set)
     * @throws DbException when the database cannot be read or the file cannot be written or verified
     * @throws Cancellation.CancelledException when cancelled (the temporary file is removed)
     */
    public BackupManifest write(DbConnector connector, DbAddress at, List<PreservedTable> tables,
            List<ColumnKeep> columns, long offset, Path file, DbProgress progress, Cancellation cancellation)
            throws DbException {
        Path target = file.toAbsolutePath().normalize();
        Path dir = target.getParent();
        Path tmp = null;
        Path tmpSum = null;
        long t0 = System.nanoTime();
        try {
            try {
                Files.createDirectories(dir);
                tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".partial");
            } catch (IOException e) {
                throw new DbException(null, "cannot create the preserved-rows file in " + dir + ": " + describe(e)
                        + "; check the work folder (workDir)", e);
            }
            MessageDigest sha = PreservedRowsFile.sha256();
            FileManifest manifest;
            try (Connection c = connector.open(at, null)) {
                try (FileOutputStream fos = new FileOutputStream(tmp.toFile())) {
                    DigestOutputStream digest = new DigestOutputStream(fileStreamWrapper.apply(fos), sha);
                    ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(digest, 1 << 20));
                    zip.setLevel(Deflater.BEST_SPEED);
                    AsyncZipWriter out = new AsyncZipWriter(zip);
                    try {
                        manifest = copy(c, tables, columns, offset, out, progress, cancellation);
                        out.putNextEntry(FileManifest.ENTRY);
                        out.write(manifest.toBytes());
                        out.closeEntry();
                        out.finish();
                    } finally {
                        out.abort();
                    }
                    fos.getFD().sync();
                }
            } catch (SQLException e) {
                throw new DbException(null, "cannot read the preserved rows from " + at + ": "
                        + connector.clean(e.getMessage()), e);
            } catch (IOException e) {
                throw new DbException(null, "cannot write the preserved-rows file " + target + ": " + describe(e)
                        + freeSpace(dir) + "; nothing was left under that name", e);
            }
            String hex = HexFormat.of().formatHex(sha.digest());
            Path sum = PreservedRowsFile.sidecar(target);
            try {
                tmpSum = Files.createTempFile(dir, "." + sum.getFileName() + ".", ".partial");
                try (FileChannel ch = FileChannel.open(tmpSum, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    ch.write(java.nio.ByteBuffer.wrap((hex + "  " + target.getFileName() + "\n")
                            .getBytes(StandardCharsets.UTF_8)));
                    ch.force(true);
                }
                Files.deleteIfExists(sum);
                move(tmp, target);
                tmp = null;
                move(tmpSum, sum);
                tmpSum = null;
                syncDir(dir);
            } catch (IOException e) {
                deleteQuietly(target);
                deleteQuietly(sum);
                throw new DbException(null, "cannot store the preserved-rows file " + target + ": " + describe(e)
                        + freeSpace(dir), e);
            }
            // read it back from disk: checksum and every count
            BackupManifest verified;
            try {
                verified = PreservedRowsFile.verify(target);
            } catch (DbException e) {
                deleteQuietly(target);
                deleteQuietly(sum);
                throw new DbException(null, "the preserved-rows file did not verify after writing, so it was removed: "
                        + e.getMessage(), e);
            }
            if (!verified.sha256().equals(hex) || !verified.rowCounts().equals(manifest.rowCounts())
                    || !verified.columnValueCounts().equals(manifest.columnValueCounts())) {
                deleteQuietly(target);
                deleteQuietly(sum);
                throw new DbException(null, "the preserved-rows file " + target + " read back differs from what was"
                        + " written (disk or file system problem); it was removed");
            }
            long took = System.nanoTime() - t0;
            progress.log("Preserved " + Sql.count(verified.totalRows()) + " rows of " + tables.size() + " tables"
                    + (columns.isEmpty() ? "" : " and " + Sql.count(verified.columnValueCounts().values().stream()
                            .mapToLong(Long::longValue).sum()) + " values of " + columns.size() + " columns")
                    + " in " + target.getFileName() + " (" + Sql.bytes(verified.bytes()) + ", SHA-256 "
                    + hex.substring(0, 12) + "..., verified) in " + Sql.seconds(took)
                    + Sql.rate(verified.totalRows(), took));
            progress.progress("preserved rows saved", 100);
            return verified;
        } finally {
            deleteQuietly(tmp);
            deleteQuietly(tmpSum);
        }
    }

    private FileManifest copy(Connection c, List<PreservedTable> tables, List<ColumnKeep> columns, long offset,
            AsyncZipWriter zip, DbProgress progress, Cancellation cancellation) throws SQLException, IOException {
        Sql.dataSession(c);
        Sql.exec(c, "SET SESSION net_write_timeout = 3600");
        Sql.exec(c, "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
        Sql.exec(c, "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
        try {
            List<FileManifest.TableEntry> tableEntries = new ArrayList<>();
            int total = tables.size() + columns.size();
            int done = 0;
            for (PreservedTable t : tables) {
                check(cancellation);
                long t0 = System.nanoTime();
                List<ColumnMeta> cols = new ArrayList<>();
                for (ColumnMeta m : Catalog.columns(c, t.schema(), t.table())) {
                    if (!m.generated()) {
                        cols.add(m);
                    }
                }
                if (cols.isEmpty()) {
                    throw new SQLException("table " + t.qualified() + " does not exist any more");
                }
                String entry = String.format(Locale.ROOT, "rows/%04d.tsv", tableEntries.size() + 1);
                StringBuilder sql = new StringBuilder("SELECT ");
                for (int i = 0; i < cols.size(); i++) {
                    sql.append(i == 0 ? "" : ", ").append(cols.get(i).selectExpression());
                }
                sql.append(" FROM ").append(Sql.id(t.schema(), t.table())).append(" WHERE ").append(Sql.id(t.key()))
                        .append(" >= ").append(offset).append(" ORDER BY ").append(Sql.id(t.key()));
                long rows = stream(c, sql.toString(), cols, entry, zip, cancellation);
                tableEntries.add(new FileManifest.TableEntry(t.schema(), t.table(), t.key(), entry, rows, cols));
                long took = System.nanoTime() - t0;
                progress.log(t.qualified() + ": " + Sql.count(rows) + " rows with " + t.key() + " >= " + offset
                        + " (" + Sql.seconds(took) + Sql.rate(rows, took) + ")");
                progress.progress("preserving rows: " + (++done) + "/" + total, 100 * done / Math.max(1, total));
            }
            List<FileManifest.ColumnEntry> columnEntries = new ArrayList<>();
            for (ColumnKeep k : columns) {
                check(cancellation);
                if (k.schema() == null || k.key() == null) {
                    throw new IllegalArgumentException("preserved column " + k
                            + " is not resolved (use SchemaInspector.preservedColumns)");
                }
                long t0 = System.nanoTime();
                List<ColumnMeta> all = Catalog.columns(c, k.schema(), k.table());
                ColumnMeta km = Catalog.column(all, k.key());
                ColumnMeta vm = Catalog.column(all, k.column());
                if (km == null || vm == null) {
                    throw new SQLException("column " + k.schema() + "." + k.table() + "." + (km == null ? k.key()
                            : k.column()) + " does not exist any more");
                }
                String entry = String.format(Locale.ROOT, "columns/%04d.tsv", columnEntries.size() + 1);
                String sql = "SELECT " + km.selectExpression() + ", " + vm.selectExpression() + " FROM "
                        + Sql.id(k.schema(), k.table())
                        + (k.where() == null || k.where().isBlank() ? "" : " WHERE (" + k.where() + ")")
                        + " ORDER BY " + Sql.id(km.name());
                long n = stream(c, sql, List.of(km, vm), entry, zip, cancellation);
                columnEntries.add(new FileManifest.ColumnEntry(k.schema(), k.table(), vm.name(), km.name(),
                        k.where(), entry, n, km, vm));
                long took = System.nanoTime() - t0;
                progress.log(k.schema() + "." + k.table() + "." + vm.name() + ": " + Sql.count(n) + " values kept"
                        + (k.where() == null ? "" : " (where " + k.where() + ")") + " (" + Sql.seconds(took) + ")");
                progress.progress("preserving rows: " + (++done) + "/" + total, 100 * done / Math.max(1, total));
            }
            return new FileManifest(offset, Instant.now().toString(), tableEntries, columnEntries);
        } finally {
            try {
                Sql.exec(c, "COMMIT");
            } catch (SQLException e) {
                // read-only snapshot: nothing to keep
            }
        }
    }

    /** Streams one query into one ZIP entry; returns the rows written. */
    private static long stream(Connection c, String sql, List<ColumnMeta> cols, String entry, AsyncZipWriter zip,
            Cancellation cancellation) throws SQLException, IOException {
        zip.putNextEntry(entry);
        RowCodec.Writer w = new RowCodec.Writer(zip);
        int n = cols.size();
        boolean[] bit = new boolean[n];
        for (int i = 0; i < n; i++) {
            bit[i] = cols.get(i).kind() == ColumnMeta.Kind.BIT;
        }
        long rows = 0;
        try (Statement s = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            s.setEscapeProcessing(false);
            s.setFetchSize(Integer.MIN_VALUE); // Connector/J: stream row by row
            try (ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    for (int i = 0; i < n; i++) {
                        byte[] v = rs.getBytes(i + 1);
                        if (bit[i] && v != null) {
                            v = new BigInteger(1, v).toString().getBytes(StandardCharsets.US_ASCII);
                        }
                        w.field(v);
                    }
                    w.endRow();
                    if (++rows % CANCEL_CHECK_ROWS == 0 && cancellation != null && cancellation.isCancelled()) {
                        // close the streaming result early: the driver would otherwise read all remaining rows
                        s.cancel();
                        cancellation.check();
                    }
                }
            }
        }
        w.flush();
        zip.closeEntry();
        return rows;
    }

    private static void check(Cancellation cancellation) {
        if (cancellation != null) {
            cancellation.check();
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Makes the rename durable (POSIX); not possible everywhere, and then harmless to skip. */
    private static void syncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            // Windows and some file systems cannot open a folder
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // best effort
            }
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        if (e instanceof java.nio.file.FileSystemException f) {
            return (f.getReason() != null ? f.getReason() : e.getClass().getSimpleName()) + " (" + f.getFile() + ")";
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }

    private static String freeSpace(Path dir) {
        try {
            return " (" + Sql.bytes(Files.getFileStore(dir).getUsableSpace()) + " free in " + dir + ")";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
