package io.jenkins.plugins.rdssync.core.db;

/**
 * A statement of a SQL script failed. The message reads
 * {@code post-migration-tweaks.sql line 12: <server message> in: <statement start>}.
 */
public class SqlScriptException extends DbException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final String statement;

    public SqlScriptException(String field, String location, String source, int line, String serverMessage,
            String statement, Throwable cause) {
        super(field, location + ": " + serverMessage + " in: " + Sql.oneLine(statement, 100), cause);
        this.source = source;
        this.line = line;
        this.statement = statement;
    }

    /** The file name (or {@code postSqlStatements}). */
    public String source() {
        return source;
    }

    /** The line the failed statement starts on (for {@code postSqlStatements}: the entry number). */
    public int line() {
        return line;
    }

    /** The full text of the failed statement. */
    public String statement() {
        return statement;
    }
}
