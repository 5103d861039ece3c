package io.jenkins.plugins.rdssync.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A shop-like schema of 14 tables with the column types acceptance databases have: BIGINT keys, VARCHAR and TEXT
 * with unicode (accents, CJK, emoji) and with TAB, LF and backslash in them, DECIMAL, DATETIME/TIMESTAMP with
 * fractions, DATE, JSON, BLOB/VARBINARY/BINARY, TINYINT, NULLs, unique keys, secondary indexes and foreign keys
 * (child rows point at preserved parents and, one in ten, at production parents).
 *
 * <p>Rows are made by the server from {@code seq_1_to_N} (MariaDB's Sequence engine), deterministically: production
 * rows get keys 1..{@value #PRODUCTION_ROWS} in every table, preserved rows get keys from the offset on, split over
 * the tables by {@link Table#share}.
 */
final class BenchSchema {
    static final String SCHEMA = "shop";
    static final long OFFSET = 1_000_000_000L;
    static final int PRODUCTION_ROWS = 1000;

    /** One table: its share of the preserved rows, DDL, and the SELECT list that makes row {@code seq}. */
    record Table(String name, double share, String ddl, String columns, String select) {
    }

    static final String U = "'Ünïcödé ✓ 日本語 🎉 '";

    static final List<Table> TABLES = List.of(
            new Table("customers", 0.08,
                    "id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, email VARCHAR(190) NOT NULL, name VARCHAR(100)"
                            + " NOT NULL, phone VARCHAR(30) NULL, credit DECIMAL(12,2) NOT NULL DEFAULT 0, created"
                            + " DATETIME(3) NOT NULL, updated TIMESTAMP(3) NULL, UNIQUE KEY uk_email (email)",
                    "id, email, name, phone, credit, created, updated",
                    "{b} + seq, CONCAT('user', {b} + seq, '@qa.example.com'), CONCAT(ELT(1 + seq % 5, 'Zoë',"
                            + " 'José', '李雷', 'Ørjan', 'Ada'), ' Tester ', seq), IF(seq % 4 = 0, NULL,"
                            + " CONCAT('+31 6 ', LPAD(seq % 100000000, 8, '0'))), (seq % 100000) / 100,"
                            + " TIMESTAMPADD(MICROSECOND, seq * 3119000, '2023-01-01'), IF(seq % 3 = 0, NULL,"
                            + " TIMESTAMPADD(MICROSECOND, seq * 1523000, '2024-02-01'))"),
            new Table("products", 0.02,
                    "id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, sku VARCHAR(40) NOT NULL, name VARCHAR(200) NOT"
                            + " NULL, description TEXT NULL, price DECIMAL(10,2) NOT NULL, attrs JSON NULL,"
                            + " UNIQUE KEY uk_sku (sku)",
                    "id, sku, name, description, price, attrs",
                    "{b} + seq, CONCAT('SKU-', {b} + seq), CONCAT('Product ', seq, ' ', " + U + "),"
                            + " IF(seq % 6 = 0, NULL, CONCAT('A fine thing.\\nSecond line\\twith a tab, a \\\\"
                            + " backslash and ', REPEAT('déjà vu ', 1 + seq % 12))), 1 + (seq % 99999) / 100,"
                            + " JSON_OBJECT('color', ELT(1 + seq % 3, 'red', 'grün', '青'), 'size', seq % 50,"
                            + " 'tags', JSON_ARRAY('a', seq % 7, NULL))"),
            new Table("orders", 0.14,
                    "id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, customer_id BIGINT NOT NULL, status VARCHAR(16)"
                            + " NOT NULL, total DECIMAL(12,2) NOT NULL, created DATETIME(6) NOT NULL, note TEXT NULL,"
                            + " KEY ix_created (created), CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id)"
                            + " REFERENCES customers (id)",
                    "id, customer_id, status, total, created, note",
                    "{b} + seq, " + ref("customers") + ", ELT(1 + seq % 4, 'new', 'paid', 'shipped', 'cancelled'),"
                            + " (seq % 1000000) / 100, TIMESTAMPADD(MICROSECOND, seq * 7919, '2024-01-01'),"
                            + " IF(seq % 3 = 0, NULL, CONCAT('order note ', seq, ' ', " + U + "))"),
            new Table("order_items", 0.25,
                    "id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, order_id BIGINT NOT NULL, product_id BIGINT NOT"
                            + " NULL, quantity INT NOT NULL, unit_price DECIMAL(10,2) NOT NULL,"
                            + " CONSTRAINT fk_items_order FOREIGN KEY (order_id) REFERENCES orders (id),"
                            + " CONSTRAINT fk_items_product FOREIGN KEY (product_id) REFERENCES products (id)",
                    "id, order_id, product_id, quantity, unit_price",
                    "{b} + seq, " + ref("orders") + ", " + ref("products") + ", 1 + seq % 9, (seq % 50000) / 100"),
            new Table("payments", 0.08,
                    "id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, order_id BIGINT NOT NULL, amount DECIMAL(12,2)"
                            + " NOT NULL, method VARCHAR(20) NOT NULL, paid_at TIMESTAMP(3) NULL, reference"
                            + " VARBINARY(16) NULL, CONSTRAINT fk_payments_order FOREIGN KEY (order_id) REFERENCES"
                            + " orders (id)",
                    "id, order_id, amount, method, paid_at, reference",
                    "{b} + seq, " + ref("orders") + ", (seq % 1000000) / 100, ELT(1 + seq % 3, 'card', 'iDEAL',"
                            + " 'invoice'), IF(seq % 5 = 0, NULL, TIMESTAMPADD(MICROSECOND, seq * 601000,"
                            + " '2024-03-01')), IF(seq % 7 = 0, NULL, UNHEX(LEFT(MD5(seq), 32)))"),
            new Table("events", 0.12,
                    "id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, customer_id BIGINT NULL, type VARCHAR(40) NOT"
                            + " NULL, payload JSON NULL, occurred DATETIME NOT NULL, KEY ix_customer (customer_id)",
                    "id, customer_id, type, payload, occurred",
                    "{b} + seq, IF(seq % 8 = 0, NULL, " + ref("customers") + "), ELT(1 + seq % 4, 'login',"
                            + " 'view', 'cart', 'checkout'), JSON_OBJECT('page', CONCAT('/p/', seq % 977), 'ms',"
                            + " seq % 3000, 'ua', 'Mozilla/5.0 \"quoted\"'), TIMESTAMPADD(SECOND, seq * 13,"
                            + " '2024-05-01')"),
            new Table("attachments", 0.01,
                    "id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, order_id BIGINT NOT NULL, file_name VARCHAR(200)"
                            + " NOT NULL, mime VARCHAR(50) NOT NULL, content BLOB NULL, CONSTRAINT fk_att_order"
                            + " FOREIGN KEY (order_id) REFERENCES orders (id)",
                    "id, order_id, file_name, mime, content",
                    "{b} + seq, " + ref("orders") + ", CONCAT('scan-', seq, '-façade.pdf'), 'application/pdf',"
                            + " IF(seq % 10 = 0, NULL, CONCAT(UNHEX(SHA2(seq, 512)), UNHEX(SHA2(seq + 1, 512)),"
                            + " UNHEX(SHA2(seq + 2, 512)), CHAR(0, 9, 10, 13, 92, 39), UNHEX(SHA2(seq, 256))))"),
            new Table("audit_log", 0.10,
                    "id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, actor VARCHAR(60) NOT NULL, action VARCHAR(40)"
                            + " NOT NULL, detail TEXT NULL, at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP",
                    "id, actor, action, detail, at",
                    "{b} + seq, CONCAT('tester', seq % 40), ELT(1 + seq % 5, 'create', 'update', 'delete',"
                            + " 'login', 'export'), IF(seq % 9 = 0, NULL, CONCAT('field\\told\\tnew\\nline 2 C:\\\\"
                            + "temp\\\\', seq, ' ’quotes’ ', LEFT(" + U + ", 1 + seq % 18))), TIMESTAMPADD(SECOND,"
                            + " seq * 7, '2024-06-01')"),
            new Table("reviews", 0.04,
                    "id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, product_id BIGINT NOT NULL, customer_id BIGINT"
                            + " NOT NULL, rating TINYINT NOT NULL, body TEXT NULL, CONSTRAINT fk_rev_product FOREIGN"
                            + " KEY (product_id) REFERENCES products (id), CONSTRAINT fk_rev_customer FOREIGN KEY"
                            + " (customer_id) REFERENCES customers (id)",
                    "id, product_id, customer_id, rating, body",
                    "{b} + seq, " + ref("products") + ", " + ref("customers") + ", 1 + seq % 5, IF(seq % 4 = 0,"
                            + " NULL, CONCAT(REPEAT('Très bien! ', 1 + seq % 6), " + U + "))"),
            new Table("sessions", 0.05,
                    "id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, customer_id BIGINT NOT NULL, token BINARY(32)"
                            + " NOT NULL, ip VARBINARY(16) NULL, expires DATETIME NOT NULL, CONSTRAINT fk_sess_customer"
                            + " FOREIGN KEY (customer_id) REFERENCES customers (id)",
                    "id, customer_id, token, ip, expires",
                    "{b} + seq, " + ref("customers") + ", UNHEX(SHA2(CONCAT('t', seq), 256)), IF(seq % 6 = 0,"
                            + " NULL, INET6_ATON(CONCAT('10.', seq % 256, '.', (seq DIV 256) % 256, '.9'))),"
                            + " TIMESTAMPADD(MINUTE, seq, '2024-07-01')"),
            new Table("shipments", 0.03,
                    "id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, order_id BIGINT NOT NULL, carrier VARCHAR(40) NOT"
                            + " NULL, tracking VARCHAR(64) NULL, shipped DATE NULL, weight_kg DECIMAL(8,3) NULL,"
                            + " CONSTRAINT fk_ship_order FOREIGN KEY (order_id) REFERENCES orders (id)",
                    "id, order_id, carrier, tracking, shipped, weight_kg",
                    "{b} + seq, " + ref("orders") + ", ELT(1 + seq % 3, 'PostNL', 'DHL', 'Ups'), IF(seq % 5 = 0,"
                            + " NULL, CONCAT('3S', LPAD(seq, 12, '0'))), IF(seq % 4 = 0, NULL, DATE_ADD('2024-01-01',"
                            + " INTERVAL seq % 400 DAY)), IF(seq % 3 = 0, NULL, (seq % 100000) / 1000)"),
            new Table("coupons", 0.01,
                    "id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, code VARCHAR(32) NOT NULL, discount DECIMAL(5,2)"
                            + " NOT NULL, valid_until DATE NULL, active TINYINT(1) NOT NULL DEFAULT 1,"
                            + " UNIQUE KEY uk_code (code)",
                    "id, code, discount, valid_until, active",
                    "{b} + seq, CONCAT('QA-', {b} + seq), (seq % 10000) / 100, IF(seq % 2 = 0, NULL,"
                            + " DATE_ADD('2025-01-01', INTERVAL seq % 365 DAY)), seq % 2"),
            new Table("wishlists", 0.01,
                    "id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, customer_id BIGINT NOT NULL, product_id BIGINT"
                            + " NOT NULL, added DATETIME NOT NULL, CONSTRAINT fk_wish_customer FOREIGN KEY"
                            + " (customer_id) REFERENCES customers (id), CONSTRAINT fk_wish_product FOREIGN KEY"
                            + " (product_id) REFERENCES products (id)",
                    "id, customer_id, product_id, added",
                    "{b} + seq, " + ref("customers") + ", " + ref("products") + ", TIMESTAMPADD(SECOND, seq * 31,"
                            + " '2024-08-01')"),
            new Table("addresses", 0.06,
                    "id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, customer_id BIGINT NOT NULL, street VARCHAR(200)"
                            + " NOT NULL, city VARCHAR(80) NOT NULL, zip VARCHAR(12) NULL, country CHAR(2) NOT NULL,"
                            + " CONSTRAINT fk_addr_customer FOREIGN KEY (customer_id) REFERENCES customers (id)",
                    "id, customer_id, street, city, zip, country",
                    "{b} + seq, " + ref("customers") + ", CONCAT(ELT(1 + seq % 4, 'Hauptstraße', 'Rue de l’Église',"
                            + " 'Kerkstraat', '銀座'), ' ', 1 + seq % 300), ELT(1 + seq % 4, 'München', 'Besançon',"
                            + " 'Utrecht', '東京'), IF(seq % 10 = 0, NULL, LPAD(seq % 99999, 5, '0')),"
                            + " ELT(1 + seq % 4, 'DE', 'FR', 'NL', 'JP')"));

    private BenchSchema() {
    }

    /** A reference to a parent row: a preserved parent, or one time in ten a production parent. */
    private static String ref(String parent) {
        return "IF(seq % 10 = 0, 1 + seq % " + PRODUCTION_ROWS + ", {b} + 1 + seq % {" + parent + "})";
    }

    /** Preserved rows per table for {@code total} rows (every table gets at least one). */
    static Map<String, Long> split(long total) {
        Map<String, Long> out = new LinkedHashMap<>();
        long left = total;
        for (int i = 0; i < TABLES.size(); i++) {
            Table t = TABLES.get(i);
            long n = i == TABLES.size() - 1 ? left : Math.max(1, Math.round(total * t.share()));
            n = Math.max(1, Math.min(n, left - (TABLES.size() - 1 - i)));
            out.put(t.name(), n);
            left -= n;
        }
        return out;
    }

    /** Drops and creates the schema with production rows only: what a restore from production gives. */
    static void production(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET SESSION time_zone = '+00:00'");
            s.execute("DROP DATABASE IF EXISTS " + SCHEMA);
            s.execute("CREATE DATABASE " + SCHEMA + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
            for (Table t : TABLES) {
                s.execute("CREATE TABLE " + SCHEMA + "." + t.name() + " (" + t.ddl() + ") ENGINE=InnoDB");
            }
            Map<String, Long> counts = new LinkedHashMap<>();
            TABLES.forEach(t -> counts.put(t.name(), (long) PRODUCTION_ROWS));
            for (Table t : TABLES) {
                fill(s, t, 0, PRODUCTION_ROWS, counts);
            }
        }
    }

    /** Adds the preserved rows (keys from the offset on): acceptance after testers worked on it. */
    static void preserved(Connection c, Map<String, Long> counts) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET SESSION time_zone = '+00:00'");
            for (Table t : TABLES) {
                fill(s, t, OFFSET, counts.get(t.name()), counts);
            }
        }
    }

    private static void fill(Statement s, Table t, long base, long rows, Map<String, Long> counts)
            throws SQLException {
        String select = t.select().replace("{b}", Long.toString(base));
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            select = select.replace("{" + e.getKey() + "}", Long.toString(e.getValue()));
        }
        // in slices, so that no single statement holds a huge undo log
        long slice = 200_000;
        for (long from = 1; from <= rows; from += slice) {
            long to = Math.min(rows, from + slice - 1);
            s.execute("INSERT INTO " + SCHEMA + "." + t.name() + " (" + t.columns() + ") SELECT " + select
                    + " FROM " + SCHEMA + ".seq_" + from + "_to_" + to);
        }
    }
}
