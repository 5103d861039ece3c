package io.jenkins.plugins.rdssync.core.db;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.Before;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Post-restore SQL files and migrations against a real MariaDB. */
public class SqlScriptRunnerTest {
    @ClassRule
    public static final EmbeddedMariaDb DB = new EmbeddedMariaDb();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Before
    public void schema() throws Exception {
        DB.freshSchema("acc");
        DB.sql("acc", "CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(50))",
                "INSERT INTO t (v) VALUES ('a'), ('b'), ('c')");
    }

    private Path file(String name, String text) throws Exception {
        Path f = tmp.getRoot().toPath().resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    public void runsStatementsInOrderAndLogsRowsAffected() throws Exception {
        Path f = file("post-migration-tweaks.sql", "-- acceptance does not need these\n"
                + "UPDATE t SET v = 'masked;' WHERE id > 1;\n"
                + "DELIMITER $$\n"
                + "CREATE TRIGGER t_upper BEFORE INSERT ON t FOR EACH ROW BEGIN\n"
                + "  SET NEW.v = UPPER(NEW.v);\n"
                + "END$$\n"
                + "DELIMITER ;\n"
                + "INSERT INTO t (v) VALUES ('d');\n"
                + "SELECT * FROM t;\n");
        RecordingProgress p = new RecordingProgress();
        try (Connection c = DB.connect("acc")) {
            assertEquals(4, new SqlScriptRunner("postSql").run(c, SqlScript.parse(f), p));
            assertEquals("D", Rows.string(c, "SELECT v FROM t WHERE id = 4"));
            assertEquals(2, Rows.count(c, "SELECT COUNT(*) FROM t WHERE v = 'masked;'"));
        }
        assertEquals(p.lines.get(0), "post-migration-tweaks.sql line 2: UPDATE t SET v = 'masked;' WHERE id > 1"
                + " -- 2 rows affected (" + p.lines.get(0).replaceAll(".*\\(", ""));
        assertTrue(p.all(), p.lines.get(1).startsWith("post-migration-tweaks.sql line 4: CREATE TRIGGER t_upper"
                + " BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.v = UPPER(NEW.v); END -- 0 rows affected"));
        assertTrue(p.all(), p.lines.get(2).startsWith("post-migration-tweaks.sql line 8: INSERT INTO t (v) VALUES"
                + " ('d') -- 1 row affected"));
        assertTrue(p.all(), p.lines.get(3).startsWith("post-migration-tweaks.sql line 9: SELECT * FROM t -- 4 rows"
                + " returned"));
    }

    @Test
    public void stopsAtTheFirstErrorNamingFileAndLine() throws Exception {
        Path f = file("post-migration-tweaks.sql", "UPDATE t SET v = 'x' WHERE id = 1;\n"
                + "\n"
                + "/* a comment\n   over lines */\n"
                + "UPDATE no_such_table\n   SET v = 'y';\n"
                + "UPDATE t SET v = 'never' WHERE id = 2;\n");
        try (Connection c = DB.connect("acc")) {
            new SqlScriptRunner("postSql").run(c, SqlScript.parse(f), DbProgress.NONE);
            fail();
        } catch (SqlScriptException e) {
            assertEquals("postSql", e.field());
            assertEquals(5, e.line());
            assertEquals("post-migration-tweaks.sql", e.source());
            assertTrue(e.getMessage(), e.getMessage().startsWith("post-migration-tweaks.sql line 5: "));
            assertTrue(e.getMessage(), e.getMessage().contains("no_such_table' doesn't exist"));
            assertTrue(e.getMessage(), e.getMessage().endsWith(" in: UPDATE no_such_table SET v = 'y'"));
        }
        try (Connection c = DB.connect("acc")) {
            assertEquals("x", Rows.string(c, "SELECT v FROM t WHERE id = 1"));
            assertEquals("b", Rows.string(c, "SELECT v FROM t WHERE id = 2"));
        }
    }

    @Test
    public void statementsFromTheConfiguration() throws Exception {
        try (Connection c = DB.connect("acc")) {
            new SqlScriptRunner("postSqlStatements").run(c, SqlScript.of(List.of("DELETE FROM t WHERE id = 3",
                    "UPDATE t SET v = 'oops' WHERE nope = 1"), "postSqlStatements"), DbProgress.NONE);
            fail();
        } catch (SqlScriptException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("postSqlStatements entry 2: Unknown column 'nope'"));
        }
    }

    @Test
    public void onlyAbsentMigrationsAreAppliedAndRecorded() throws Exception {
        Path dir = tmp.newFolder("migrations").toPath();
        Files.writeString(dir.resolve("20240101_create_a.sql"), "CREATE TABLE a (id INT PRIMARY KEY);");
        Files.writeString(dir.resolve("20240102_add_col.sql"), "ALTER TABLE t ADD COLUMN extra INT;");
        Files.writeString(dir.resolve("20240103_create_b.sql"), "CREATE TABLE b (id INT PRIMARY KEY);\n"
                + "INSERT INTO b VALUES (1), (2);");
        Files.writeString(dir.resolve("20240104_seed.sql"), "INSERT INTO b VALUES (3);");
        Files.writeString(dir.resolve("README.txt"), "not a migration");
        // production has run the first two (recorded with and without .sql)
        DB.sql("acc", "CREATE TABLE a (id INT PRIMARY KEY)", "ALTER TABLE t ADD COLUMN extra INT",
                "CREATE TABLE schema_migrations (version VARCHAR(255) PRIMARY KEY)",
                "INSERT INTO schema_migrations VALUES ('20240101_create_a'), ('20240102_add_col.sql')");
        Migrations m = new Migrations();
        try (Connection c = DB.connect("acc")) {
            RecordingProgress p = new RecordingProgress();
            List<Path> pending = m.pending(c, dir, "schema_migrations", "version", p);
            assertEquals(List.of("20240103_create_b.sql", "20240104_seed.sql"),
                    pending.stream().map(x -> x.getFileName().toString()).toList());
            assertTrue(p.all(), p.all().contains("2 of 4 migration files pending"));
            assertEquals(2, m.apply(c, pending, "schema_migrations", "version", p));
            assertEquals(3, Rows.count(c, "SELECT COUNT(*) FROM b"));
            assertEquals(2, Rows.count(c, "SELECT COUNT(*) FROM schema_migrations WHERE version IN"
                    + " ('20240103_create_b', '20240104_seed')"));
            assertEquals(List.of(), m.pending(c, dir, "schema_migrations", "version"));
            assertEquals(0, m.apply(c, List.of(), "schema_migrations", "version", p));
        }
    }

    @Test
    public void missingHistoryTableMakesEveryFilePendingAndIsCreated() throws Exception {
        Path dir = tmp.newFolder("m2").toPath();
        Files.writeString(dir.resolve("001.sql"), "CREATE TABLE one (id INT);");
        Files.writeString(dir.resolve("002.sql"), "CREATE TABLE two (id INT);");
        Migrations m = new Migrations();
        try (Connection c = DB.connect("acc")) {
            RecordingProgress p = new RecordingProgress();
            List<Path> pending = m.pending(c, dir, "acc.migration_history", "name", p);
            assertEquals(2, pending.size());
            assertTrue(p.all(), p.all().contains("Migration history table acc.migration_history does not exist:"
                    + " all 2 files"));
            assertEquals(2, m.apply(c, pending, "acc.migration_history", "name", p));
            assertEquals(2, Rows.count(c, "SELECT COUNT(*) FROM migration_history"));
            assertEquals(List.of(), m.pending(c, dir, "acc.migration_history", "name"));
        }
    }

    @Test
    public void aFailingMigrationIsNotRecordedButEarlierOnesAre() throws Exception {
        Path dir = tmp.newFolder("m3").toPath();
        Files.writeString(dir.resolve("001_ok.sql"), "CREATE TABLE ok1 (id INT);");
        Files.writeString(dir.resolve("002_bad.sql"), "CREATE TABLE ok2 (id INT);\nSELECT nope FROM ok2;");
        Files.writeString(dir.resolve("003_later.sql"), "CREATE TABLE later (id INT);");
        Migrations m = new Migrations();
        try (Connection c = DB.connect("acc")) {
            List<Path> pending = m.pending(c, dir, "schema_migrations", "version");
            try {
                m.apply(c, pending, "schema_migrations", "version", DbProgress.NONE);
                fail();
            } catch (SqlScriptException e) {
                assertEquals("migrations", e.field());
                assertTrue(e.getMessage(), e.getMessage().startsWith("002_bad.sql line 2: Unknown column 'nope'"));
            }
            assertEquals(List.of("002_bad.sql", "003_later.sql"), m.pending(c, dir, "schema_migrations", "version")
                    .stream().map(x -> x.getFileName().toString()).toList());
            assertFalse(Rows.count(c, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_NAME = 'later'") > 0);
        }
    }

    @Test
    public void historyTablesWithMoreRequiredColumnsAreFilledIn() throws Exception {
        Path dir = tmp.newFolder("m4").toPath();
        Files.writeString(dir.resolve("2024_01_01_create_x.sql"), "CREATE TABLE x (id INT);");
        Files.writeString(dir.resolve("2024_01_02_create_y.sql"), "CREATE TABLE y (id INT);");
        // shaped like Laravel's and many home-grown history tables
        DB.sql("acc", "CREATE TABLE migrations (id INT AUTO_INCREMENT PRIMARY KEY, migration VARCHAR(255) NOT NULL,"
                + " batch INT NOT NULL, applied_at DATETIME NOT NULL, note VARCHAR(20) NOT NULL)");
        Migrations m = new Migrations();
        try (Connection c = DB.connect("acc")) {
            List<Path> pending = m.pending(c, dir, "migrations", "migration");
            assertEquals(2, m.apply(c, pending, "migrations", "migration", DbProgress.NONE));
            assertEquals(List.of(), m.pending(c, dir, "migrations", "migration"));
            assertEquals(2, Rows.count(c, "SELECT MAX(batch) FROM migrations"));
            assertEquals(2, Rows.count(c, "SELECT COUNT(*) FROM migrations WHERE applied_at > NOW() - INTERVAL 1 DAY"));
        }
    }
}
