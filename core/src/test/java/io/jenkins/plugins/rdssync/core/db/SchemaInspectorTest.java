package io.jenkins.plugins.rdssync.core.db;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.jenkins.plugins.rdssync.core.spec.ColumnKeep;
import io.jenkins.plugins.rdssync.core.spec.InvalidSpecException;
import io.jenkins.plugins.rdssync.core.spec.TableKey;
import java.sql.Connection;
import java.util.List;
import java.util.OptionalLong;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;

/** Finding what to preserve, and the AUTO_INCREMENT offset, against a real MariaDB. */
public class SchemaInspectorTest {
    @ClassRule
    public static final EmbeddedMariaDb DB = new EmbeddedMariaDb();

    private final SchemaInspector inspector = new SchemaInspector();

    @BeforeClass
    public static void schemas() throws Exception {
        DB.freshSchema("app");
        DB.freshSchema("crm");
        DB.sql("app",
                "CREATE TABLE orders (id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, total DECIMAL(10,2))",
                "CREATE TABLE order_lines (id INT AUTO_INCREMENT PRIMARY KEY, order_id BIGINT UNSIGNED)",
                "CREATE TABLE tiny_codes (id TINYINT AUTO_INCREMENT PRIMARY KEY, code CHAR(2))",
                "CREATE TABLE settings (name VARCHAR(50) PRIMARY KEY, value TEXT)",
                "CREATE TABLE composite (a INT, b INT, note TEXT, PRIMARY KEY (a, b))",
                "CREATE TABLE no_ai (id INT PRIMARY KEY, note TEXT)",
                "CREATE TABLE no_pk (id INT, note TEXT)",
                "CREATE TABLE uuid_keyed (id CHAR(36) PRIMARY KEY, n INT)",
                "CREATE TABLE audit_log (id INT AUTO_INCREMENT PRIMARY KEY, msg TEXT)",
                "CREATE TABLE shared (id INT AUTO_INCREMENT PRIMARY KEY)",
                "CREATE TABLE users (id INT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(100),"
                        + " password_hash VARCHAR(100), full_name VARCHAR(100) AS (UPPER(email)) VIRTUAL)",
                "CREATE TABLE nonunique (id INT AUTO_INCREMENT PRIMARY KEY, ref INT, KEY (ref))",
                "CREATE VIEW order_view AS SELECT * FROM orders");
        DB.sql("crm",
                "CREATE TABLE contacts (contact_id MEDIUMINT AUTO_INCREMENT PRIMARY KEY, name TEXT)",
                "CREATE TABLE shared (id INT AUTO_INCREMENT PRIMARY KEY)");
    }

    private List<String> names(List<PreservedTable> tables) {
        return tables.stream().map(PreservedTable::toString).toList();
    }

    @Test
    public void userSchemasLeaveOutTheSystemOnes() throws Exception {
        try (Connection c = DB.connect(null)) {
            List<String> s = inspector.userSchemas(c);
            assertTrue(s.toString(), s.containsAll(List.of("app", "crm")));
            for (String sys : List.of("mysql", "information_schema", "performance_schema", "sys")) {
                assertFalse(s.contains(sys));
            }
        }
    }

    @Test
    public void unknownDatabasesAreRefused() throws Exception {
        try (Connection c = DB.connect(null)) {
            inspector.preservedTables(c, List.of("app", "nope"), List.of(), List.of(), List.of());
            fail();
        } catch (InvalidSpecException e) {
            assertEquals("databases", e.problems().get(0).field());
            assertTrue(e.getMessage(), e.getMessage().contains("database nope does not exist on the target"));
        }
    }

    @Test
    public void discoversEveryTableWithASingleIntegerAutoIncrementKey() throws Exception {
        try (Connection c = DB.connect(null)) {
            List<PreservedTable> t = inspector.preservedTables(c, List.of("app", "crm"), List.of(), List.of(),
                    List.of());
            assertEquals(List.of("app.audit_log:id", "app.nonunique:id", "app.order_lines:id", "app.orders:id",
                    "app.shared:id", "app.tiny_codes:id", "app.users:id", "crm.contacts:contact_id", "crm.shared:id"),
                    names(t));
        }
    }

    @Test
    public void includeAndExcludeGlobs() throws Exception {
        try (Connection c = DB.connect(null)) {
            assertEquals(List.of("app.order_lines:id", "app.orders:id", "crm.contacts:contact_id"),
                    names(inspector.preservedTables(c, List.of("app", "crm"), List.of(),
                            List.of("order*", "crm.*"), List.of("crm.shared"))));
            assertEquals(List.of("app.nonunique:id", "app.order_lines:id", "app.orders:id", "app.users:id"),
                    names(inspector.preservedTables(c, List.of("app"), List.of(), List.of(),
                            List.of("audit_*", "SHARED", "tiny?codes"))));
        }
    }

    @Test
    public void explicitEntriesAreResolvedAndChecked() throws Exception {
        try (Connection c = DB.connect(null)) {
            List<PreservedTable> t = inspector.preservedTables(c, List.of("app", "crm"),
                    List.of(TableKey.parse("orders:id"), TableKey.parse("contacts:contact_id"),
                            TableKey.parse("crm.shared:id"), TableKey.parse("no_ai:id"), TableKey.parse("ORDERS:ID")),
                    List.of(), List.of());
            assertEquals(List.of("app.orders:id", "crm.contacts:contact_id", "crm.shared:id", "app.no_ai:id"),
                    names(t));
            assertEquals("app.orders", t.get(0).qualified());
        }
    }

    @Test
    public void explicitProblemsAreRefusedNamingTableAndFix() throws Exception {
        try (Connection c = DB.connect(null)) {
            inspector.preservedTables(c, List.of("app", "crm"), List.of(
                    TableKey.parse("ordrs:id"),
                    TableKey.parse("settings:name"),
                    TableKey.parse("orders:nope"),
                    TableKey.parse("shared:id"),
                    TableKey.parse("nonunique:ref"),
                    TableKey.parse("other.orders:id")), List.of(), List.of());
            fail();
        } catch (InvalidSpecException e) {
            String m = e.getMessage();
            assertEquals(6, e.problems().size());
            assertTrue(e.problems().stream().allMatch(p -> p.field().equals("preserveTables")));
            assertTrue(m, m.contains("table ordrs does not exist in any of the databases app, crm"));
            assertTrue(m, m.contains("the key app.settings.name is varchar(50), not an integer column"));
            assertTrue(m, m.contains("table app.orders has no column 'nope'"));
            assertTrue(m, m.contains("table shared exists in several databases (app, crm); write it as schema.table"));
            assertTrue(m, m.contains("app.nonunique.ref is not the primary key nor a single-column unique key"));
            assertTrue(m, m.contains("table other.orders does not exist"));
        }
    }

    @Test
    public void preservedColumnsResolveSchemaAndKey() throws Exception {
        try (Connection c = DB.connect(null)) {
            List<ColumnKeep> k = inspector.preservedColumns(c, List.of("app", "crm"), List.of(
                    ColumnKeep.parse("users.password_hash").withWhere("email LIKE '%@test%'"),
                    ColumnKeep.parse("crm.contacts.name"),
                    ColumnKeep.parse("settings.value")));
            assertEquals(List.of(new ColumnKeep("app", "users", "password_hash", "id", "email LIKE '%@test%'"),
                    new ColumnKeep("crm", "contacts", "name", "contact_id", null),
                    new ColumnKeep("app", "settings", "value", "name", null)), k);
        }
    }

    @Test
    public void preservedColumnProblemsAreRefused() throws Exception {
        try (Connection c = DB.connect(null)) {
            inspector.preservedColumns(c, List.of("app"), List.of(
                    ColumnKeep.parse("composite.note"), ColumnKeep.parse("no_pk.note"),
                    ColumnKeep.parse("users.nope"), ColumnKeep.parse("nothere.x"),
                    ColumnKeep.parse("users.full_name")));
            fail();
        } catch (InvalidSpecException e) {
            String m = e.getMessage();
            assertEquals(5, e.problems().size());
            assertTrue(e.problems().stream().allMatch(p -> p.field().equals("preserveColumns")));
            assertTrue(m, m.contains("table app.composite has a composite primary key (a, b)"));
            assertTrue(m, m.contains("table app.no_pk has no primary key"));
            assertTrue(m, m.contains("table app.users has no column 'nope'"));
            assertTrue(m, m.contains("table nothere does not exist in database app"));
            assertTrue(m, m.contains("app.users.full_name is a generated column"));
        }
    }

    @Test
    public void autoIncrementOffsetIsAppliedAndReadBack() throws Exception {
        DB.freshSchema("ai");
        DB.sql("ai", "CREATE TABLE a (id INT AUTO_INCREMENT PRIMARY KEY, v INT)",
                "CREATE TABLE b (id BIGINT AUTO_INCREMENT PRIMARY KEY, v INT)",
                "CREATE TABLE c (id INT PRIMARY KEY, v INT)",
                "INSERT INTO a (v) VALUES (1), (2), (3)", "INSERT INTO c VALUES (7, 7)");
        long offset = 1_000_000_000L;
        try (Connection c = DB.connect("ai")) {
            List<PreservedTable> tables = List.of(new PreservedTable("ai", "a", "id"),
                    new PreservedTable("ai", "b", "id"), new PreservedTable("ai", "c", "id"));
            AutoIncrementOffset ai = new AutoIncrementOffset();
            assertEquals(OptionalLong.of(4), ai.current(c, tables.get(0)));
            assertEquals(OptionalLong.empty(), ai.current(c, tables.get(2)));
            assertFalse(ai.isApplied(c, tables, offset));
            ai.checkNoCollision(c, tables, offset);
            RecordingProgress p = new RecordingProgress();
            ai.apply(c, tables, offset, p);
            assertTrue(ai.isApplied(c, tables, offset));
            assertEquals(OptionalLong.of(offset), ai.current(c, tables.get(0)));
            assertEquals(OptionalLong.of(offset), ai.current(c, tables.get(1)));
            assertTrue(p.all(), p.all().contains("ai.a: AUTO_INCREMENT = 1000000000"));
            assertTrue(p.all(), p.all().contains("ai.c has no AUTO_INCREMENT column"));
            ShopFixture.exec(c, "INSERT INTO a (v) VALUES (4)");
            assertEquals(offset, Rows.count(c, "SELECT MAX(id) FROM a"));
            // applying again is harmless: the counter stays above the rows made since
            ai.apply(c, tables, offset, DbProgress.NONE);
            assertEquals(OptionalLong.of(offset + 1), ai.current(c, tables.get(0)));
        }
    }

    @Test
    public void collisionWithProductionKeysIsRefused() throws Exception {
        DB.freshSchema("coll");
        DB.sql("coll", "CREATE TABLE big (id BIGINT AUTO_INCREMENT PRIMARY KEY)",
                "CREATE TABLE fine (id INT AUTO_INCREMENT PRIMARY KEY)",
                "INSERT INTO big VALUES (5), (1000000123)", "INSERT INTO fine VALUES (999999999)");
        try (Connection c = DB.connect("coll")) {
            new AutoIncrementOffset().checkNoCollision(c, List.of(new PreservedTable("coll", "fine", "id"),
                    new PreservedTable("coll", "big", "id")), 1_000_000_000L);
            fail();
        } catch (DbException e) {
            assertEquals("offset", e.field());
            assertTrue(e.getMessage(), e.getMessage().contains("coll.big has MAX(id) = 1000000123"));
            assertFalse(e.getMessage(), e.getMessage().contains("coll.fine"));
        }
    }
}
