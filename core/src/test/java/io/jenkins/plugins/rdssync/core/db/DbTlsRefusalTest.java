package io.jenkins.plugins.rdssync.core.db;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.rdssync.core.spec.Secret;
import io.jenkins.plugins.rdssync.core.spec.TlsMode;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.ClassRule;
import org.junit.Test;

/**
 * A server and a client that disagree about TLS, on real MariaDB 11.4 servers: one started without TLS, one that
 * refuses insecure transport and presents the self-signed certificate MariaDB makes when none is configured. Each
 * refusal names dbTls or dbTlsCaBundle and the value to use, and following that advice logs in.
 */
public class DbTlsRefusalTest {
    @ClassRule
    public static final EmbeddedMariaDb NO_TLS = EmbeddedMariaDb.withoutTls();
    @ClassRule
    public static final EmbeddedMariaDb TLS_ONLY = new EmbeddedMariaDb("--require-secure-transport=ON");

    private static DbConnector connector(TlsMode tls) {
        return new DbConnector(EmbeddedMariaDb.USER, Secret.of(EmbeddedMariaDb.PASSWORD), tls, null);
    }

    private static DbException refused(TlsMode tls, EmbeddedMariaDb db) {
        try {
            connector(tls).checkLogin(db.address());
        } catch (DbException e) {
            StringWriter w = new StringWriter();
            e.printStackTrace(new PrintWriter(w));
            assertFalse("no password in the message or its causes: " + w, w.toString()
                    .contains(EmbeddedMariaDb.PASSWORD));
            System.out.println("dbTls " + tls + ": " + e.field() + ": " + e.getMessage());
            return e;
        }
        throw new AssertionError("dbTls " + tls + " should be refused");
    }

    @Test
    public void defaultVerifyCaAgainstAServerWithoutTlsNamesDbTls() throws Exception {
        DbException e = refused(null, NO_TLS);
        assertEquals("dbTls", e.field());
        assertTrue(e.getMessage(), e.getMessage().contains("does not offer TLS, but dbTls is verify-ca (the default)"));
        assertTrue(e.getMessage(), e.getMessage().contains("set dbTls to disabled only where the connection is"
                + " encrypted otherwise"));
        assertEquals("required says the same", "dbTls", refused(TlsMode.REQUIRED, NO_TLS).field());
        connector(TlsMode.DISABLED).checkLogin(NO_TLS.address());
    }

    @Test
    public void noTlsAgainstAServerRequiringSecureTransportNamesDbTls() throws Exception {
        DbException e = refused(TlsMode.DISABLED, TLS_ONLY);
        assertEquals("dbTls", e.field());
        assertTrue(e.getMessage(), e.getMessage().contains("accepts only TLS connections"
                + " (require_secure_transport=ON) but dbTls is disabled"));
        assertTrue(e.getMessage(), e.getMessage().contains("set dbTls to verify-ca"));
        connector(TlsMode.REQUIRED).checkLogin(TLS_ONLY.address());
    }

    @Test
    public void aSelfSignedCertificateFailsVerificationNamingTheCaBundle() {
        // MariaDB 11.4 generates a self-signed certificate when none is configured: no CA can vouch for it
        for (TlsMode mode : new TlsMode[] {TlsMode.VERIFY_CA, TlsMode.VERIFY_IDENTITY}) {
            DbException e = refused(mode, TLS_ONLY);
            assertEquals("dbTlsCaBundle", e.field());
            assertTrue(e.getMessage(), e.getMessage().contains("is not signed by a CA in the JVM trust store"
                    + " (no dbTlsCaBundle given): set dbTlsCaBundle"));
            assertTrue(e.getMessage(), e.getMessage().contains("or dbTls to required"));
        }
    }
}
