package io.jenkins.plugins.rdssync.core.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Runs the statements of a {@link SqlScript} in order on one connection (autocommit as the {@code mysql} client
 * does), logging each statement shortened to one line with its rows affected, and stopping at the first error.
 */
public final class SqlScriptRunner {
    private final String field;

    /** A runner whose errors name no field. */
    public SqlScriptRunner() {
        this(null);
    }

    /** @param field the field of the public interface the scripts come from ({@code postSql}, {@code migrations}) */
    public SqlScriptRunner(String field) {
        this.field = field;
    }

    /**
     * @return the number of statements run
     * @throws SqlScriptException at the first failing statement, naming file and line
     */
    public int run(Connection c, SqlScript script, DbProgress progress) throws SqlScriptException {
        int done = 0;
        for (SqlStatement st : script.statements()) {
            long t0 = System.nanoTime();
            long rows = 0;
            boolean query = false;
            try (Statement s = c.createStatement()) {
                s.setEscapeProcessing(false);
                boolean isResult = s.execute(st.sql());
                while (true) {
                    if (isResult) {
                        query = true;
                        try (var rs = s.getResultSet()) {
                            while (rs.next()) {
                                rows++;
                            }
                        }
                    } else {
                        long u = s.getLargeUpdateCount();
                        if (u == -1) {
                            break;
                        }
                        rows += u;
                    }
                    isResult = s.getMoreResults();
                }
            } catch (SQLException e) {
                String msg = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
                throw new SqlScriptException(field, script.location(st), st.source(), st.line(), msg, st.sql(), e);
            }
            done++;
            progress.log(script.location(st) + ": " + Sql.oneLine(st.sql(), 100) + " -- " + Sql.count(rows)
                    + (query ? " rows returned" : rows == 1 ? " row affected" : " rows affected") + " ("
                    + Sql.seconds(System.nanoTime() - t0) + ")");
        }
        return done;
    }
}
