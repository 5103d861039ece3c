package io.jenkins.plugins.rdssync.core.db;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/** The {@code shop} test schema: production rows (keys below the offset) and acceptance rows (at or above it). */
final class ShopFixture {
    static final long OFFSET = 1_000_000_000L;

    private ShopFixture() {
    }

    static SqlScript schemaScript() throws IOException {
        try (InputStream in = ShopFixture.class.getResourceAsStream("/db/shop-schema.sql")) {
            return SqlScript.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "shop-schema.sql");
        }
    }

    /** Drops and creates the schema with production rows only (what a restore of the snapshot gives). */
    static void production(EmbeddedMariaDb db, String schema) throws Exception {
        db.freshSchema(schema);
        try (Connection c = db.connect(schema)) {
            new SqlScriptRunner().run(c, schemaScript(), DbProgress.NONE);
            for (long id = 1; id <= 3; id++) {
                everything(c, id, "prod-" + id, 10 * (int) id);
            }
            for (int id = 1; id <= 3; id++) {
                exec(c, "INSERT INTO parent (id, name) VALUES (" + id + ", 'prod parent " + id + "')");
                exec(c, "INSERT INTO child (id, parent_id, note) VALUES (" + id + ", " + id + ", 'prod child')");
                exec(c, "INSERT INTO users (id, email, password_hash, settings, flags) VALUES (" + id + ", 'u" + id
                        + "@prod.example', 'prodhash" + id + "', '{\"theme\": \"dark\"}', b'00000001')");
            }
        }
    }

    /** Production plus the rows testers made on acceptance, with every awkward value we can think of. */
    static void acceptance(EmbeddedMariaDb db, String schema) throws Exception {
        production(db, schema);
        try (Connection c = db.connect(schema)) {
            awkward(c, OFFSET);
            nulls(c, OFFSET + 1);
            for (int k = 2; k < 40; k++) {
                everything(c, OFFSET + k, "acc-" + k, k);
            }
            exec(c, "INSERT INTO parent (id, name) VALUES (" + OFFSET + ", 'acceptance parent')");
            // children of an acceptance parent and of a production parent
            for (int k = 0; k < 30; k++) {
                exec(c, "INSERT INTO child (id, parent_id, note) VALUES (" + (OFFSET + k) + ", "
                        + (k % 2 == 0 ? OFFSET : 1) + ", 'acceptance child " + k + "')");
            }
            exec(c, "INSERT INTO users (id, email, password_hash, settings, flags) VALUES (" + OFFSET
                    + ", 'tester@test.example', 'acchash', '{\"beta\": true}', b'10100101')");
            // testers changed things on production rows too
            exec(c, "UPDATE users SET password_hash = 'known-test-password', settings = '{\"theme\": \"light\","
                    + " \"emoji\": \"\u00e9\"}', flags = b'11110000' WHERE id IN (1, 2)");
            exec(c, "UPDATE users SET email = 'u1@test.example' WHERE id = 1");
        }
    }

    static void everything(Connection c, long id, String vc, int i) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO everything (id, i, vc, txt, dt, js, bl, created)"
                + " VALUES (?, ?, ?, ?, '2024-01-02 03:04:05.123456', '{\"n\": 1}', ?, '2023-05-06 07:08:09')")) {
            ps.setLong(1, id);
            ps.setInt(2, i);
            ps.setString(3, vc);
            ps.setString(4, "text of " + vc);
            ps.setBytes(5, new byte[] {(byte) id, 0, (byte) 0xff, '\\', '\t', '\n'});
            ps.executeUpdate();
        }
    }

    private static void awkward(Connection c, long id) throws SQLException {
        byte[] all = new byte[256];
        for (int k = 0; k < 256; k++) {
            all[k] = (byte) k;
        }
        StringBuilder longText = new StringBuilder();
        for (int k = 0; k < 3000; k++) {
            longText.append("line ").append(k).append(" \\ \t \u00e9\u20ac\ud83d\ude00\n");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO everything (id, tiny, small, medium, i, big,"
                + " dec1, f, d, vc, txt, lt, latin, ch, dt, ts, dte, tm, yr, js, bl, vb, bn, b1, b13, b64, en, st, created)"
                + " VALUES (?, -128, 65535, -8388608, -2147483648, -9223372036854775808,"
                + " ?, ?, ?, ?, ?, ?, ?, ?, '2024-02-29 23:59:59.999999', '2030-01-19 03:14:07.499999', '1000-01-01',"
                + " '-838:59:59.000', 2155, ?, ?, ?, ?, b'1', b'1010101010101', b'1111111111111111111111111111111111111111111111111111111111111111',"
                + " 'c;d', 'x,z', '2023-05-06 07:08:09')")) {
            ps.setLong(1, id);
            ps.setBigDecimal(2, new BigDecimal("-12345678901234567890.0123456789"));
            ps.setFloat(3, 1.2345678f);
            ps.setDouble(4, 0.1 + 0.2);
            ps.setString(5, "tab\there new\nline back\\slash \\N NULL cr\r ' \" ` \u00e9 \ud83d\ude00\ud83c\udf89 nul\u0000");
            ps.setString(6, "");
            ps.setString(7, longText.toString());
            ps.setString(8, "caf\u00e9 \u00fc\u00df latin1");
            ps.setString(9, "pad");
            ps.setString(10, "{\"a\": [1, 2.5, \"x\\ty\", \"\\\\\"], \"b\": null, \"emoji\": \"\ud83d\ude00\","
                    + " \"nested\": {\"k\": \"v;w\"}}");
            ps.setBytes(11, all);
            ps.setBytes(12, new byte[] {'\\', 'N'});
            ps.setBytes(13, new byte[] {0, '\n', '\\', (byte) 0x80});
            ps.executeUpdate();
        }
    }

    private static void nulls(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO everything (id, vc, bl, vb, created) VALUES (?, ?, ?, ?, '2023-05-06 07:08:09')")) {
            ps.setLong(1, id);
            ps.setNull(2, Types.VARCHAR);
            ps.setBytes(3, new byte[0]);
            ps.setNull(4, Types.VARBINARY);
            ps.executeUpdate();
        }
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (var s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
