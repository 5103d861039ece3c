package io.jenkins.plugins.rdssync.cli.demo;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.rdssync.cli.Env;
import io.jenkins.plugins.rdssync.cli.SpecFile;
import io.jenkins.plugins.rdssync.core.run.Cancellation;
import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.run.StageOutcome;
import io.jenkins.plugins.rdssync.core.run.StageStatus;
import io.jenkins.plugins.rdssync.core.run.SyncResult;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import io.jenkins.plugins.rdssync.core.spec.TableKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.Test;

/**
 * The demo's story on the real emulator, with a stand-in for the engine: a few JDBC steps that do what the stages
 * do (copy production, post-SQL, offset, migrations, preserved rows and columns). It checks the story itself —
 * its SQL, its chapters and its check table — independently of the engine; the end-to-end test with the real engine
 * is {@code rds-sync demo} itself.
 */
public class DemoStoryTest {

    @Test
    public void theStoryPassesWithAnEngineThatKeepsItsPromises() {
        Run r = run(false);
        System.out.println(r.out); // in target/surefire-reports/*-output.txt
        assertEquals(r.out, 0, r.code);
        String out = r.out;
        for (int i = 1; i <= 7; i++) {
            assertTrue(out, out.contains("== Chapter " + i + " of 7: "));
        }
        assertTrue(out, out.contains("New customer 'Tess Tester' got id 1,000,000,000"));
        assertTrue(out, out.contains("RESULT: PASS -- all 11 checks passed"));
        assertFalse(out, out.contains("FAIL"));
        assertFalse("the demo's password is never shown", out.contains("Demo-"));
    }

    @Test
    public void theChecksCatchAnEngineThatLosesTheTestersRows() {
        Run r = run(true);
        assertEquals(r.out, 1, r.code);
        assertTrue(r.out, r.out.contains("RESULT: FAIL -- "));
        assertTrue(r.out, r.out.matches(
                "(?s).*The tester's customer is still there\\s+Tess Tester\\s+\\(none\\)\\s+FAIL.*"));
    }

    record Run(int code, String out) {
    }

    private static Run run(boolean forgetful) {
        StringWriter sw = new StringWriter();
        PrintWriter out = new PrintWriter(sw, true);
        Emulator[] holder = new Emulator[1];
        Emulator.Starter starter = (minute, port, region) -> {
            holder[0] = TestkitEmulator.start(minute, port, region);
            return holder[0];
        };
        DemoStory.Sync sync = (config, password, endpointUrl, c) -> new FakeEngine(holder[0], config, password,
                forgetful).sync();
        int code = new DemoStory(out, Clock.systemUTC(), starter, sync, Duration.ofMillis(20), false,
                new Cancellation()).run();
        return new Run(code, sw.toString());
    }

    /** What the engine promises, done the simple way over JDBC. */
    static final class FakeEngine {
        final Emulator rds;
        final SyncSpec spec;
        final String password;
        final boolean forgetful;

        FakeEngine(Emulator rds, Path config, String password, boolean forgetful) {
            this.rds = rds;
            this.spec = SpecFile.read(config, Env.of(Map.of(SpecFile.PASSWORD_ENV, password))).builder().build();
            this.password = password;
            this.forgetful = forgetful;
        }

        SyncResult sync() {
            try {
                return doSync();
            } catch (SQLException | IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private SyncResult doSync() throws SQLException, IOException {
            String schema = spec.databases().get(0);
            boolean exists;
            try (Connection c = rds.connectAsMaster(spec.target())) {
                exists = true;
            } catch (RuntimeException | SQLException e) {
                exists = false;
            }
            String address = exists ? null : rds.createAvailableInstance(spec.target(), "admin", password, null);
            Map<String, List<List<Object>>> saved = new LinkedHashMap<>();
            Map<Object, Object> hashes = new LinkedHashMap<>();
            try (Connection t = rds.connectAsMaster(spec.target()); Connection p = rds.connectAsMaster(spec.source())) {
                if (exists && !forgetful) {
                    t.setCatalog(schema);
                    for (TableKey k : spec.preserveTables()) {
                        saved.put(k.table(), rows(t, "SELECT * FROM " + k.table() + " WHERE " + k.key() + " >= "
                                + spec.offset()));
                    }
                    try (Statement s = t.createStatement(); ResultSet rs = s.executeQuery(
                            "SELECT id, password_hash FROM customers WHERE " + spec.preserveColumns().get(0).where())) {
                        while (rs.next()) {
                            hashes.put(rs.getObject(1), rs.getObject(2));
                        }
                    }
                }
                exec(t, "DROP DATABASE IF EXISTS " + schema);
                exec(t, "CREATE DATABASE " + schema);
                t.setCatalog(schema);
                p.setCatalog(schema);
                exec(t, "SET FOREIGN_KEY_CHECKS = 0");
                for (String table : tables(p, schema)) {
                    try (Statement s = p.createStatement();
                            ResultSet rs = s.executeQuery("SHOW CREATE TABLE " + table)) {
                        rs.next();
                        exec(t, rs.getString(2));
                    }
                    insert(t, table, rows(p, "SELECT * FROM " + table));
                }
                for (Path f : spec.postSql()) {
                    ShopData.runScript(t, Files.readString(f));
                }
                for (TableKey k : spec.preserveTables()) {
                    exec(t, "ALTER TABLE " + k.table() + " AUTO_INCREMENT = " + spec.offset());
                }
                Set<String> done = new HashSet<>();
                for (List<Object> row : rows(t, "SELECT version FROM schema_migrations")) {
                    done.add(row.get(0).toString());
                }
                try (Stream<Path> files = Files.list(spec.migrations().orElseThrow())) {
                    for (Path f : files.sorted().toList()) {
                        String v = DemoStory.version(f.getFileName().toString());
                        if (!done.contains(v)) {
                            ShopData.runScript(t, Files.readString(f));
                            exec(t, "INSERT INTO schema_migrations (version, applied_at) VALUES ('" + v + "', NOW())");
                        }
                    }
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
                long preserved = 0;
                for (Map.Entry<String, List<List<Object>>> e : saved.entrySet()) {
                    insert(t, e.getKey(), e.getValue());
                    preserved += e.getValue().size();
                }
                for (Map.Entry<Object, Object> h : hashes.entrySet()) {
                    try (PreparedStatement ps = t.prepareStatement(
                            "UPDATE customers SET password_hash = ? WHERE id = ?")) {
                        ps.setObject(1, h.getValue());
                        ps.setObject(2, h.getKey());
                        ps.executeUpdate();
                    }
                }
                exec(t, "SET FOREIGN_KEY_CHECKS = 1");
                String url = t.getMetaData().getURL();
                String hostPort = address != null ? address : url.replaceFirst("jdbc:mysql://([^/]+)/.*", "$1");
                String[] hp = hostPort.split(":");
                return new SyncResult(hp[0], Integer.parseInt(hp[1]), spec.target(), spec.snapshotName(),
                        Map.of("shop.rows", preserved), List.of(new StageOutcome(StageName.RESTORE, StageStatus.DONE,
                                0.1, "copied")), 0, false);
            }
        }

        private static List<String> tables(Connection c, String schema) throws SQLException {
            List<String> out = new ArrayList<>();
            for (List<Object> r : rows(c, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '"
                    + schema + "' ORDER BY TABLE_NAME")) {
                out.add(r.get(0).toString());
            }
            return out;
        }

        private static List<List<Object>> rows(Connection c, String sql) throws SQLException {
            List<List<Object>> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        row.add(rs.getObject(i));
                    }
                    out.add(row);
                }
            }
            return out;
        }

        private static void insert(Connection c, String table, List<List<Object>> rows) throws SQLException {
            if (rows.isEmpty()) {
                return;
            }
            String marks = String.join(", ", java.util.Collections.nCopies(rows.get(0).size(), "?"));
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (" + marks + ")")) {
                for (List<Object> row : rows) {
                    for (int i = 0; i < row.size(); i++) {
                        ps.setObject(i + 1, row.get(i));
                    }
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }

        private static void exec(Connection c, String sql) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute(sql);
            }
        }
    }
}
