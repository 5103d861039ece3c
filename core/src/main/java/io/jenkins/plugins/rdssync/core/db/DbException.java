package io.jenkins.plugins.rdssync.core.db;

/**
 * An expected database failure (refused login, unreachable host, failed statement, corrupt preserved-rows file),
 * with a message written for the user and, where one input is to blame, the name of that field of the public
 * interface ({@code mysqlCredentialsId}, {@code dbHost}, {@code dbTls}, {@code offset}, ...). Messages never contain
 * the database password.
 */
public class DbException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String field;

    public DbException(String message) {
        this(null, message, null);
    }

    public DbException(String field, String message) {
        this(field, message, null);
    }

    public DbException(String field, String message, Throwable cause) {
        super(message, cause);
        this.field = field;
    }

    /** The field of the public interface to fix, or {@code null} when no single input is to blame. */
    public String field() {
        return field;
    }
}
