package io.jenkins.plugins.rdssync.core.db;

import static io.jenkins.plugins.rdssync.core.db.ShopFixture.OFFSET;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.jenkins.plugins.rdssync.core.run.Cancellation;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The preserved-rows file: damage is found, failed writes leave nothing behind. */
public class PreservedRowsFileTest {
    @ClassRule
    public static final EmbeddedMariaDb DB = new EmbeddedMariaDb();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final List<PreservedTable> TABLES = List.of(new PreservedTable("files", "t", "id"));

    @BeforeClass
    public static void data() throws Exception {
        DB.freshSchema("files");
        DB.sql("files", "CREATE TABLE t (id BIGINT AUTO_INCREMENT PRIMARY KEY, payload VARCHAR(200))",
                "INSERT INTO t (id, payload) SELECT seq, CONCAT('production row ', seq) FROM seq_1_to_100",
                "INSERT INTO t (id, payload) SELECT seq, CONCAT('acceptance row ', seq, ' ', REPEAT('x', seq % 150))"
                        + " FROM seq_1000000000_to_1000004999");
    }

    private BackupManifest backup(PreservedRowsBackup b, Path file) throws DbException {
        return b.write(DB.connector(), DB.address(), TABLES, List.of(), OFFSET, file, new RecordingProgress(),
                new Cancellation());
    }

    @Test
    public void oneDamagedByteIsFound() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("preserved-rows.zip");
        BackupManifest m = backup(new PreservedRowsBackup(), file);
        assertEquals(Map.of("files.t", 5000L), m.rowCounts());
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(file, bytes);
        try {
            PreservedRowsFile.verify(file);
            fail();
        } catch (DbException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("is damaged: its SHA-256 is"));
        }
        try {
            new PreservedRowsReload().reload(DB.connector(), DB.address(), file, new RecordingProgress(),
                    new Cancellation(), 1);
            fail("a damaged file must not be loaded");
        } catch (DbException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("is damaged"));
        }
    }

    @Test
    public void damagedEntryBehindAMatchingChecksumRollsItsTableBack() throws Exception {
        DB.sql("files", "CREATE TABLE d LIKE t", "INSERT INTO d SELECT * FROM t");
        Path file = tmp.getRoot().toPath().resolve("preserved-rows.zip");
        new PreservedRowsBackup().write(DB.connector(), DB.address(), List.of(new PreservedTable("files", "d", "id")),
                List.of(), OFFSET, file, new RecordingProgress(), new Cancellation());
        // damage the middle of the rows entry, then write a matching checksum: only the CRC-32 can tell
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 3] ^= 0x10;
        Files.write(file, bytes);
        Files.writeString(PreservedRowsFile.sidecar(file), PreservedRowsFile.sha256(file) + "  x\n");
        DB.sql("files", "DELETE FROM d WHERE id >= " + OFFSET);
        try {
            new PreservedRowsReload().reload(DB.connector(), DB.address(), file, new RecordingProgress(),
                    new Cancellation(), 1);
            fail("a damaged entry must not load");
        } catch (DbException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("cannot read the rows of files.d from the preserved-rows file ("));
            assertTrue(e.getMessage(), e.getMessage().endsWith("the load of files.d was rolled back"));
        }
        try (var c = DB.connect("files")) {
            assertEquals("the table's load was rolled back", 0, Rows.count(c, "SELECT COUNT(*) FROM d WHERE id >= "
                    + OFFSET));
        }
    }

    @Test
    public void missingChecksumFileIsRefused() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("preserved-rows.zip");
        backup(new PreservedRowsBackup(), file);
        Files.delete(PreservedRowsFile.sidecar(file));
        try {
            PreservedRowsFile.verify(file);
            fail();
        } catch (DbException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("preserved-rows.zip.sha256 is missing"));
        }
    }

    @Test
    public void countsAreCheckedAgainstTheManifest() throws Exception {
        // a file whose checksum is right but whose entry lost a row
        Path file = tmp.getRoot().toPath().resolve("short.zip");
        FileManifest m = new FileManifest(OFFSET, "now", List.of(new FileManifest.TableEntry("s", "t", "id",
                "rows/0001.tsv", 3, List.of(new ColumnMeta("id", "int", "int(11)", null, null, false, true)))),
                List.of());
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("rows/0001.tsv"));
            zip.write("1000000000\n1000000001\n".getBytes(StandardCharsets.US_ASCII));
            zip.putNextEntry(new ZipEntry(FileManifest.ENTRY));
            m.write(zip);
        }
        Files.writeString(PreservedRowsFile.sidecar(file), PreservedRowsFile.sha256(file) + "  short.zip\n");
        assertEquals(Map.of("s.t", 3L), PreservedRowsFile.read(file).rowCounts());
        try {
            PreservedRowsFile.verify(file);
            fail();
        } catch (DbException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("s.t: 2 rows in rows/0001.tsv, manifest says 3"));
        }
    }

    @Test
    public void folderThatCannotBeCreatedFailsClearly() throws Exception {
        Path notADir = tmp.newFile("regular-file").toPath();
        Path file = notADir.resolve("preserved-rows.zip");
        try {
            backup(new PreservedRowsBackup(), file);
            fail();
        } catch (DbException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("cannot create the preserved-rows file in "
                    + notADir));
        }
        assertFalse(Files.exists(file));
    }

    @Test
    public void fullDiskLeavesNoFileUnderTheFinalName() throws Exception {
        Path dir = tmp.newFolder("work").toPath();
        Path file = dir.resolve("preserved-rows.zip");
        PreservedRowsBackup fullDisk = new PreservedRowsBackup(out -> new FilterOutputStream(out) {
            private long written;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                written += len;
                if (written > 20_000) {
                    throw new IOException("No space left on device");
                }
                out.write(b, off, len);
            }

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }
        });
        try {
            backup(fullDisk, file);
            fail();
        } catch (DbException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("cannot write the preserved-rows file " + file
                    + ": No space left on device"));
            assertTrue(e.getMessage(), e.getMessage().contains("free in " + dir));
        }
        try (var s = Files.list(dir)) {
            assertEquals("no file, no temporary file, no checksum", List.of(), s.toList());
        }
        // an older, complete file of the same name (the only copy, maybe) is not touched by a failed run
        BackupManifest old = backup(new PreservedRowsBackup(), file);
        try {
            backup(fullDisk, file);
            fail();
        } catch (DbException e) {
            assertEquals(old, PreservedRowsFile.verify(file));
        }
        try (var s = Files.list(dir)) {
            assertEquals(2, s.count());
        }
    }

    @Test
    public void rewritingReplacesTheOldFileAtomically() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("preserved-rows.zip");
        BackupManifest first = backup(new PreservedRowsBackup(), file);
        DB.sql("files", "INSERT INTO t (id, payload) VALUES (1000009999, 'one more')");
        try {
            BackupManifest second = backup(new PreservedRowsBackup(), file);
            assertEquals(first.rowCounts().get("files.t") + 1, (long) second.rowCounts().get("files.t"));
            assertEquals(second, PreservedRowsFile.verify(file));
            try (var s = Files.list(tmp.getRoot().toPath())) {
                assertEquals(2, s.count());
            }
        } finally {
            DB.sql("files", "DELETE FROM t WHERE id = 1000009999");
        }
    }
}
