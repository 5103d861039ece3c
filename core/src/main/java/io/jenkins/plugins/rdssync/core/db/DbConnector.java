package io.jenkins.plugins.rdssync.core.db;

import com.mysql.cj.conf.PropertyKey;
import com.mysql.cj.jdbc.JdbcConnection;
import com.mysql.cj.jdbc.JdbcStatement;
import io.jenkins.plugins.rdssync.core.spec.Secret;
import io.jenkins.plugins.rdssync.core.spec.TlsMode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Opens Connector/J connections to the target databases: one user and password, TLS as configured, timeouts,
 * utf8mb4, batched statements rewritten into multi-row statements, and {@code LOAD DATA LOCAL} refused except on the
 * loading connections of {@link PreservedRowsReload} (where the driver can only ever send the stream we give it).
 */
public final class DbConnector {
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(20);
    /** Long enough for a big ALTER in a migration or the load of a big table; a dead peer still ends the run. */
    static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofHours(3);

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]+?)-----END CERTIFICATE-----");

    private final String user;
    private final Secret password;
    private final TlsMode tls;
    private final Path caBundle;
    private final Duration connectTimeout;
    private final Duration socketTimeout;

    private Path trustStore;
    private String trustStorePassword;
    private Path noFilesDir;

    public DbConnector(String user, Secret password, TlsMode tls, Path caBundleOrNull) {
        this(user, password, tls, caBundleOrNull, DEFAULT_CONNECT_TIMEOUT, DEFAULT_SOCKET_TIMEOUT);
    }

    private DbConnector(String user, Secret password, TlsMode tls, Path caBundle, Duration connectTimeout,
            Duration socketTimeout) {
        this.user = Objects.requireNonNull(user, "mysqlUser");
        this.password = password;
        this.tls = tls == null ? TlsMode.VERIFY_CA : tls;
        this.caBundle = caBundle;
        this.connectTimeout = connectTimeout;
        this.socketTimeout = socketTimeout;
    }

    /** A connector like this one with other timeouts ({@code Duration.ZERO} socket timeout = none). */
    public DbConnector withTimeouts(Duration connect, Duration socket) {
        return new DbConnector(user, password, tls, caBundle, connect, socket);
    }

    public String user() {
        return user;
    }

    public TlsMode tls() {
        return tls;
    }

    /**
     * Opens a connection (autocommit on).
     *
     * @param schemaOrNull the default schema, or {@code null} for none
     */
    public Connection open(DbAddress at, String schemaOrNull) throws SQLException {
        Connection c = connect(at, properties(false));
        if (schemaOrNull != null && !schemaOrNull.isEmpty()) {
            try {
                c.setCatalog(schemaOrNull);
            } catch (SQLException e) {
                c.close();
                throw e;
            }
        }
        return c;
    }

    /**
     * Opens a connection for {@code LOAD DATA LOCAL INFILE} fed from our own streams. The handshake advertises local
     * files, but the driver may only open files inside an empty private folder ({@code allowLoadLocalInfileInPath});
     * once connected a guard stream is installed and only then is {@code allowLoadLocalInfile} switched on, so
     * whatever file name a server asks for, the driver sends the stream set by {@link #setLoadStream} and never
     * reads a file of this machine.
     */
    Connection openForLoading(DbAddress at) throws SQLException {
        Connection c = connect(at, properties(true));
        try {
            try (Statement s = c.createStatement()) {
                s.unwrap(JdbcStatement.class).setLocalInfileInputStream(new ByteArrayInputStream(new byte[0]));
            }
            c.unwrap(JdbcConnection.class).getPropertySet().getBooleanProperty(PropertyKey.allowLoadLocalInfile)
                    .setValue(true);
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** The stream the driver sends for the next LOAD DATA LOCAL on this connection (an empty one when null). */
    static void setLoadStream(Statement s, InputStream in) throws SQLException {
        s.unwrap(JdbcStatement.class)
                .setLocalInfileInputStream(in == null ? new ByteArrayInputStream(new byte[0]) : in);
    }

    private Connection connect(DbAddress at, Properties p) throws SQLException {
        String host = at.host().indexOf(':') >= 0 && !at.host().startsWith("[") ? "[" + at.host() + "]" : at.host();
        String url = "jdbc:mysql://" + host + ":" + at.port() + "/";
        Connection c = new com.mysql.cj.jdbc.Driver().connect(url, p);
        if (c == null) {
            throw new SQLException("Connector/J did not accept the address " + at);
        }
        return c;
    }

    private Properties properties(boolean loading) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password.reveal());
        }
        p.setProperty("connectTimeout", Long.toString(connectTimeout.toMillis()));
        p.setProperty("socketTimeout", Long.toString(socketTimeout.toMillis()));
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("characterEncoding", "UTF-8");
        p.setProperty("rewriteBatchedStatements", "true");
        p.setProperty("useServerPrepStmts", "false");
        p.setProperty("allowUrlInLocalInfile", "false");
        p.setProperty("allowLoadLocalInfile", "false");
        p.setProperty("connectionAttributes", "program_name:rds-sync");
        if (loading) {
            p.setProperty("allowLoadLocalInfileInPath", noFilesDir().toString());
        }
        p.setProperty("sslMode", switch (tls) {
            case VERIFY_CA -> "VERIFY_CA";
            case VERIFY_IDENTITY -> "VERIFY_IDENTITY";
            case REQUIRED -> "REQUIRED";
            case PREFERRED -> "PREFERRED";
            case DISABLED -> "DISABLED";
        });
        if (tls == TlsMode.DISABLED) {
            // caching_sha2_password without TLS needs the server's RSA key; only where the user chose no TLS
            p.setProperty("allowPublicKeyRetrieval", "true");
        }
        if ((tls == TlsMode.VERIFY_CA || tls == TlsMode.VERIFY_IDENTITY) && caBundle != null) {
            trustStore();
            p.setProperty("trustCertificateKeyStoreUrl", trustStore.toUri().toString());
            p.setProperty("trustCertificateKeyStoreType", "PKCS12");
            p.setProperty("trustCertificateKeyStorePassword", trustStorePassword);
            p.setProperty("fallbackToSystemTrustStore", "false");
        }
        return p;
    }

    /** An empty, private folder: the only place a server could ask the driver for a file on loading connections. */
    private synchronized Path noFilesDir() throws SQLException {
        if (noFilesDir == null) {
            try {
                Path d = Files.createTempDirectory("rds-sync-no-files-");
                try {
                    Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("r-x------"));
                } catch (UnsupportedOperationException e) {
                    // not POSIX: the folder stays empty all the same
                }
                d.toFile().deleteOnExit();
                noFilesDir = d.toRealPath();
            } catch (IOException e) {
                throw new SQLException("cannot create a temporary folder: " + e.getMessage(), e);
            }
        }
        return noFilesDir;
    }

    /** The CA bundle (PEM) as a PKCS12 trust store in a private temporary file: certificates only, no secret. */
    private synchronized void trustStore() throws SQLException {
        if (trustStore != null) {
            return;
        }
        List<Certificate> certs = new ArrayList<>();
        try {
            String pem = Files.readString(caBundle, StandardCharsets.US_ASCII);
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            Matcher m = PEM.matcher(pem);
            while (m.find()) {
                byte[] der = Base64.getMimeDecoder().decode(m.group(1).replaceAll("\\s", ""));
                certs.add(cf.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (IOException e) {
            throw new CaBundleException("cannot read the CA bundle " + caBundle + ": " + e, e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new CaBundleException("the CA bundle " + caBundle + " holds a certificate that cannot be read: "
                    + e.getMessage(), e);
        }
        if (certs.isEmpty()) {
            throw new CaBundleException("the CA bundle " + caBundle
                    + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)", null);
        }
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            for (int i = 0; i < certs.size(); i++) {
                ks.setCertificateEntry("ca-" + i, certs.get(i));
            }
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            String pw = HexFormat.of().formatHex(random);
            Path f = Files.createTempFile("rds-sync-ca-", ".p12");
            f.toFile().deleteOnExit();
            try (OutputStream out = Files.newOutputStream(f)) {
                ks.store(out, pw.toCharArray());
            }
            trustStore = f;
            trustStorePassword = pw;
        } catch (IOException | GeneralSecurityException e) {
            throw new CaBundleException("cannot build a trust store from the CA bundle " + caBundle + ": " + e, e);
        }
    }

    /**
     * Logs in and runs {@code SELECT 1}.
     *
     * @throws DbException naming the field to fix ({@code mysqlCredentialsId}, {@code dbTls}, {@code dbTlsCaBundle},
     *         {@code dbHost}, {@code dbPort}); the message never contains the password
     */
    public void checkLogin(DbAddress at) throws DbException {
        try (Connection c = open(at, null); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        } catch (SQLException e) {
            throw explain(at, e);
        }
    }

    /** Turns a failure to connect into a message for the user, naming the field to fix. */
    DbException explain(DbAddress at, SQLException e) {
        String where = at.toString();
        String all = chainText(e).toLowerCase(Locale.ROOT);
        if (e instanceof CaBundleException) {
            return fail("dbTlsCaBundle", e.getMessage() + ". Point dbTlsCaBundle at the PEM bundle of the database CA"
                    + " (for RDS: https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem).", e);
        }
        if (e.getErrorCode() == 1045 || "28000".equals(e.getSQLState())) {
            return fail("mysqlCredentialsId", "MySQL at " + where + " refused the login of user '" + user
                    + "' (access denied): check the username and password of mysqlCredentialsId"
                    + " (CLI: mysqlUser and RDS_SYNC_DB_PASSWORD).", e);
        }
        if (e.getErrorCode() == 3159 || all.contains("insecure transport")) {
            // MySQL and MariaDB both answer 3159 when require_secure_transport=ON
            return fail("dbTls", "MySQL at " + where + " accepts only TLS connections (require_secure_transport=ON)"
                    + " but dbTls is " + tls + ": set dbTls to verify-ca (the default, with dbTlsCaBundle),"
                    + " verify-identity or required.", e);
        }
        if (all.contains("not provided by server")) {
            // Connector/J (MysqlIO.15): TLS asked for, the server's handshake offers none
            return fail("dbTls", "MySQL at " + where + " does not offer TLS, but dbTls is " + tls
                    + (tls == TlsMode.VERIFY_CA ? " (the default)" : "") + ": every RDS instance offers TLS, so"
                    + " check that dbHost and dbPort lead to the instance and not to a proxy without TLS; set dbTls"
                    + " to disabled only where the connection is encrypted otherwise (an SSH tunnel).", e);
        }
        if (find(e, UnknownHostException.class) != null) {
            return fail("dbHost", "cannot resolve the database host '" + at.host() + "': check dbHost (or the"
                    + " instance endpoint) and the agent's DNS.", e);
        }
        if (find(e, ConnectException.class) != null || all.contains("connection refused")) {
            return fail("dbPort", "nothing accepts connections at " + where + " (connection refused): check dbPort"
                    + " and dbHost, and that the instance is available.", e);
        }
        if (find(e, NoRouteToHostException.class) != null) {
            return fail("dbHost", "no route to " + where + ": check dbHost and the network between this agent and"
                    + " the instance.", e);
        }
        if (find(e, SocketTimeoutException.class) != null || all.contains("connect timed out")) {
            return fail("dbHost", "no answer from " + where + " within " + connectTimeout.toSeconds()
                    + " s: check dbHost/dbPort and that the instance's security group admits this agent.", e);
        }
        if (find(e, CertPathValidatorException.class) != null || all.contains("pkix path")
                || all.contains("unable to find valid certification path")
                || all.contains("no truststore provided")) {
            return fail("dbTlsCaBundle", "the TLS certificate of " + where + " is not signed by a CA in "
                    + (caBundle == null ? "the JVM trust store (no dbTlsCaBundle given)" : "dbTlsCaBundle " + caBundle)
                    + ": set dbTlsCaBundle to the database CA bundle (for RDS: the global bundle from"
                    + " https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem), or dbTls to required.", e);
        }
        if (all.contains("identity check") || all.contains("identity verification")
                || all.contains("no subject alternative") || all.contains("no name matching")) {
            return fail("dbTls", "the TLS certificate of " + where + " does not name the host '" + at.host()
                    + "' (dbTls verify-identity): connect by the name in the certificate, or use dbTls verify-ca.", e);
        }
        if (all.contains("ssl") && (all.contains("not support") || all.contains("not configured")
                || all.contains("doesn't support") || all.contains("not enabled"))) {
            return fail("dbTls", "MySQL at " + where + " does not offer TLS but dbTls is " + tls
                    + ": enable TLS on the server or set dbTls to disabled (only through an encrypted tunnel).", e);
        }
        if (find(e, SSLException.class) != null || find(e, CertificateException.class) != null) {
            return fail("dbTls", "TLS with " + where + " failed (" + clean(rootMessage(e))
                    + "): check dbTls (" + tls + ") and dbTlsCaBundle.", e);
        }
        return fail(null, "cannot connect to MySQL at " + where + " as '" + user + "': " + clean(rootMessage(e)), e);
    }

    private DbException fail(String field, String message, Throwable cause) {
        String msg = clean(message);
        // the driver's own messages should never hold the password, but do not rely on it
        return new DbException(field, msg, chainText(cause).contains(secretText()) ? null : cause);
    }

    private String secretText() {
        return password == null ? "\u0000no-password\u0000" : password.reveal();
    }

    /** A message with every occurrence of the password replaced by ****. */
    String clean(String message) {
        if (message == null) {
            return "";
        }
        return password == null ? message : message.replace(password.reveal(), "****");
    }

    private static String chainText(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            b.append(c.getClass().getName()).append(": ").append(c.getMessage()).append('\n');
        }
        return b.toString();
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c.getMessage();
        String first = t.getMessage() == null ? "" : t.getMessage().lines().findFirst().orElse("");
        return m == null || m.equals(first) ? first : first + " (" + m.lines().findFirst().orElse("") + ")";
    }

    private static Throwable find(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return c;
            }
        }
        return null;
    }

    /** The CA bundle cannot be read or holds no certificate. */
    static final class CaBundleException extends SQLException {
        private static final long serialVersionUID = 1L;

        CaBundleException(String message, Throwable cause) {
            super(message, "08000", cause);
        }
    }
}
