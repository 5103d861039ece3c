package io.jenkins.plugins.rdssync.cli.demo;

import io.jenkins.plugins.rdssync.core.run.Cancellation;
import io.jenkins.plugins.rdssync.core.run.SyncResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * {@code rds-sync demo}: a story in chapters. Production is created on the RDS emulator, a first sync creates
 * acceptance, a tester works there, a developer deploys an acceptance-only migration, production moves on, the
 * nightly sync runs again, and a table of checks shows what acceptance kept and what it got fresh.
 * <p>
 * The syncs themselves go through {@link Sync} — in the CLI, the very code path of {@code rds-sync run}.
 */
public final class DemoStory {
    public static final String SOURCE = "shop-prod";
    public static final String TARGET = "shop-acc";
    public static final String USER = "admin";
    public static final long OFFSET = 1_000_000_000L;
    static final long SEED = 20240601L;
    static final int CHAPTERS = 7;
    static final String QA_HASH = "$2y$10$QA.account.known.password.for.testers";
    static final String SCRIBBLE = "$2y$10$scribbled.by.a.tester";
    static final BigDecimal NEW_PRICE = new BigDecimal("24.95");
    static final String[] TABLES = {"customers", "products", "orders", "order_items", "schema_migrations"};

    /** Runs one sync of the demo's configuration file, printing the engine's events. */
    @FunctionalInterface
    public interface Sync {
        /** @return the result, or null when the sync failed (the failure is already printed) */
        SyncResult run(Path config, String password, String endpointUrl, Cancellation cancellation);
    }

    /** Ctrl-C: stop between steps. */
    static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super("stopped on request");
        }
    }

    private final PrintWriter out;
    private final Clock clock;
    private final Emulator.Starter starter;
    private final Sync sync;
    private final Duration rdsMinute;
    private final boolean keep;
    private final Cancellation cancellation;
    private final String password;
    private final List<Check> checks = new ArrayList<>();
    /** The verdict, printed last, after the emulator stopped. */
    private final List<String> closing = new ArrayList<>();
    private int chapter;
    private long started;

    record Check(String what, String expected, String found, boolean ok) {
    }

    public DemoStory(PrintWriter out, Clock clock, Emulator.Starter starter, Sync sync, Duration rdsMinute,
            boolean keep, Cancellation cancellation) {
        this.out = out;
        this.clock = clock;
        this.starter = starter;
        this.sync = sync;
        this.rdsMinute = rdsMinute;
        this.keep = keep;
        this.cancellation = cancellation;
        this.password = newPassword();
    }

    private static String newPassword() {
        SecureRandom r = new SecureRandom();
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        StringBuilder sb = new StringBuilder("Demo-");
        for (int i = 0; i < 20; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** Runs the demo. @return 0 PASS, 1 FAIL (or a failed step), 3 stopped with Ctrl-C */
    public int run() {
        started = clock.millis();
        Path dir = null;
        int code;
        try {
            dir = Files.createTempDirectory("rds-sync-demo-");
            intro(dir);
            chapter1Production(dir);
            code = story(dir, emulator);
            if (keep && code != 3) {
                keepRunning(dir, emulator);
            }
        } catch (Stopped e) {
            closing.add("");
            closing.add("Demo stopped (Ctrl-C) in chapter " + chapter + ".");
            code = 3;
        } catch (Exception e) {
            closing.add("");
            if (cancellation.isCancelled()) {
                closing.add("Demo stopped (Ctrl-C) in chapter " + chapter + ".");
                code = 3;
            } else {
                closing.add("The demo could not go on in chapter " + chapter + ": " + describe(e));
                closing.add("RESULT: FAIL (exit code 1)");
                code = 1;
            }
        } finally {
            if (emulator != null) {
                out.println();
                out.println("Stopping the emulator ...");
                out.flush();
                emulator.close();
            }
            if (dir != null && !keep) {
                deleteTree(dir);
            }
            for (String line : closing) {
                out.println(line);
            }
            out.flush();
        }
        return code;
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    // ------------------------------------------------------------------ chapters

    private void intro(Path dir) throws IOException {
        out.println("rds-sync demo");
        out.println("=============");
        out.println("A web shop runs its MySQL database '" + SOURCE
                + "' on Amazon RDS. Every night rds-sync clones it");
        out.println("into the acceptance instance '" + TARGET + "', where testers work -- and keeps what the testers");
        out.println("made there. This demo plays one day of that, in " + CHAPTERS + " short chapters.");
        out.println();
        out.println("Everything runs on this machine: an RDS emulator on 127.0.0.1 whose DB instances are real");
        out.println("MariaDB servers. Nothing touches AWS. One emulated 'RDS minute' lasts " + rdsMinute.toMillis()
                + " ms (--rds-minute).");
        out.println("Work folder: " + dir + (keep ? " (kept: --keep)" : " (removed at the end; --keep keeps it)"));
        ShopData.writeFiles(dir);
        ShopData.writePrivate(dir.resolve("db-password"), password + "\n");
        out.flush();
    }

    private void header(String title, String... why) {
        checkStop();
        chapter++;
        out.println();
        String h = "== Chapter " + chapter + " of " + CHAPTERS + ": " + title + " ";
        out.println(h + "=".repeat(Math.max(4, 100 - h.length())));
        for (String line : why) {
            out.println(line);
        }
        out.println();
        out.flush();
    }

    private void say(String line) {
        out.println(line.isEmpty() ? "" : "  " + line);
        out.flush();
    }

    private void checkStop() {
        if (cancellation.isCancelled()) {
            throw new Stopped();
        }
    }

    private void chapter1Production(Path dir) throws Exception {
        header("Production",
                "First we need a production database. The emulator plays Amazon RDS; '" + SOURCE + "' gets the shop's",
                "schema from its migration files (recorded in schema_migrations, as a deploy tool does) and a few",
                "thousand rows of customers, products and orders, the same on every run.");
        say("Starting the RDS emulator ...");
        emulator = starter.start(rdsMinute, 0, null);
        say("RDS API listening on " + emulator.endpoint());
        say("Creating the DB instance " + SOURCE + " (master user " + USER + ") ...");
        emulator.createAvailableInstance(SOURCE, USER, password, null);
        checkStop();
        say("Deploying the shop: " + ShopData.MIGRATIONS.size() + " migrations, then " + ShopData.CUSTOMERS
                + " customers, " + ShopData.PRODUCTS + " products and " + String.format(Locale.ROOT, "%,d",
                        ShopData.ORDERS) + " orders ...");
        ShopData shop = new ShopData(SEED);
        try (Connection c = emulator.connectAsMaster(SOURCE)) {
            shop.createProduction(c);
            say("");
            counts(c, SOURCE);
        }
        this.shop = shop;
    }

    private ShopData shop;
    private Emulator emulator;

    private int story(Path dir, Emulator emulator) throws Exception {
        String endpointUrl = emulator.endpoint().toString();
        Path config = writeConfig(dir, endpointUrl, emulator.region());

        header("The first sync creates acceptance",
                "There is no acceptance instance yet. The first sync snapshots production, restores the snapshot as",
                "'" + TARGET + "', masks the customers' e-mail addresses (post-SQL), and sets AUTO_INCREMENT to "
                        + String.format(Locale.ROOT, "%,d", OFFSET),
                "on the shop tables: every row a tester creates from now on is recognisable by its key.");
        say("The configuration, " + config.getFileName() + " -- the same file format as for a real sync. The"
                + " database password");
        say("is not in it: it comes from RDS_SYNC_DB_PASSWORD (docs/configuration.md explains every key).");
        say("");
        for (String line : Files.readAllLines(config)) {
            say("  | " + line);
        }
        say("");
        say("$ rds-sync run -c " + config.getFileName());
        SyncResult first = sync.run(config, password, endpointUrl, cancellation);
        checkStop();
        if (first == null) {
            return failed("the first sync failed (see above)");
        }
        Target acc = new Target(emulator, first);
        try (Connection c = acc.connect()) {
            out.println();
            say("Acceptance now answers at " + first.endpoint() + ":" + first.port() + ":");
            counts(c, TARGET);
        }

        header("A tester works on acceptance",
                "A tester signs up a new customer and places orders: the new rows get keys from "
                        + String.format(Locale.ROOT, "%,d", OFFSET) + " on.",
                "She also sets a known password for QA account 2: customers.password_hash is a preserved column for",
                "the QA accounts (id <= 3), so rds-sync carries those values across the clone. Customer 4 is no QA",
                "account: a change there is not kept.");
        long testerCustomer;
        List<Long> testerOrders = new ArrayList<>();
        try (Connection c = acc.connect()) {
            testerCustomer = insert(c, "INSERT INTO customers (email, name, city, password_hash, created_at) VALUES"
                    + " ('tess.tester@example.test', 'Tess Tester', 'Utrecht', '" + SCRIBBLE + "', NOW())");
            say(String.format(Locale.ROOT, "New customer 'Tess Tester' got id %,d  (>= offset: acceptance data)",
                    testerCustomer));
            long o1 = insert(c, "INSERT INTO orders (customer_id, status, ordered_at, total) VALUES (" + testerCustomer
                    + ", 'paid', NOW(), 59.90)");
            insert(c, "INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES (" + o1
                    + ", 5, 1, 19.90)");
            insert(c, "INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES (" + o1
                    + ", 7, 2, 20.00)");
            long o2 = insert(c, "INSERT INTO orders (customer_id, status, ordered_at, total) VALUES (3, 'paid', NOW(),"
                    + " 12.50)");
            insert(c, "INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES (" + o2
                    + ", 12, 1, 12.50)");
            testerOrders.add(o1);
            testerOrders.add(o2);
            say(String.format(Locale.ROOT, "Orders %,d (Tess, 2 lines) and %,d (QA account 3, 1 line) placed", o1, o2));
            update(c, "UPDATE customers SET password_hash = '" + QA_HASH + "' WHERE id = 2");
            say("QA account 2: password_hash set to the testers' known password");
            update(c, "UPDATE customers SET password_hash = '" + SCRIBBLE + "' WHERE id = 4");
            say("Customer 4 (no QA account): password_hash changed too -- this change is NOT meant to survive");
        }

        header("A developer deploys an acceptance-only migration",
                "The gift-card feature is still in test. Its migration joins the migrations folder and runs on",
                "acceptance only, recorded in schema_migrations. Production has not run it, so tonight's clone will",
                "lack the gift_cards table -- rds-sync re-applies every migration production's history does not list.");
        String migration = ShopData.ACCEPTANCE_ONLY_MIGRATION;
        Files.copy(dir.resolve("acceptance-only").resolve(migration), dir.resolve("migrations").resolve(migration));
        try (Connection c = acc.connect()) {
            ShopData.runScript(c, ShopData.resource("acceptance-only/" + migration));
            update(c, "INSERT INTO schema_migrations (version, applied_at) VALUES ('" + version(migration)
                    + "', NOW())");
        }
        say("migrations/" + migration + " applied on " + TARGET + " and recorded");

        header("Meanwhile, production moves on",
                "Production keeps selling while acceptance is being tested. The next sync must bring all of it.");
        BigDecimal oldPrice;
        try (Connection c = emulator.connectAsMaster(SOURCE)) {
            c.setCatalog(ShopData.SCHEMA);
            oldPrice = decimal(c, "SELECT price FROM products WHERE id = 1");
            shop.productionMovesOn(c, 3, 40);
            update(c, "UPDATE products SET price = " + NEW_PRICE + " WHERE id = 1");
            say("3 new customers placed 40 orders; product 1 now costs " + NEW_PRICE + " (was " + oldPrice + ")");
            say("");
            counts(c, SOURCE);
        }

        header("The nightly sync runs again",
                "Same file, same command. Watch Backup save the tester rows and the QA password, Post-restore SQL",
                "mask e-mails again, Migrations re-apply the gift-card migration, and Reload put the tester rows back.",
                "With the swap strategy, acceptance keeps answering until the final rename.");
        say("$ rds-sync run -c " + config.getFileName());
        SyncResult second = sync.run(config, password, endpointUrl, cancellation);
        checkStop();
        if (second == null) {
            return failed("the second sync failed (see above)");
        }

        header("Did acceptance keep the tester's work and get fresh production data?",
                "Each check compares what the story expects with what the databases now hold.");
        Target acc2 = new Target(emulator, second);
        try (Connection a = acc2.connect(); Connection p = emulator.connectAsMaster(SOURCE)) {
            p.setCatalog(ShopData.SCHEMA);
            verify(a, p, testerCustomer, testerOrders, second);
        }
        return verdict();
    }

    private void verify(Connection a, Connection p, long testerCustomer, List<Long> testerOrders, SyncResult r)
            throws SQLException {
        check("The tester's customer is still there", "Tess Tester",
                text(a, "SELECT name FROM customers WHERE id = " + testerCustomer));
        String ids = testerOrders.get(0) + ", " + testerOrders.get(1);
        check("The tester's 2 orders and 3 order lines are still there", "2 orders, 3 lines",
                count(a, "SELECT COUNT(*) FROM orders WHERE id IN (" + ids + ")") + " orders, "
                        + count(a, "SELECT COUNT(*) FROM order_items WHERE order_id IN (" + ids + ")") + " lines");
        String qa = text(a, "SELECT password_hash FROM customers WHERE id = 2");
        check("QA account 2 keeps its known password (preserved column)", abbreviate(QA_HASH), abbreviate(qa),
                QA_HASH.equals(qa));
        String prod4 = text(p, "SELECT password_hash FROM customers WHERE id = 4");
        String acc4 = text(a, "SELECT password_hash FROM customers WHERE id = 4");
        check("Customer 4 is back to production's password hash", abbreviate(prod4), abbreviate(acc4),
                prod4 != null && prod4.equals(acc4));
        long prodOrders = count(p, "SELECT COUNT(*) FROM orders");
        check("Production's new orders arrived (orders below the offset)", String.format(Locale.ROOT, "%,d",
                prodOrders), String.format(Locale.ROOT, "%,d", count(a, "SELECT COUNT(*) FROM orders WHERE id < "
                        + OFFSET)));
        check("Production's new price of product 1 arrived", NEW_PRICE.toPlainString(),
                String.valueOf(decimal(a, "SELECT price FROM products WHERE id = 1")));
        String v = version(ShopData.ACCEPTANCE_ONLY_MIGRATION);
        long giftTable = count(a, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '"
                + ShopData.SCHEMA + "' AND TABLE_NAME = 'gift_cards'");
        long recorded = count(a, "SELECT COUNT(*) FROM schema_migrations WHERE version = '" + v + "'");
        check("The acceptance-only migration was re-applied", "table + history row",
                (giftTable == 1 ? "table" : "no table") + " + " + (recorded == 1 ? "history row" : "no history row"));
        check("Production never got it", "no table", count(p, "SELECT COUNT(*) FROM information_schema.TABLES WHERE"
                + " TABLE_SCHEMA = '" + ShopData.SCHEMA + "' AND TABLE_NAME = 'gift_cards'") == 0 ? "no table"
                : "table");
        check("Post-SQL masked every production e-mail address", "0 real addresses",
                count(a, "SELECT COUNT(*) FROM customers WHERE id < " + OFFSET
                        + " AND email NOT LIKE '%@example.invalid'") + " real addresses");
        long newId = probeNewKey(a);
        check("A new row on acceptance still gets a key >= offset", ">= " + String.format(Locale.ROOT, "%,d", OFFSET),
                String.format(Locale.ROOT, "%,d", newId), newId >= OFFSET);
        long preserved = r.preservedRowCount();
        check("The engine reports the preserved rows", "6 rows", preserved + " rows");
    }

    /** Inserts a product in a transaction that is rolled back, to see which key acceptance hands out now. */
    private static long probeNewKey(Connection a) throws SQLException {
        boolean auto = a.getAutoCommit();
        a.setAutoCommit(false);
        try {
            return insert(a, "INSERT INTO products (sku, name, price, stock) VALUES ('PROBE-1', 'probe', 1.00, 1)");
        } finally {
            a.rollback();
            a.setAutoCommit(auto);
        }
    }

    private void check(String what, String expected, String found) {
        check(what, expected, found, Objects.equals(expected, found));
    }

    private void check(String what, String expected, String found, boolean ok) {
        checks.add(new Check(what, expected, found == null ? "(none)" : found, ok));
    }

    private int verdict() {
        String fmt = "  %-3s %-58s %-22s %-22s %s";
        out.println(String.format(Locale.ROOT, fmt, "#", "Check", "Expected", "Found", "Result"));
        out.println(String.format(Locale.ROOT, fmt, "---", "-".repeat(58), "-".repeat(22), "-".repeat(22), "------"));
        int failed = 0;
        for (int i = 0; i < checks.size(); i++) {
            Check c = checks.get(i);
            if (!c.ok()) {
                failed++;
            }
            out.println(String.format(Locale.ROOT, fmt, i + 1, c.what(), c.expected(), c.found(), c.ok() ? "ok"
                    : "FAIL"));
        }
        out.flush();
        double seconds = (clock.millis() - started) / 1000.0;
        closing.add("");
        if (failed == 0) {
            closing.add(String.format(Locale.ROOT, "RESULT: PASS -- all %d checks passed in %.0f s: acceptance kept"
                    + " the tester's work and has fresh production data. Exit code 0.", checks.size(), seconds));
            return 0;
        }
        closing.add(String.format(Locale.ROOT, "RESULT: FAIL -- %d of %d checks failed (marked FAIL above)."
                + " Exit code 1.", failed, checks.size()));
        return 1;
    }

    private int failed(String why) {
        closing.add("");
        closing.add("The demo cannot go on: " + why + ".");
        closing.add("RESULT: FAIL (exit code 1)");
        return 1;
    }

    private void keepRunning(Path dir, Emulator emulator) throws InterruptedException {
        out.println();
        out.println("--keep: the emulator keeps running so that you can look around. Ctrl-C stops it.");
        out.println("  RDS API endpoint:  " + emulator.endpoint());
        out.println("  Files:             " + dir + "  (rds-sync.yaml, migrations/, post-sql/)");
        out.println("  Database password: in " + dir.resolve("db-password") + " (user " + USER + ")");
        out.println("  Try, in another terminal:");
        out.println("    export AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo");
        out.println("    export RDS_SYNC_DB_PASSWORD=\"$(cat " + dir.resolve("db-password") + ")\"");
        out.println("    rds-sync plan -c " + dir.resolve("rds-sync.yaml"));
        out.println("    rds-sync run -c " + dir.resolve("rds-sync.yaml"));
        out.flush();
        while (!cancellation.isCancelled()) {
            Thread.sleep(200);
        }
    }

    // ------------------------------------------------------------------ helpers

    private Path writeConfig(Path dir, String endpointUrl, String region) throws IOException {
        String[][] lines = {
            {"# rds-sync demo: the production shop cloned into acceptance, keeping the testers' work", null},
            {"source: " + SOURCE, null},
            {"target: " + TARGET, null},
            {"region: " + region, null},
            {"endpointUrl: " + endpointUrl, "the emulator; leave out for real AWS"},
            {"strategy: swap", "acceptance stays up until the final rename"},
            {"snapshotMode: rolling", null},
            {"mysqlUser: " + USER, "the password comes from RDS_SYNC_DB_PASSWORD"},
            {"dbTls: disabled", "the emulator's databases speak plain TCP on loopback"},
            {"databases: [" + ShopData.SCHEMA + "]", null},
            {"offset: 1000000000", "rows with keys from here on belong to acceptance"},
            {"preserveTables:", null},
            {"  - customers:id", null},
            {"  - products:id", null},
            {"  - orders:id", null},
            {"  - order_items:id", null},
            {"preserveColumns:", null},
            {"  - table: customers", null},
            {"    column: password_hash", null},
            {"    where: id <= 3", "the QA accounts testers log in with"},
            {"postSql:", null},
            {"  - post-sql/10-mask-customer-emails.sql", null},
            {"  - post-sql/20-plenty-of-stock.sql", null},
            {"migrations: migrations", "history: schema_migrations.version"},
            {"allowTargets: ['*-acc']", "this file may only ever replace *-acc instances"},
            {"workDir: work", "journal and preserved rows"},
            {"timeoutMinutes: 30", null},
        };
        int width = 0;
        for (String[] l : lines) {
            if (l[1] != null) {
                width = Math.max(width, l[0].length());
            }
        }
        StringBuilder yaml = new StringBuilder();
        for (String[] l : lines) {
            yaml.append(l[1] == null ? l[0] : String.format(Locale.ROOT, "%-" + width + "s   # %s", l[0], l[1]))
                    .append('\n');
        }
        Path f = dir.resolve("rds-sync.yaml");
        Files.writeString(f, yaml.toString());
        return f;
    }

    static String version(String migrationFile) {
        return migrationFile.substring(0, migrationFile.length() - ".sql".length());
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "(none)";
        }
        return s.length() <= 22 ? s : s.substring(0, 19) + "...";
    }

    private void counts(Connection c, String instance) throws SQLException {
        say(String.format(Locale.ROOT, "%-20s %10s", instance + "." + ShopData.SCHEMA, "rows"));
        for (String t : TABLES) {
            long n = count(c, "SELECT COUNT(*) FROM " + ShopData.SCHEMA + "." + t);
            say(String.format(Locale.ROOT, "  %-18s %,10d", t, n));
        }
    }

    private static long insert(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate(sql, Statement.RETURN_GENERATED_KEYS);
            try (ResultSet rs = s.getGeneratedKeys()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    private static void update(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static String text(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static BigDecimal decimal(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getBigDecimal(1) : null;
        }
    }

    /** Acceptance as a tester reaches it: the endpoint the sync reported, the master user and password. */
    private final class Target {
        private final Emulator emulator;
        private final SyncResult result;

        Target(Emulator emulator, SyncResult result) {
            this.emulator = emulator;
            this.result = result;
        }

        Connection connect() throws SQLException {
            Connection c;
            if (result.endpoint() != null && result.port() > 0) {
                c = DriverManager.getConnection("jdbc:mysql://" + result.endpoint() + ":" + result.port() + "/"
                        + ShopData.SCHEMA + "?sslMode=DISABLED&allowPublicKeyRetrieval=true", USER, password);
            } else {
                c = emulator.connectAsMaster(TARGET);
                c.setCatalog(ShopData.SCHEMA);
            }
            return c;
        }
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }
}
