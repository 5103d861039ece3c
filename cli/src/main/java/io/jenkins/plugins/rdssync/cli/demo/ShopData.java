package io.jenkins.plugins.rdssync.cli.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The demo's "production" database: a small web shop (customers, products, orders, order_items and the
 * schema_migrations history), built by the same migration files the demo later hands to rds-sync, and filled with
 * a few thousand rows generated from a fixed seed, so every run of the demo sees the same data.
 */
public final class ShopData {
    public static final String SCHEMA = "shop";
    public static final String RESOURCES = "/io/jenkins/plugins/rdssync/cli/demo/";
    /** The production migrations, in order; production's history records each (name without .sql). */
    public static final List<String> MIGRATIONS = List.of(
            "20240110090000_create_customers.sql",
            "20240110090100_create_products.sql",
            "20240215120000_create_orders.sql",
            "20240320080000_index_orders_by_status.sql");
    /** The migration deployed to acceptance only, during the demo. */
    public static final String ACCEPTANCE_ONLY_MIGRATION = "20250601120000_create_gift_cards.sql";
    public static final List<String> POST_SQL = List.of("10-mask-customer-emails.sql", "20-plenty-of-stock.sql");

    public static final int CUSTOMERS = 500;
    public static final int PRODUCTS = 60;
    public static final int ORDERS = 1_500;

    private static final String[] FIRST = {"Anna", "Bram", "Chloe", "Daan", "Emma", "Finn", "Grace", "Hugo", "Iris",
        "Jonas", "Kim", "Lars", "Mila", "Noah", "Olivia", "Pieter", "Quinn", "Rosa", "Sem", "Tess", "Umar", "Vera",
        "Wout", "Xena", "Yara", "Zeno"};
    private static final String[] LAST = {"de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder",
        "Bos", "Vos", "Peters", "Hendriks", "Dekker", "Brouwer", "Dijkstra", "Kok", "Jacobs", "Willems", "Maas"};
    private static final String[] CITIES = {"Amsterdam", "Rotterdam", "Utrecht", "Eindhoven", "Groningen",
        "Haarlem", "Leiden", "Delft", "Zwolle", "Maastricht", "Antwerp", "Ghent"};
    private static final String[] ADJ = {"Classic", "Compact", "Deluxe", "Eco", "Handmade", "Light", "Pro",
        "Rugged", "Smart", "Vintage"};
    private static final String[] NOUN = {"Backpack", "Bottle", "Headphones", "Jacket", "Kettle", "Lamp", "Mug",
        "Notebook", "Sneakers", "Teapot", "Umbrella", "Watch"};
    private static final String[] STATUS = {"delivered", "delivered", "delivered", "shipped", "paid", "cancelled"};
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    private static final LocalDateTime START = LocalDateTime.of(2024, 3, 1, 8, 0);

    private final Random random;
    private final List<BigDecimal> prices = new ArrayList<>();
    private int customers;
    private int orders;
    private int items;

    /** A generator; the same seed gives the same rows. */
    public ShopData(long seed) {
        this.random = new Random(seed);
    }

    /** The text of a resource shipped with the demo, e.g. {@code migrations/2024….sql}. */
    public static String resource(String path) {
        try (InputStream in = ShopData.class.getResourceAsStream(RESOURCES + path)) {
            if (in == null) {
                throw new IllegalStateException("demo resource " + path + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the migrations, the acceptance-only migration and the post-SQL files under {@code dir}. */
    public static void writeFiles(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("migrations"));
        Files.createDirectories(dir.resolve("post-sql"));
        Files.createDirectories(dir.resolve("acceptance-only"));
        for (String m : MIGRATIONS) {
            Files.writeString(dir.resolve("migrations").resolve(m), resource("migrations/" + m));
        }
        Files.writeString(dir.resolve("acceptance-only").resolve(ACCEPTANCE_ONLY_MIGRATION),
                resource("acceptance-only/" + ACCEPTANCE_ONLY_MIGRATION));
        for (String p : POST_SQL) {
            Files.writeString(dir.resolve("post-sql").resolve(p), resource("post-sql/" + p));
        }
    }

    /** Writes a secret to a file only the owner can read. */
    public static void writePrivate(Path file, String text) throws IOException {
        Files.writeString(file, text);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not POSIX
        }
    }

    /**
     * Creates the shop schema on a fresh instance as a deploy would: the history table, then every production
     * migration, recorded; then the rows.
     *
     * @return rows inserted per table
     */
    public void createProduction(Connection c) throws SQLException {
        exec(c, "CREATE DATABASE IF NOT EXISTS " + SCHEMA + " CHARACTER SET utf8mb4");
        c.setCatalog(SCHEMA);
        exec(c, "CREATE TABLE schema_migrations (version VARCHAR(255) NOT NULL, applied_at DATETIME NOT NULL,"
                + " PRIMARY KEY (version)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
        LocalDateTime applied = LocalDateTime.of(2024, 1, 10, 9, 0);
        for (String m : MIGRATIONS) {
            runScript(c, resource("migrations/" + m));
            exec(c, "INSERT INTO schema_migrations (version, applied_at) VALUES ('" + m.replace(".sql", "") + "', '"
                    + TS.format(applied) + "')");
            applied = applied.plusDays(20);
        }
        insertProducts(c, PRODUCTS);
        insertCustomers(c, CUSTOMERS, "");
        insertOrders(c, ORDERS, customers, START, 60 * 24 * 300);
    }

    /** Production keeps selling: new customers and new orders (keys continue below the offset). */
    public void productionMovesOn(Connection c, int newCustomers, int newOrders) throws SQLException {
        c.setCatalog(SCHEMA);
        insertCustomers(c, newCustomers, "new-");
        insertOrders(c, newOrders, customers, START.plusDays(301), 60 * 24 * 2);
    }

    private void insertProducts(Connection c, int n) throws SQLException {
        List<String> rows = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            BigDecimal price = BigDecimal.valueOf(499 + random.nextInt(19_500)).movePointLeft(2);
            prices.add(price);
            String name = ADJ[random.nextInt(ADJ.length)] + " " + NOUN[random.nextInt(NOUN.length)];
            rows.add("('SKU-" + String.format(Locale.ROOT, "%05d", i) + "', '" + name + "', " + price + ", "
                    + random.nextInt(250) + ")");
        }
        batches(c, "INSERT INTO products (sku, name, price, stock) VALUES ", rows);
    }

    private void insertCustomers(Connection c, int n, String tag) throws SQLException {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            customers++;
            String first = FIRST[random.nextInt(FIRST.length)];
            String last = LAST[random.nextInt(LAST.length)];
            String email = (tag + first + "." + last).toLowerCase(Locale.ROOT).replace(" ", "") + "." + customers
                    + "@mail.example.com";
            String hash = "$2y$10$" + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
            LocalDateTime created = START.minusDays(400).plusMinutes(random.nextInt(60 * 24 * 400));
            rows.add("('" + email + "', '" + first + " " + last + "', '" + CITIES[random.nextInt(CITIES.length)]
                    + "', '" + hash + "', '" + TS.format(created) + "')");
        }
        batches(c, "INSERT INTO customers (email, name, city, password_hash, created_at) VALUES ", rows);
    }

    private void insertOrders(Connection c, int n, int customerCount, LocalDateTime from, int spreadMinutes)
            throws SQLException {
        List<String> orderRows = new ArrayList<>();
        List<String> itemRows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            orders++;
            int customer = 1 + random.nextInt(customerCount);
            int lines = 1 + random.nextInt(4);
            BigDecimal total = BigDecimal.ZERO;
            for (int l = 0; l < lines; l++) {
                int product = 1 + random.nextInt(prices.size());
                int qty = 1 + random.nextInt(3);
                BigDecimal price = prices.get(product - 1);
                total = total.add(price.multiply(BigDecimal.valueOf(qty)));
                items++;
                itemRows.add("(" + orders + ", " + product + ", " + qty + ", " + price + ")");
            }
            LocalDateTime at = from.plusMinutes(random.nextInt(spreadMinutes));
            orderRows.add("(" + orders + ", " + customer + ", '" + STATUS[random.nextInt(STATUS.length)] + "', '"
                    + TS.format(at) + "', " + total.setScale(2, RoundingMode.HALF_UP) + ")");
        }
        batches(c, "INSERT INTO orders (id, customer_id, status, ordered_at, total) VALUES ", orderRows);
        batches(c, "INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES ", itemRows);
    }

    /** Rows this generator has made so far: customers, orders, order items. */
    public int customers() {
        return customers;
    }

    public int orders() {
        return orders;
    }

    public int items() {
        return items;
    }

    private static void batches(Connection c, String insert, List<String> rows) throws SQLException {
        for (int i = 0; i < rows.size(); i += 250) {
            exec(c, insert + String.join(",\n", rows.subList(i, Math.min(rows.size(), i + 250))));
        }
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Runs a simple SQL file: statements end with ';' at the end of a line; '--' lines are comments. */
    public static void runScript(Connection c, String text) throws SQLException {
        for (String statement : statements(text)) {
            exec(c, statement);
        }
    }

    static List<String> statements(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\\R")) {
            String t = line.trim();
            if (t.startsWith("--") || t.isEmpty()) {
                continue;
            }
            current.append(line).append('\n');
            if (t.endsWith(";")) {
                String s = current.toString().trim();
                out.add(s.substring(0, s.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().trim());
        }
        return out;
    }
}
