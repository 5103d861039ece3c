package io.jenkins.plugins.rdssync.core.db;

import static io.jenkins.plugins.rdssync.core.db.ShopFixture.OFFSET;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.rdssync.core.run.Cancellation;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Memory and exactness of backup and reload with more rows than the other tests: the rows stream through (the live
 * heap does not hold them) and come back byte for byte. No timing here: speed is measured by the benchmark command
 * ({@code bench/run.sh}, see docs/performance.md), which compares with mariadb-dump and with LOAD DATA.
 */
public class PreservedRowsStreamingTest {
    private static final int ROWS = 100_000;
    /** The rows as Java objects would take far more than this (the text alone is about 16 MB). */
    private static final long MAX_LIVE_HEAP_GROWTH = 8L << 20;

    @ClassRule
    public static final EmbeddedMariaDb DB = new EmbeddedMariaDb();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final String DDL = "CREATE TABLE orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, user_id INT NOT NULL,"
            + " status VARCHAR(20) NOT NULL, amount DECIMAL(12,2), created DATETIME(6) NOT NULL, note VARCHAR(200),"
            + " payload VARBINARY(64), KEY (user_id)) ENGINE=InnoDB";

    @BeforeClass
    public static void data() throws Exception {
        DB.freshSchema("bulk");
        DB.sql("bulk", DDL, "INSERT INTO orders SELECT seq, seq % 977, ELT(1 + seq % 4, 'new', 'paid', 'shipped',"
                + " 'cancelled'), IF(seq % 11 = 0, NULL, (seq % 100000) / 100), TIMESTAMPADD(MICROSECOND, seq * 7919,"
                + " '2024-01-01'), CONCAT('order note ', seq, ' \\t with tab, \\\\ backslash, é 日本 🎉 ',"
                + " REPEAT('z', seq % 80)), UNHEX(SHA2(seq, 256)) FROM seq_" + OFFSET + "_to_"
                + (OFFSET + ROWS - 1),
                // and some production rows, which are not preserved
                "INSERT INTO orders SELECT seq, 1, 'prod', 1, '2020-01-01', NULL, NULL FROM seq_1_to_500");
    }

    /**
     * The live heap (after a full collection) at every step both sides report, compared with before: a regression
     * that keeps rows, a table's result or the whole file in memory shows up here.
     */
    private static final class LiveHeap implements DbProgress {
        final long baseline;
        long peak;

        LiveHeap() {
            baseline = live();
            peak = baseline;
        }

        static long live() {
            System.gc();
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }

        @Override
        public synchronized void log(String line) {
            peak = Math.max(peak, live());
        }

        @Override
        public void progress(String message, int percent) {
            if (percent > 0 && percent < 100) {
                log(message);
            }
        }

        long growth() {
            return peak - baseline;
        }
    }

    @Test
    public void rowsStreamThroughAndComeBackByteIdentical() throws Exception {
        long checksum;
        try (Connection c = DB.connect("bulk")) {
            checksum = Rows.checksum(c, "bulk", "orders");
        }
        Path file = tmp.getRoot().toPath().resolve("preserved-rows.zip");
        List<PreservedTable> tables = List.of(new PreservedTable("bulk", "orders", "id"));

        LiveHeap backupHeap = new LiveHeap();
        BackupManifest m = new PreservedRowsBackup().write(DB.connector(), DB.address(), tables, List.of(), OFFSET,
                file, backupHeap, new Cancellation());
        assertEquals(ROWS, m.totalRows());

        DB.sql("bulk", "DELETE FROM orders WHERE id >= " + OFFSET);
        LiveHeap reloadHeap = new LiveHeap();
        Map<String, Long> loaded = new PreservedRowsReload().reload(DB.connector(), DB.address(), file, reloadHeap,
                new Cancellation(), 2);
        assertEquals(Long.valueOf(ROWS), loaded.get("bulk.orders"));

        try (Connection c = DB.connect("bulk")) {
            assertEquals("every byte of every row is back", checksum, Rows.checksum(c, "bulk", "orders"));
            assertEquals(ROWS + 500, Rows.count(c, "SELECT COUNT(*) FROM bulk.orders"));
        }
        assertTrue("backup kept " + backupHeap.growth() + " bytes alive", backupHeap.growth() < MAX_LIVE_HEAP_GROWTH);
        assertTrue("reload kept " + reloadHeap.growth() + " bytes alive", reloadHeap.growth() < MAX_LIVE_HEAP_GROWTH);
    }
}
