package io.jenkins.plugins.rdssync.testkit;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.services.rds.model.DBInstance;

/** JDBC helpers for the tests: connect to the endpoint RDS reports, read rows as strings. */
final class Jdbc {
    private Jdbc() {
    }

    static Path seed() {
        try {
            return Paths.get(Jdbc.class.getResource("/seed.sql").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String url(DBInstance i, String db) {
        return "jdbc:mysql://" + i.endpoint().address() + ":" + i.endpoint().port() + "/" + db
                + "?sslMode=DISABLED&allowPublicKeyRetrieval=true&connectTimeout=3000";
    }

    static Connection connect(DBInstance i, String user, String password) throws SQLException {
        return DriverManager.getConnection(url(i, ""), user, password);
    }

    /** Every row of a query, as tab-separated strings. */
    static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int k = 1; k <= md.getColumnCount(); k++) {
                    if (k > 1) {
                        sb.append('\t');
                    }
                    Object v = rs.getObject(k);
                    sb.append(v instanceof byte[] ? java.util.HexFormat.of().formatHex((byte[]) v) : String.valueOf(v));
                }
                out.add(sb.toString());
            }
        }
        return out;
    }

    /** The data the tests compare between a source and a restored instance. */
    static List<String> fingerprint(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        out.addAll(rows(c, "SELECT * FROM shop.customers ORDER BY id"));
        out.addAll(rows(c, "SELECT * FROM shop.orders ORDER BY id"));
        out.addAll(rows(c, "SELECT * FROM shop.order_audit ORDER BY id"));
        out.addAll(rows(c, "SELECT * FROM shop.big_orders ORDER BY id"));
        out.addAll(rows(c, "SELECT * FROM flyway.flyway_schema_history ORDER BY installed_rank"));
        out.addAll(rows(c, "SELECT ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'shop'"));
        out.addAll(rows(c, "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'shop'"));
        out.addAll(rows(c, "SELECT EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = 'shop'"));
        out.addAll(rows(c, "SELECT User, Host FROM mysql.user WHERE User IN ('app', 'admin') ORDER BY User"));
        out.add("auto_increment=" + rows(c, "SELECT AUTO_INCREMENT FROM information_schema.TABLES "
                + "WHERE TABLE_SCHEMA = 'shop' AND TABLE_NAME = 'customers'"));
        return out;
    }

    /** Whether a TCP connection to 127.0.0.1:port is refused. */
    /**
     * Does nothing answer at this port? A name's port always listens (like a DNS name that always resolves to
     * something); when no instance answers under the name, the connection is closed before the server's greeting.
     */
    static boolean refuses(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(2000);
            // a MySQL server speaks first (its handshake); a refused connection ends at once
            return s.getInputStream().read() < 0;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return true;
        }
    }
}
