package io.jenkins.plugins.rdssync.core.db;

import com.mysql.cj.MysqlConnection;
import io.jenkins.plugins.rdssync.core.run.Cancellation;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * Runs the statements of a {@link SqlScript} in order on one connection (autocommit as the {@code mysql} client
 * does), logging each statement shortened to one line with its rows affected, and stopping at the first error.
 * A stop request is honoured between statements, outside an open transaction. Password literals never reach the
 * log or an error message (see {@link SqlStatement#shown()}).
 */
public final class SqlScriptRunner {
    private final String field;
    private final Cancellation cancellation;

    /** A runner whose errors name no field. */
    public SqlScriptRunner() {
        this(null);
    }

    /** @param field the field of the public interface the scripts come from ({@code postSql}, {@code migrations}) */
    public SqlScriptRunner(String field) {
        this(field, new Cancellation());
    }

    /** A runner that stops between two statements once {@code cancellation} is cancelled. */
    public SqlScriptRunner(String field, Cancellation cancellation) {
        this.field = field;
        this.cancellation = cancellation;
    }

    /**
     * @return the number of statements run
     * @throws SqlScriptException at the first failing statement, naming file and line
     */
    public int run(Connection c, SqlScript script, DbProgress progress) throws SqlScriptException {
        return run(c, script, progress, SqlScriptCheckpoint.NONE);
    }

    /**
     * Runs the statements after those that {@code checkpoint} says an earlier, stopped run of the same statements
     * ran; saves there how far this run got when it completes, stops or fails.
     *
     * @return the number of statements run (not counting those run before)
     * @throws SqlScriptException at the first failing statement, naming file and line
     * @throws Cancellation.CancelledException between two statements, saying after which statement it stopped
     */
    public int run(Connection c, SqlScript script, DbProgress progress, SqlScriptCheckpoint checkpoint)
            throws SqlScriptException {
        List<SqlStatement> all = script.statements();
        int first = resumeAt(script, checkpoint, progress);
        // statements known to be committed: none of them left a transaction open behind it
        int committed = first;
        boolean toldWaiting = false;
        for (int i = first; i < all.size(); i++) {
            if (cancellation.isCancelled()) {
                if (i == committed) {
                    checkpoint.save(i + " " + script.digest(i));
                    throw new Cancellation.CancelledException(cancellation.reason() + "; " + stopped(script, i,
                            checkpoint.kept()));
                }
                if (!toldWaiting) {
                    progress.log("Stop requested: finishing the transaction " + script.location(all.get(committed))
                            + " opened first");
                    toldWaiting = true;
                }
            }
            SqlStatement st = all.get(i);
            try {
                execute(c, script, st, progress);
            } catch (SqlScriptException e) {
                // the connection closes after a failure: an open transaction is rolled back
                checkpoint.save(committed + " " + script.digest(committed));
                throw e;
            }
            if (!inTransaction(c)) {
                committed = i + 1;
            }
        }
        checkpoint.save(all.size() + " " + script.digest(all.size()));
        return all.size() - first;
    }

    /** The index of the first statement to run: after those a stopped run ran, if they are unchanged. */
    private static int resumeAt(SqlScript script, SqlScriptCheckpoint checkpoint, DbProgress progress) {
        Optional<String> saved = checkpoint.load();
        if (saved.isEmpty()) {
            return 0;
        }
        String[] v = saved.get().split(" ", 2);
        int n;
        try {
            n = Integer.parseInt(v[0]);
        } catch (NumberFormatException e) {
            n = -1;
        }
        List<SqlStatement> all = script.statements();
        if (n < 0 || n > all.size() || v.length < 2 || !script.digest(n).equals(v[1])) {
            progress.warn(script.source() + " changed since the run that stopped in it: running it again from its"
                    + " first statement");
            return 0;
        }
        if (n == all.size()) {
            progress.log(script.source() + ": all " + n + " statements ran before the run stopped; nothing to run");
        } else if (n > 0) {
            progress.log(script.source() + ": statements 1 to " + n + " ran before the run stopped; continuing with"
                    + " statement " + (n + 1) + " (" + script.position(all.get(n)) + ")");
        }
        return n;
    }

    /** "stopped after statement 3 of 10 in tweaks.sql (line 12); the resume continues with statement 4 (line 15)" */
    private static String stopped(SqlScript script, int done, boolean kept) {
        List<SqlStatement> all = script.statements();
        String where = done == 0 ? "stopped before the first of the " + all.size() + " statements in "
                + script.source()
                : "stopped after statement " + done + " of " + all.size() + " in " + script.source() + " ("
                        + script.position(all.get(done - 1)) + ")";
        return where + (kept ? "; the resume continues with statement " + (done + 1) + " ("
                + script.position(all.get(done)) + ")" : "");
    }

    private void execute(Connection c, SqlScript script, SqlStatement st, DbProgress progress)
            throws SqlScriptException {
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
            // the server may quote the statement, password and all
            throw new SqlScriptException(field, script.location(st), st.source(), st.line(), SqlStatement.mask(msg),
                    st.shown(), masked(e));
        }
        progress.log(script.location(st) + ": " + Sql.oneLine(st.shown(), 100) + " -- " + Sql.count(rows)
                + (query ? " rows returned" : rows == 1 ? " row affected" : " rows affected") + " ("
                + Sql.seconds(System.nanoTime() - t0) + ")");
    }

    /** The driver's exception, or a copy (same class of error, code and stack) whose message shows no password. */
    private static SQLException masked(SQLException e) {
        String m = e.getMessage();
        if (m == null || m.equals(SqlStatement.mask(m))) {
            return e;
        }
        SQLException copy = new SQLException(SqlStatement.mask(m), e.getSQLState(), e.getErrorCode());
        copy.setStackTrace(e.getStackTrace());
        return copy;
    }

    /** Has the last statement left a transaction open (BEGIN without COMMIT yet)? */
    private static boolean inTransaction(Connection c) {
        try {
            return c.unwrap(MysqlConnection.class).getSession().getServerSession().inTransactionOnServer();
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }
}
