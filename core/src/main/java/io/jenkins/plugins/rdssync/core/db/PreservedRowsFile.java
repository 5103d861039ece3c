package io.jenkins.plugins.rdssync.core.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The preserved-rows file: one ZIP per run, written by {@link PreservedRowsBackup}, with the SHA-256 of the whole
 * file in a sidecar {@code <file>.sha256} ({@code sha256sum} format).
 *
 * <pre>
 * rows/0001.tsv          rows of the first table with key &gt;= offset, LOAD DATA text (see below), key order
 * rows/0002.tsv          ...
 * columns/0001.tsv       kept values of the first preserved column: key TAB value, one line per row
 * manifest.properties    format, offset, per table: schema, name, key, entry, rows, column names and types;
 *                        per kept column: schema, table, column, key, where, entry, values, types
 * </pre>
 *
 * Entries are text for {@code LOAD DATA ... CHARACTER SET binary FIELDS TERMINATED BY '\t' ESCAPED BY '\\' LINES
 * TERMINATED BY '\n'}: TAB between fields, LF after each row, {@code \N} for NULL, and backslash, TAB, LF, CR and
 * NUL escaped; values are the server's own bytes (text in the column's character set, binary as is, BIT as an
 * unsigned decimal number); generated columns are left out.
 */
public final class PreservedRowsFile {
    private PreservedRowsFile() {
    }

    /** The sidecar holding the SHA-256 of {@code file}. */
    public static Path sidecar(Path file) {
        return file.resolveSibling(file.getFileName().toString() + ".sha256");
    }

    /**
     * Recomputes the SHA-256 of the file and compares it with the sidecar, then re-counts the rows of every entry
     * and compares them with the manifest.
     *
     * @throws DbException when the file or its sidecar is missing, the checksum differs or a count differs
     */
    public static BackupManifest verify(Path file) throws DbException {
        // two independent reads of the file, at the same time: its checksum, and the entries' rows and CRC-32s
        ExecutorService checksumThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rds-sync-verify-sha256");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<String> checksum = checksumThread.submit(() -> checkSum(file));
            BackupManifest counted = null;
            DbException countFailure = null;
            try {
                counted = countEntries(file);
            } catch (DbException e) {
                countFailure = e;
            }
            // a checksum problem says most about the file: it comes first
            String actual = await(checksum);
            if (countFailure != null) {
                throw countFailure;
            }
            return new BackupManifest(counted.rowCounts(), counted.columnValueCounts(), counted.offset(), actual,
                    counted.bytes());
        } finally {
            checksumThread.shutdownNow();
        }
    }

    private static String await(Future<String> checksum) throws DbException {
        try {
            return checksum.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DbException(null, "interrupted while verifying the preserved-rows file", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DbException d) {
                throw d;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new DbException(null, "cannot verify the preserved-rows file: " + e.getCause(), e.getCause());
        }
    }

    /** Re-counts the rows of every entry (checking each entry's CRC-32) and compares them with the manifest. */
    private static BackupManifest countEntries(Path file) throws DbException {
        long bytes;
        try {
            bytes = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new DbException(null, "the preserved-rows file " + file + " does not exist");
        } catch (IOException e) {
            throw new DbException(null, "cannot read the preserved-rows file " + file + ": " + e, e);
        }
        FileManifest m;
        List<String> problems = new ArrayList<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            m = manifest(zip, file);
            for (FileManifest.TableEntry t : m.tables) {
                long n = countLines(zip, t.entry(), file);
                if (n != t.rows()) {
                    problems.add(t.qualified() + ": " + n + " rows in " + t.entry() + ", manifest says " + t.rows());
                }
            }
            for (FileManifest.ColumnEntry c : m.columns) {
                long n = countLines(zip, c.entry(), file);
                if (n != c.values()) {
                    problems.add(c.qualified() + ": " + n + " values in " + c.entry() + ", manifest says "
                            + c.values());
                }
            }
        } catch (IOException e) {
            throw new DbException(null, "the preserved-rows file " + file + " cannot be read as a ZIP: " + e, e);
        }
        if (!problems.isEmpty()) {
            throw new DbException(null, "the preserved-rows file " + file + " does not match its manifest: "
                    + String.join("; ", problems));
        }
        return new BackupManifest(m.rowCounts(), m.columnValueCounts(), m.offset, "", bytes);
    }

    /**
     * Recomputes the SHA-256 of the file and compares it with the sidecar (the cheap half of {@link #verify}).
     *
     * @return the checksum
     */
    static String checkSum(Path file) throws DbException {
        String expected = readSidecar(file);
        String actual;
        try {
            actual = sha256(file);
        } catch (NoSuchFileException e) {
            throw new DbException(null, "the preserved-rows file " + file + " does not exist");
        } catch (IOException e) {
            throw new DbException(null, "cannot read the preserved-rows file " + file + ": " + e, e);
        }
        if (!expected.equals(actual)) {
            throw new DbException(null, "the preserved-rows file " + file + " is damaged: its SHA-256 is " + actual
                    + " but " + sidecar(file).getFileName() + " says " + expected
                    + "; do not load it (restore it from a copy, or take the backup again while the old target"
                    + " still exists)");
        }
        return actual;
    }

    /** The manifest of the file and the checksum its sidecar records, without re-reading the data. */
    public static BackupManifest read(Path file) throws DbException {
        String sha = readSidecar(file);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            FileManifest m = manifest(zip, file);
            return new BackupManifest(m.rowCounts(), m.columnValueCounts(), m.offset, sha, Files.size(file));
        } catch (NoSuchFileException e) {
            throw new DbException(null, "the preserved-rows file " + file + " does not exist");
        } catch (IOException e) {
            throw new DbException(null, "the preserved-rows file " + file + " cannot be read: " + e, e);
        }
    }

    static FileManifest manifest(ZipFile zip, Path file) throws IOException {
        ZipEntry e = zip.getEntry(FileManifest.ENTRY);
        if (e == null) {
            throw new ZipException(file + " has no " + FileManifest.ENTRY + " (not a preserved-rows file)");
        }
        try (InputStream in = zip.getInputStream(e)) {
            return FileManifest.read(in);
        }
    }

    static InputStream open(ZipFile zip, String entry) throws IOException {
        ZipEntry e = zip.getEntry(entry);
        if (e == null) {
            throw new ZipException("entry " + entry + " is missing");
        }
        return new CheckedEntryStream(zip.getInputStream(e), entry, e.getCrc());
    }

    /** An entry's data, checked against the entry's CRC-32 when its end is reached. */
    private static final class CheckedEntryStream extends java.io.FilterInputStream {
        private final String name;
        private final long expected;
        private final java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        private boolean checked;

        CheckedEntryStream(InputStream in, String name, long expected) {
            super(in);
            this.name = name;
            this.expected = expected;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b < 0) {
                end();
            } else {
                crc.update(b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n < 0) {
                end();
            } else {
                crc.update(b, off, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            throw new IOException("skip is not supported");
        }

        private void end() throws IOException {
            if (!checked && expected != -1 && crc.getValue() != expected) {
                throw new ZipException(name + " is damaged (CRC-32 mismatch)");
            }
            checked = true;
        }
    }

    private static long countLines(ZipFile zip, String entry, Path file) throws IOException {
        long n = 0;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = open(zip, entry)) {
            int r;
            while ((r = in.read(buf)) > 0) {
                for (int i = 0; i < r; i++) {
                    if (buf[i] == '\n') {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    private static String readSidecar(Path file) throws DbException {
        Path s = sidecar(file);
        try {
            String text = Files.readString(s, StandardCharsets.US_ASCII).trim();
            String hex = text.split("\\s+")[0].toLowerCase(Locale.ROOT);
            if (!hex.matches("[0-9a-f]{64}")) {
                throw new DbException(null, s + " does not hold a SHA-256 checksum");
            }
            return hex;
        } catch (NoSuchFileException e) {
            throw new DbException(null, "the checksum file " + s + " is missing, so the preserved-rows file " + file
                    + " cannot be trusted (was it written completely?)");
        } catch (IOException e) {
            throw new DbException(null, "cannot read " + s + ": " + e, e);
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int r;
            while ((r = in.read(buf)) > 0) {
                md.update(buf, 0, r);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
