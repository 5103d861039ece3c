package io.jenkins.plugins.rdssync.core.e2e;

import static org.junit.Assert.assertEquals;

import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Migrations that acceptance ran and production has not survive every clone, applied once each time. */
public class MigrationsReapplyTest {
    @ClassRule
    public static final EmulatedRds RDS = new EmulatedRds();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void onlyAcceptanceOnlyMigrationsAreReappliedOncePerSync() throws Exception {
        Path dir = tmp.newFolder("migrations").toPath();
        // production's history records 001; re-running it would fail (the table exists)
        Files.writeString(dir.resolve("001_create_shop.sql"), "CREATE TABLE customers (id INT);\n");
        Files.writeString(dir.resolve("002_gift_cards.sql"), "CREATE TABLE gift_cards (\n"
                + "  id BIGINT AUTO_INCREMENT PRIMARY KEY, code VARCHAR(20) NOT NULL\n);\n"
                + "INSERT INTO gift_cards (code) VALUES ('WELCOME');\n");
        SyncSpec.Builder spec = RDS.spec("acc-mig").migrations(dir);

        RDS.sync(spec.build());
        assertEquals(1, RDS.queryLong("acc-mig", "SELECT COUNT(*) FROM gift_cards"));
        RDS.sync(spec.build());

        assertEquals("applied once on the fresh clone", 1, RDS.queryLong("acc-mig", "SELECT COUNT(*) FROM gift_cards"));
        assertEquals(1, RDS.queryLong("acc-mig",
                "SELECT COUNT(*) FROM schema_migrations WHERE version = '002_gift_cards'"));
        assertEquals(1, RDS.queryLong("acc-mig", "SELECT COUNT(*) FROM schema_migrations WHERE version LIKE '001%'"));
        assertEquals("production never gets it", 0, RDS.queryLong("production",
                "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_NAME = 'gift_cards'"));
    }
}
