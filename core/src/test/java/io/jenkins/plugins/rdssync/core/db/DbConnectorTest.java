package io.jenkins.plugins.rdssync.core.db;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.jenkins.plugins.rdssync.core.spec.Secret;
import io.jenkins.plugins.rdssync.core.spec.TlsMode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.AfterClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Logging in: TLS modes and CA bundles, and messages that name the field to fix and never the password. */
public class DbConnectorTest {
    private static final TestCertificates CERTS;

    static {
        try {
            CERTS = new TestCertificates();
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @ClassRule
    public static final EmbeddedMariaDb DB = new EmbeddedMariaDb(CERTS.serverArgs());

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @AfterClass
    public static void deleteCertificates() {
        CERTS.delete();
    }

    private static DbConnector connector(TlsMode tls, Path ca) {
        return new DbConnector(EmbeddedMariaDb.USER, Secret.of(EmbeddedMariaDb.PASSWORD), tls, ca);
    }

    private static String everything(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    private static DbException loginFails(DbConnector c, DbAddress at) {
        try {
            c.checkLogin(at);
        } catch (DbException e) {
            assertFalse(everything(e), everything(e).contains(EmbeddedMariaDb.PASSWORD));
            return e;
        }
        throw new AssertionError("login should have failed");
    }

    private static String cipher(Connection c) throws SQLException {
        return Rows.string(c, "SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS"
                + " WHERE VARIABLE_NAME = 'Ssl_cipher'");
    }

    @Test
    public void verifyCaWithTheRightBundleEncrypts() throws Exception {
        DbConnector c = connector(TlsMode.VERIFY_CA, CERTS.caPem);
        c.checkLogin(DB.address());
        try (Connection conn = c.open(DB.address(), null)) {
            assertFalse(cipher(conn).isEmpty());
        }
    }

    @Test
    public void bundleWithOtherCertificatesInItStillWorks() throws Exception {
        Path bundle = tmp.getRoot().toPath().resolve("bundle.pem");
        Files.writeString(bundle, "some header text\n" + Files.readString(CERTS.otherCaPem) + "\n"
                + Files.readString(CERTS.caPem));
        connector(TlsMode.VERIFY_CA, bundle).checkLogin(DB.address());
    }

    @Test
    public void verifyCaWithAnotherCaNamesTheBundle() {
        DbException e = loginFails(connector(TlsMode.VERIFY_CA, CERTS.otherCaPem), DB.address());
        assertEquals("dbTlsCaBundle", e.field());
        assertTrue(e.getMessage(), e.getMessage().contains("is not signed by a CA in dbTlsCaBundle"));
    }

    @Test
    public void verifyIdentityWithAnotherHostNameNamesTls() {
        DbException e = loginFails(connector(TlsMode.VERIFY_IDENTITY, CERTS.caPem), DB.address());
        assertEquals("dbTls", e.field());
        assertTrue(e.getMessage(), e.getMessage().contains("does not name the host '127.0.0.1'"));
    }

    @Test
    public void unreadableOrEmptyBundleNamesTheBundle() throws Exception {
        DbException e = loginFails(connector(TlsMode.VERIFY_CA, tmp.getRoot().toPath().resolve("missing.pem")),
                DB.address());
        assertEquals("dbTlsCaBundle", e.field());
        Path empty = tmp.newFile("empty.pem").toPath();
        e = loginFails(connector(TlsMode.VERIFY_IDENTITY, empty), DB.address());
        assertEquals("dbTlsCaBundle", e.field());
        assertTrue(e.getMessage(), e.getMessage().contains("holds no PEM certificate"));
    }

    @Test
    public void requiredAndDisabled() throws Exception {
        try (Connection conn = connector(TlsMode.REQUIRED, null).open(DB.address(), null)) {
            assertFalse(cipher(conn).isEmpty());
        }
        try (Connection conn = connector(TlsMode.DISABLED, null).open(DB.address(), null)) {
            assertEquals("", cipher(conn));
        }
    }

    @Test
    public void wrongPasswordNamesTheCredentialsAndNeverThePassword() throws Exception {
        String wrong = "Wr0ng-Pa55-" + System.nanoTime();
        DbConnector c = new DbConnector(EmbeddedMariaDb.USER, Secret.of(wrong), TlsMode.REQUIRED, null);
        try {
            c.checkLogin(DB.address());
            fail();
        } catch (DbException e) {
            assertEquals("mysqlCredentialsId", e.field());
            assertTrue(e.getMessage(), e.getMessage().contains("refused the login of user 'rdssync'"));
            assertFalse(everything(e), everything(e).contains(wrong));
        }
        // nor does any other failure of that connector
        try {
            new PreservedRowsReload().restoreColumns(c, DB.address(), tmp.newFile("x.zip").toPath(), DbProgress.NONE);
            fail();
        } catch (DbException e) {
            assertFalse(everything(e), everything(e).contains(wrong));
        }
    }

    @Test
    public void refusedPortNamesThePort() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        DbException e = loginFails(connector(TlsMode.DISABLED, null), new DbAddress("127.0.0.1", port));
        assertEquals("dbPort", e.field());
        assertTrue(e.getMessage(), e.getMessage().contains("127.0.0.1:" + port + " (connection refused)"));
    }

    @Test
    public void unknownHostNamesTheHost() {
        DbException e = loginFails(connector(TlsMode.DISABLED, null).withTimeouts(Duration.ofSeconds(3),
                Duration.ofSeconds(3)), new DbAddress("no-such-host.invalid", 3306));
        assertEquals("dbHost", e.field());
        assertTrue(e.getMessage(), e.getMessage().contains("cannot resolve the database host 'no-such-host.invalid'"));
    }

    @Test
    public void ordinaryConnectionsRefuseLoadDataLocal() throws Exception {
        DB.sql(null, "CREATE DATABASE IF NOT EXISTS lfile", "CREATE TABLE IF NOT EXISTS lfile.t (line TEXT)");
        try (Connection c = DB.connect(null); Statement s = c.createStatement()) {
            s.execute("LOAD DATA LOCAL INFILE '/etc/hostname' INTO TABLE lfile.t");
            fail("LOAD DATA LOCAL must be off on ordinary connections");
        } catch (SQLException expected) {
            assertNotNull(expected.getMessage());
        }
    }

    @Test
    public void loadingConnectionsNeverSendAFileTheServerNames() throws Exception {
        DB.sql(null, "CREATE DATABASE IF NOT EXISTS lfile", "CREATE TABLE IF NOT EXISTS lfile.t (line TEXT)",
                "DELETE FROM lfile.t");
        Path secret = tmp.newFile("secret.txt").toPath();
        Files.writeString(secret, "do not send me\n");
        try (Connection c = DB.connector().openForLoading(DB.address()); Statement s = c.createStatement()) {
            assertEquals(0, s.executeUpdate("LOAD DATA LOCAL INFILE '" + secret + "' INTO TABLE lfile.t"));
            DbConnector.setLoadStream(s, new java.io.ByteArrayInputStream("ours\n".getBytes()));
            assertEquals(1, s.executeUpdate("LOAD DATA LOCAL INFILE '" + secret + "' INTO TABLE lfile.t"));
            DbConnector.setLoadStream(s, null);
            assertEquals(0, s.executeUpdate("LOAD DATA LOCAL INFILE '" + secret + "' INTO TABLE lfile.t"));
        }
        try (Connection c = DB.connect(null)) {
            assertEquals("ours", Rows.string(c, "SELECT GROUP_CONCAT(line) FROM lfile.t"));
        }
    }
}
