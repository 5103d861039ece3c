package io.jenkins.plugins.rdssync.core.db;

import static io.jenkins.plugins.rdssync.core.db.ShopFixture.OFFSET;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.jenkins.plugins.rdssync.core.run.Cancellation;
import io.jenkins.plugins.rdssync.core.spec.ColumnKeep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Backup, file, reload, replace and column restore against a real MariaDB. */
public class PreservedRowsTest {
    @ClassRule
    public static final EmbeddedMariaDb DB = new EmbeddedMariaDb();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final List<String> TABLES = List.of("everything", "parent", "child", "users");

    private static List<PreservedTable> tables(String schema) throws Exception {
        try (Connection c = DB.connect(null)) {
            return new SchemaInspector().preservedTables(c, List.of(schema), List.of(), List.of(), List.of());
        }
    }

    private static Map<String, List<String>> snapshot(String schema) throws Exception {
        try (Connection c = DB.connect(null)) {
            Map<String, List<String>> m = new java.util.LinkedHashMap<>();
            for (String t : TABLES) {
                m.put(t, Rows.snapshot(c, schema, t, "id"));
                m.put(t + " checksum", List.of(Long.toString(Rows.checksum(c, schema, t))));
            }
            return m;
        }
    }

    private Path backup(String schema, List<ColumnKeep> columns) throws Exception {
        Path file = tmp.getRoot().toPath().resolve("work").resolve("preserved-rows.zip");
        new PreservedRowsBackup().write(DB.connector(), DB.address(), tables(schema), columns, OFFSET, file,
                new RecordingProgress(), new Cancellation());
        return file;
    }

    @Test
    public void backupThenReloadIntoRestoredSchemaIsByteIdentical() throws Exception {
        ShopFixture.acceptance(DB, "rt");
        Map<String, List<String>> before = snapshot("rt");
        RecordingProgress p = new RecordingProgress();
        Path file = tmp.getRoot().toPath().resolve("preserved-rows.zip");
        BackupManifest m = new PreservedRowsBackup().write(DB.connector(), DB.address(), tables("rt"), List.of(),
                OFFSET, file, p, new Cancellation());
        assertEquals(Map.of("rt.everything", 40L, "rt.parent", 1L, "rt.child", 30L, "rt.users", 1L),
                m.rowCounts());
        assertEquals(OFFSET, m.offset());
        assertEquals(Files.size(file), m.bytes());
        assertTrue(Files.exists(PreservedRowsFile.sidecar(file)));
        assertEquals(m, PreservedRowsFile.verify(file));
        assertEquals(m, PreservedRowsFile.read(file));
        assertTrue(p.all(), p.all().contains("rt.everything: 40 rows with id >= 1000000000"));

        ShopFixture.production(DB, "rt"); // the restore: production rows only
        assertNotEquals(before, snapshot("rt"));
        Map<String, Long> loaded = new PreservedRowsReload().reload(DB.connector(), DB.address(), file,
                new RecordingProgress(), new Cancellation(), 2);
        assertEquals(Map.of("rt.everything", 40L, "rt.parent", 1L, "rt.child", 30L, "rt.users", 1L), loaded);
        Rows.assertSame("everything", before.get("everything"), snapshot("rt").get("everything"));
        // production rows of users differ (testers changed them); everything else is identical
        Map<String, List<String>> after = snapshot("rt");
        for (String t : List.of("everything", "parent", "child")) {
            Rows.assertSame(t, before.get(t), after.get(t));
            assertEquals(t, before.get(t + " checksum"), after.get(t + " checksum"));
        }
        try (Connection c = DB.connect("rt")) {
            assertEquals("acceptance parent", Rows.string(c, "SELECT name FROM parent WHERE id = " + OFFSET));
            assertEquals("tester@test.example", Rows.string(c, "SELECT email FROM users WHERE id = " + OFFSET));
            // generated columns are computed again by the server
            assertEquals("prod-1!", Rows.string(c, "SELECT gen_s FROM everything WHERE id = 1"));
            assertEquals("acc-7!", Rows.string(c, "SELECT gen_s FROM everything WHERE id = " + (OFFSET + 7)));
        }
    }

    @Test
    public void reloadTwiceLeavesEveryRowOnce() throws Exception {
        ShopFixture.acceptance(DB, "twice");
        Map<String, List<String>> before = snapshot("twice");
        Path file = backup("twice", List.of());
        ShopFixture.production(DB, "twice");
        PreservedRowsReload reload = new PreservedRowsReload();
        reload.reload(DB.connector(), DB.address(), file, new RecordingProgress(), new Cancellation(), 3);
        RecordingProgress p = new RecordingProgress();
        Map<String, Long> second = reload.reload(DB.connector(), DB.address(), file, p, new Cancellation(), 3);
        assertEquals(Map.of("twice.everything", 0L, "twice.parent", 0L, "twice.child", 0L, "twice.users", 0L),
                second);
        assertTrue(p.all(), p.all().contains("twice.child: 0 of 30 rows loaded (30 already there)"));
        Map<String, List<String>> after = snapshot("twice");
        Rows.assertSame("everything", before.get("everything"), after.get("everything"));
        Rows.assertSame("child", before.get("child"), after.get("child"));
        try (Connection c = DB.connect("twice")) {
            assertEquals(33, Rows.count(c, "SELECT COUNT(*) FROM child"));
        }
    }

    @Test
    public void insertIgnoreFallbackIsByteIdenticalToo() throws Exception {
        ShopFixture.acceptance(DB, "fallback");
        Map<String, List<String>> before = snapshot("fallback");
        Path file = backup("fallback", List.of());
        ShopFixture.production(DB, "fallback");
        Map<String, Long> loaded = new PreservedRowsReload(false).reload(DB.connector(), DB.address(), file,
                new RecordingProgress(), new Cancellation(), 2);
        assertEquals(40L, (long) loaded.get("fallback.everything"));
        Map<String, List<String>> after = snapshot("fallback");
        for (String t : List.of("everything", "parent", "child")) {
            Rows.assertSame(t, before.get(t), after.get(t));
            assertEquals(t, before.get(t + " checksum"), after.get(t + " checksum"));
        }
        // and again: nothing duplicated
        Map<String, Long> again = new PreservedRowsReload(false).reload(DB.connector(), DB.address(), file,
                new RecordingProgress(), new Cancellation(), 2);
        assertEquals(0L, (long) again.get("fallback.everything"));
        Rows.assertSame("everything", before.get("everything"), snapshot("fallback").get("everything"));
    }

    @Test
    public void serverWithLocalInfileOffFallsBackToInsert() throws Exception {
        ShopFixture.acceptance(DB, "noinfile");
        Map<String, List<String>> before = snapshot("noinfile");
        Path file = backup("noinfile", List.of());
        ShopFixture.production(DB, "noinfile");
        DB.sql(null, "SET GLOBAL local_infile = 0");
        RecordingProgress p = new RecordingProgress();
        try {
            new PreservedRowsReload().reload(DB.connector(), DB.address(), file, p, new Cancellation(), 2);
        } finally {
            DB.sql(null, "SET GLOBAL local_infile = 1");
        }
        assertTrue(p.warnings.toString(), p.warnings.toString().contains("local_infile = OFF"));
        Rows.assertSame("everything", before.get("everything"), snapshot("noinfile").get("everything"));
    }

    @Test
    public void foreignKeyRelatedTablesLoadInAnyOrder() throws Exception {
        ShopFixture.acceptance(DB, "fk");
        Path file;
        try (Connection c = DB.connect(null)) {
            // children first, parents last, one at a time: foreign keys must not get in the way
            List<PreservedTable> childFirst = new SchemaInspector().preservedTables(c, List.of("fk"),
                    List.of(io.jenkins.plugins.rdssync.core.spec.TableKey.parse("child:id"),
                            io.jenkins.plugins.rdssync.core.spec.TableKey.parse("parent:id")),
                    List.of(), List.of());
            file = tmp.getRoot().toPath().resolve("fk.zip");
            new PreservedRowsBackup().write(DB.connector(), DB.address(), childFirst, List.of(), OFFSET, file,
                    new RecordingProgress(), new Cancellation());
        }
        ShopFixture.production(DB, "fk");
        Map<String, Long> loaded = new PreservedRowsReload().reload(DB.connector(), DB.address(), file,
                new RecordingProgress(), new Cancellation(), 1);
        assertEquals(Map.of("fk.child", 30L, "fk.parent", 1L), loaded);
        try (Connection c = DB.connect("fk")) {
            assertEquals(15, Rows.count(c, "SELECT COUNT(*) FROM child c JOIN parent p ON p.id = c.parent_id"
                    + " WHERE p.id = " + OFFSET));
            assertEquals(0, Rows.count(c, "SELECT COUNT(*) FROM child c LEFT JOIN parent p ON p.id = c.parent_id"
                    + " WHERE p.id IS NULL"));
        }
    }

    @Test
    public void replaceRangeLeavesExactlyTheFilesRows() throws Exception {
        ShopFixture.acceptance(DB, "repl");
        Map<String, List<String>> before = snapshot("repl");
        Path file = backup("repl", List.of());
        // meanwhile on the target: a new row, a deleted row, a changed row, and a production row untouched
        try (Connection c = DB.connect("repl")) {
            ShopFixture.exec(c, "INSERT INTO child (id, parent_id, note) VALUES (" + (OFFSET + 500) + ", 1, 'new')");
            ShopFixture.exec(c, "DELETE FROM child WHERE id = " + (OFFSET + 3));
            ShopFixture.exec(c, "UPDATE child SET note = 'changed' WHERE id = " + (OFFSET + 4));
            ShopFixture.exec(c, "UPDATE everything SET vc = 'changed', bl = NULL WHERE id = " + OFFSET);
            ShopFixture.exec(c, "DELETE FROM parent WHERE id = " + OFFSET); // cascades to its children
        }
        assertNotEquals(before.get("child"), snapshot("repl").get("child"));
        RecordingProgress p = new RecordingProgress();
        Map<String, Long> loaded = new PreservedRowsReload().replaceRange(DB.connector(), DB.address(), file, p,
                new Cancellation(), 2);
        assertEquals(Map.of("repl.everything", 40L, "repl.parent", 1L, "repl.child", 30L, "repl.users", 1L),
                loaded);
        Map<String, List<String>> after = snapshot("repl");
        for (String t : TABLES) {
            Rows.assertSame(t, before.get(t), after.get(t));
        }
    }

    @Test
    public void reloadReportsRowsRefusedByAUniqueKeyOfProduction() throws Exception {
        ShopFixture.acceptance(DB, "clash");
        Path file = backup("clash", List.of());
        ShopFixture.production(DB, "clash");
        try (Connection c = DB.connect("clash")) {
            // production made a row with the same unique value as an acceptance row
            ShopFixture.everything(c, 50, "acc-7", 1);
        }
        try {
            new PreservedRowsReload().reload(DB.connector(), DB.address(), file, new RecordingProgress(),
                    new Cancellation(), 2);
            fail();
        } catch (DbException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(
                    "clash.everything: file has 40 rows, target has 39 rows with id >= 1000000000"));
        }
    }

    @Test
    public void columnValuesAreRestored() throws Exception {
        ShopFixture.acceptance(DB, "cols");
        List<ColumnKeep> keep;
        try (Connection c = DB.connect(null)) {
            keep = new SchemaInspector().preservedColumns(c, List.of("cols"), List.of(
                    ColumnKeep.parse("users.password_hash").withWhere("email LIKE '%@test.example'"),
                    ColumnKeep.parse("users.settings"), ColumnKeep.parse("cols.users.flags")));
        }
        assertEquals("id", keep.get(0).key());
        assertEquals("cols", keep.get(0).schema());
        Path file = backup("cols", keep);
        BackupManifest m = PreservedRowsFile.verify(file);
        assertEquals(Map.of("cols.users.password_hash", 2L, "cols.users.settings", 4L, "cols.users.flags", 4L),
                m.columnValueCounts());
        ShopFixture.production(DB, "cols");
        new PreservedRowsReload().reload(DB.connector(), DB.address(), file, new RecordingProgress(),
                new Cancellation(), 2);
        RecordingProgress p = new RecordingProgress();
        int updated = new PreservedRowsReload().restoreColumns(DB.connector(), DB.address(), file, p);
        assertEquals(2 + 4 + 4, updated);
        try (Connection c = DB.connect("cols")) {
            // user 1 matched the where (email on acceptance), user 2 did not, user 3 was never changed
            assertEquals("known-test-password", Rows.string(c, "SELECT password_hash FROM users WHERE id = 1"));
            assertEquals("prodhash2", Rows.string(c, "SELECT password_hash FROM users WHERE id = 2"));
            assertEquals("prodhash3", Rows.string(c, "SELECT password_hash FROM users WHERE id = 3"));
            assertEquals("u1@prod.example", Rows.string(c, "SELECT email FROM users WHERE id = 1"));
            assertEquals("{\"theme\": \"light\", \"emoji\": \"\u00e9\"}",
                    Rows.string(c, "SELECT settings FROM users WHERE id = 2"));
            assertEquals("240", Rows.string(c, "SELECT flags + 0 FROM users WHERE id = 2"));
            assertEquals("1", Rows.string(c, "SELECT flags + 0 FROM users WHERE id = 3"));
        }
    }

    @Test
    public void emptySelectionGivesAValidFile() throws Exception {
        ShopFixture.production(DB, "empty");
        Path file = backup("empty", List.of());
        BackupManifest m = PreservedRowsFile.verify(file);
        assertEquals(0L, m.totalRows());
        assertEquals(4, m.rowCounts().size());
        assertEquals(Map.of("empty.everything", 0L, "empty.parent", 0L, "empty.child", 0L, "empty.users", 0L),
                new PreservedRowsReload().reload(DB.connector(), DB.address(), file, new RecordingProgress(),
                        new Cancellation(), 4));
    }

    @Test
    public void cancelledBackupLeavesNothing() throws Exception {
        ShopFixture.acceptance(DB, "cancel");
        Cancellation cancel = new Cancellation();
        cancel.cancel("test");
        Path file = tmp.getRoot().toPath().resolve("c").resolve("preserved-rows.zip");
        try {
            new PreservedRowsBackup().write(DB.connector(), DB.address(), tables("cancel"), List.of(), OFFSET, file,
                    new RecordingProgress(), cancel);
            fail();
        } catch (Cancellation.CancelledException expected) {
            // fine
        }
        try (var s = Files.list(file.getParent())) {
            assertEquals(List.of(), s.toList());
        }
        assertFalse(Files.exists(file));
    }
}
