package io.jenkins.plugins.rdssync.core.reliability;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.rdssync.core.e2e.EmulatedRds;
import io.jenkins.plugins.rdssync.core.e2e.RecordingListener;
import io.jenkins.plugins.rdssync.core.run.Cancellation;
import io.jenkins.plugins.rdssync.core.run.Journal;
import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.run.SyncException;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A stop in the middle of a post-restore SQL file and in the middle of a migration: the run stops at the next
 * statement, says after which one, and the resume continues with the next, so that no statement runs twice (a
 * migration's second ALTER would otherwise meet the column its first one added). The passwords the SQL sets appear
 * in no line, message or journal.
 */
public class SqlStopTest {
    @ClassRule
    public static final EmulatedRds RDS = new EmulatedRds();
    private static final Rig RIG = new Rig(RDS);
    private static final String SECRET = "Distinct-Secret-42";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void stopsBetweenStatementsOfAFileAndAMigrationThenResumesAfterTheLastOneRun() throws Exception {
        String target = "acc-sql-stop";
        Map<String, List<String>> rows = RIG.acceptance(target);
        Path post = tmp.newFile("post.sql").toPath();
        Files.writeString(post, "CREATE TABLE post_marks (n INT NOT NULL);\n"
                + "INSERT INTO post_marks VALUES (1);\n"
                + "CREATE USER 'tester'@'%' IDENTIFIED BY '" + SECRET + "';\n"
                + "INSERT INTO post_marks VALUES (2);\n");
        Path migrations = tmp.newFolder("migrations").toPath();
        Files.writeString(migrations.resolve("001_create_shop.sql"), "SELECT 1;\n");
        Files.writeString(migrations.resolve("002_gifts.sql"), "ALTER TABLE orders ADD COLUMN gift_note VARCHAR(50);\n"
                + "ALTER TABLE orders ADD COLUMN gift_wrap TINYINT NOT NULL DEFAULT 0;\n");
        SyncSpec spec = RDS.spec(target).postSql(List.of(post)).migrations(migrations).build();

        SyncException e = stopWhen(spec, "post.sql line 3: CREATE USER");
        assertEquals(StageName.POST_SQL, e.stage());
        assertEquals("Cancelled in stage Post-restore SQL: interrupted by the test; stopped after statement 3 of 4 in"
                + " post.sql (line 3); the resume continues with statement 4 (line 4)", e.getMessage());
        assertTrue(e.hint(), e.hint().contains("continue from stage Post-restore SQL"));

        e = stopWhen(spec.toBuilder().resume(true).build(), "002_gifts.sql line 1: ALTER TABLE");
        assertEquals(StageName.MIGRATIONS, e.stage());
        assertEquals("Cancelled in stage Migrations: interrupted by the test; stopped after statement 1 of 2 in"
                + " 002_gifts.sql (line 1); the resume continues with statement 2 (line 2)", e.getMessage());

        RecordingListener last = new RecordingListener();
        RIG.resume(spec, last);
        assertTrue(last.text(), last.text().contains("002_gifts.sql: statements 1 to 1 ran before the run stopped;"
                + " continuing with statement 2 (line 2)"));
        assertTrue(last.text(), last.text().contains("Migration 002_gifts.sql applied and recorded"));
        RIG.assertRowsExactlyOnce(target, rows);
        assertEquals("each post-SQL statement ran once", "1,2", RDS.queryString(target,
                "SELECT GROUP_CONCAT(n ORDER BY n) FROM post_marks"));
        assertEquals("both columns of the migration", 2, RDS.queryLong(target, "SELECT COUNT(*) FROM"
                + " information_schema.COLUMNS WHERE TABLE_SCHEMA = 'shop' AND TABLE_NAME = 'orders'"
                + " AND COLUMN_NAME IN ('gift_note', 'gift_wrap')"));
        assertEquals(1, RDS.queryLong(target, "SELECT COUNT(*) FROM schema_migrations WHERE version = '002_gifts'"));
        String journal = Files.readString(spec.workDir().resolve(Journal.FILE_NAME));
        assertFalse("no password in the journal", journal.contains(SECRET));
    }

    private static SyncException stopWhen(SyncSpec spec, String line) {
        Cancellation cancel = new Cancellation();
        RecordingListener l = new RecordingListener().when(line, () -> cancel.cancel("interrupted by the test"));
        SyncException e = RIG.failing(spec, l, cancel);
        String all = l.text() + "\n" + e.getMessage() + "\n" + e.hint();
        assertFalse("the password in the SQL is shown nowhere:\n" + all, all.contains(SECRET));
        assertTrue(l.text(), l.text().contains("post.sql line 3: CREATE USER 'tester'@'%' IDENTIFIED BY '****'")
                || spec.resume());
        return e;
    }
}
