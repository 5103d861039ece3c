package io.jenkins.plugins.rdssync.core.db;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.jenkins.plugins.rdssync.core.run.Cancellation;
import io.jenkins.plugins.rdssync.core.spec.Secret;
import io.jenkins.plugins.rdssync.core.spec.TlsMode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.util.Optional;
import org.junit.Before;
import org.junit.ClassRule;
import org.junit.Test;

/**
 * Stopping a SQL script between two statements, continuing it where it stopped, and the passwords written in SQL,
 * against a real MariaDB.
 */
public class SqlScriptStopTest {
    @ClassRule
    public static final EmbeddedMariaDb DB = new EmbeddedMariaDb();
    private static final String SECRET = "Distinct-Secret-42";

    @Before
    public void schema() throws Exception {
        DB.freshSchema("acc");
        DB.sql("acc", "CREATE TABLE marks (n INT NOT NULL)");
        DB.sql(null, "DROP USER IF EXISTS 'tester'@'%'");
    }

    /** A checkpoint kept in memory, as the engine keeps it in the journal. */
    private static final class Kept implements SqlScriptCheckpoint {
        String value;

        @Override
        public Optional<String> load() {
            return Optional.ofNullable(value);
        }

        @Override
        public void save(String v) {
            value = v;
        }
    }

    /** Progress that asks for a stop when a line containing {@code when} is logged. */
    private static RecordingProgress stopWhen(String when, Cancellation cancel) {
        return new RecordingProgress() {
            @Override
            public void log(String line) {
                super.log(line);
                if (line.contains(when)) {
                    cancel.cancel("interrupted by the test");
                }
            }
        };
    }

    private static SqlScript marks(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            b.append("INSERT INTO marks VALUES (").append(i).append(");\n");
        }
        return SqlScript.parse(b.toString(), "tweaks.sql");
    }

    @Test
    public void aStopBetweenStatementsSaysWhereAndTheResumeContinuesThere() throws Exception {
        Kept checkpoint = new Kept();
        Cancellation cancel = new Cancellation();
        try (Connection c = DB.connect("acc")) {
            new SqlScriptRunner("postSql", cancel).run(c, marks(5), stopWhen("VALUES (2)", cancel), checkpoint);
            fail("the stop should end the script");
        } catch (Cancellation.CancelledException e) {
            assertEquals("interrupted by the test; stopped after statement 2 of 5 in tweaks.sql (line 2);"
                    + " the resume continues with statement 3 (line 3)", e.getMessage());
        }
        try (Connection c = DB.connect("acc")) {
            assertEquals("statements 1 and 2 ran, 3 did not", "1,2", Rows.string(c,
                    "SELECT GROUP_CONCAT(n ORDER BY n) FROM marks"));
            RecordingProgress p = new RecordingProgress();
            assertEquals(3, new SqlScriptRunner("postSql", new Cancellation()).run(c, marks(5), p, checkpoint));
            assertTrue(p.all(), p.all().startsWith("tweaks.sql: statements 1 to 2 ran before the run stopped;"
                    + " continuing with statement 3 (line 3)"));
            assertEquals("every statement once", "1,2,3,4,5", Rows.string(c,
                    "SELECT GROUP_CONCAT(n ORDER BY n) FROM marks"));
        }
    }

    @Test
    public void aScriptChangedBeforeTheResumeRunsFromItsStart() throws Exception {
        Kept checkpoint = new Kept();
        Cancellation cancel = new Cancellation();
        try (Connection c = DB.connect("acc")) {
            new SqlScriptRunner("postSql", cancel).run(c, marks(3), stopWhen("VALUES (1)", cancel), checkpoint);
            fail();
        } catch (Cancellation.CancelledException expected) {
            // stopped after statement 1
        }
        SqlScript edited = SqlScript.parse("DELETE FROM marks;\nINSERT INTO marks VALUES (7);\n", "tweaks.sql");
        try (Connection c = DB.connect("acc")) {
            RecordingProgress p = new RecordingProgress();
            assertEquals(2, new SqlScriptRunner("postSql").run(c, edited, p, checkpoint));
            assertEquals(p.warnings.toString(), "tweaks.sql changed since the run that stopped in it: running it"
                    + " again from its first statement", p.warnings.get(0));
            assertEquals("7", Rows.string(c, "SELECT GROUP_CONCAT(n) FROM marks"));
        }
    }

    @Test
    public void aStopInsideATransactionWaitsForItsCommit() throws Exception {
        SqlScript script = SqlScript.parse("START TRANSACTION;\nINSERT INTO marks VALUES (1);\n"
                + "INSERT INTO marks VALUES (2);\nCOMMIT;\nINSERT INTO marks VALUES (3);\n", "tx.sql");
        Kept checkpoint = new Kept();
        Cancellation cancel = new Cancellation();
        RecordingProgress p = stopWhen("VALUES (1)", cancel);
        try (Connection c = DB.connect("acc")) {
            new SqlScriptRunner("migrations", cancel).run(c, script, p, checkpoint);
            fail();
        } catch (Cancellation.CancelledException e) {
            assertTrue(e.getMessage(), e.getMessage().endsWith("stopped after statement 4 of 5 in tx.sql (line 4);"
                    + " the resume continues with statement 5 (line 5)"));
        }
        assertTrue(p.all(), p.all().contains("Stop requested: finishing the transaction tx.sql line 1 opened first"));
        try (Connection c = DB.connect("acc")) {
            assertEquals("1,2", Rows.string(c, "SELECT GROUP_CONCAT(n ORDER BY n) FROM marks"));
        }
    }

    @Test
    public void passwordsInSqlAppearNeitherInTheLogNorInTheError() throws Exception {
        SqlScript script = SqlScript.parse("CREATE USER 'tester'@'%' IDENTIFIED BY '" + SECRET + "';\n"
                + "ALTER USER 'tester'@'%' IDENTIFIED BY '" + SECRET + "';\n"
                + "SET PASSWORD FOR 'tester'@'%' = PASSWORD('" + SECRET + "');\n"
                + "GRANT SELECT ON acc.* TO 'tester'@'%';\n"
                + "GRANT SELECT ON acc.no_such_table TO 'tester'@'%' IDENTIFIED BY '" + SECRET + "';\n", "users.sql");
        RecordingProgress p = new RecordingProgress();
        try (Connection c = DB.connect("acc")) {
            new SqlScriptRunner("postSql").run(c, script, p);
            fail("the last GRANT names a table that does not exist");
        } catch (SqlScriptException e) {
            StringWriter w = new StringWriter();
            e.printStackTrace(new PrintWriter(w));
            System.out.println("ERROR " + e.getMessage());
            assertFalse(w.toString(), w.toString().contains(SECRET));
            assertFalse(e.statement(), e.statement().contains(SECRET));
            assertTrue(e.getMessage(), e.getMessage().startsWith("users.sql line 5: "));
            assertTrue(e.getMessage(), e.getMessage().endsWith("IDENTIFIED BY '****'"));
        }
        System.out.println("LOG\n" + p.all());
        assertFalse(p.all(), p.all().contains(SECRET));
        assertTrue(p.all(), p.all().contains("users.sql line 1: CREATE USER 'tester'@'%' IDENTIFIED BY '****'"));
        assertTrue(p.all(), p.all().contains("users.sql line 3: SET PASSWORD FOR 'tester'@'%' = PASSWORD('****')"));
        // what ran was the real statement: the user logs in with the password
        new DbConnector("tester", Secret.of(SECRET), TlsMode.DISABLED, null).checkLogin(DB.address());
    }
}
