package io.jenkins.plugins.rdssync.core.db;

import static org.junit.Assert.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The splitter, without a database. */
public class SqlScriptTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static List<String> sql(SqlScript s) {
        return s.statements().stream().map(SqlStatement::sql).toList();
    }

    private static List<Integer> lines(SqlScript s) {
        return s.statements().stream().map(SqlStatement::line).toList();
    }

    @Test
    public void splitsOnSemicolonsAndKeepsLineNumbers() {
        SqlScript s = SqlScript.parse("SELECT 1;\n\nUPDATE t SET a = 1\n  WHERE b = 2;\nSELECT 3; SELECT 4;", "x.sql");
        assertEquals(List.of("SELECT 1", "UPDATE t SET a = 1\n  WHERE b = 2", "SELECT 3", "SELECT 4"), sql(s));
        assertEquals(List.of(1, 3, 5, 5), lines(s));
    }

    @Test
    public void semicolonsInStringsAndIdentifiersDoNotSplit() {
        SqlScript s = SqlScript.parse("INSERT INTO t VALUES ('a;b', \"c;d\", 'it''s;', 'back\\';slash');\n"
                + "SELECT `odd;name` FROM t;\nSELECT 'multi\nline;string' FROM dual;\nSELECT 9;", "x.sql");
        assertEquals(List.of("INSERT INTO t VALUES ('a;b', \"c;d\", 'it''s;', 'back\\';slash')",
                "SELECT `odd;name` FROM t", "SELECT 'multi\nline;string' FROM dual", "SELECT 9"), sql(s));
        assertEquals(List.of(1, 2, 3, 5), lines(s));
    }

    @Test
    public void commentsAreSkippedAndDoNotSplit() {
        String text = "-- leading comment; with semicolon\n"
                + "# hash comment;\n"
                + "/* block; comment\n spanning lines */\n"
                + "SELECT 1 -- trailing; comment\n"
                + "  , 2;\n"
                + "SELECT 5 --1;\n"
                + "/*!40101 SET NAMES utf8mb4 */;\n"
                + "-- only a comment at the end\n";
        SqlScript s = SqlScript.parse(text, "c.sql");
        assertEquals(3, s.statements().size());
        assertEquals("SELECT 1 -- trailing; comment\n  , 2", s.statements().get(0).sql());
        assertEquals(5, s.statements().get(0).line());
        assertEquals("SELECT 5 --1", s.statements().get(1).sql()); // "--" without a space is minus minus
        assertEquals(7, s.statements().get(1).line());
        assertEquals("/*!40101 SET NAMES utf8mb4 */", s.statements().get(2).sql());
        assertEquals(8, s.statements().get(2).line());
    }

    @Test
    public void delimiterLinesForProceduresAndTriggers() {
        String text = "CREATE TABLE t (a INT);\n"
                + "DELIMITER $$\n"
                + "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW\n"
                + "BEGIN\n"
                + "  SET NEW.a = NEW.a + 1;\n"
                + "  SET NEW.a = NEW.a * 2;\n"
                + "END$$\n"
                + "CREATE PROCEDURE p() BEGIN SELECT ';'; END $$\n"
                + "delimiter ;\n"
                + "INSERT INTO t VALUES (1);\n";
        SqlScript s = SqlScript.parse(text, "p.sql");
        assertEquals(4, s.statements().size());
        assertEquals("CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW\nBEGIN\n  SET NEW.a = NEW.a + 1;\n"
                + "  SET NEW.a = NEW.a * 2;\nEND", s.statements().get(1).sql());
        assertEquals(3, s.statements().get(1).line());
        assertEquals("CREATE PROCEDURE p() BEGIN SELECT ';'; END", s.statements().get(2).sql());
        assertEquals("INSERT INTO t VALUES (1)", s.statements().get(3).sql());
        assertEquals(10, s.statements().get(3).line());
    }

    @Test
    public void lastStatementWithoutTerminatorAndBomAndCrLf() throws Exception {
        Path f = tmp.newFile("post-migration-tweaks.sql").toPath();
        Files.write(f, "\uFEFFSELECT 1;\r\nSELECT 2\r\n".getBytes(StandardCharsets.UTF_8));
        SqlScript s = SqlScript.parse(f);
        assertEquals(List.of("SELECT 1", "SELECT 2"), sql(s));
        assertEquals(List.of(1, 2), lines(s));
        assertEquals("post-migration-tweaks.sql line 2", s.location(s.statements().get(1)));
    }

    @Test
    public void statementsGivenOnePerEntry() {
        SqlScript s = SqlScript.of(List.of("UPDATE a SET b = 1;", "DELETE FROM c", "  ", "SELECT 1; SELECT 2"),
                "postSqlStatements");
        assertEquals(List.of("UPDATE a SET b = 1", "DELETE FROM c", "SELECT 1", "SELECT 2"), sql(s));
        assertEquals(List.of(1, 2, 4, 4), lines(s));
        assertEquals("postSqlStatements entry 2", s.location(s.statements().get(1)));
    }

    @Test
    public void emptyScript() {
        assertEquals(0, SqlScript.parse("-- nothing\n/* at all */\n;;\n", "e.sql").statements().size());
    }
}
