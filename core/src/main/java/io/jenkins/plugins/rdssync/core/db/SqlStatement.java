package io.jenkins.plugins.rdssync.core.db;

/**
 * One statement of a {@link SqlScript}: its text (without the delimiter), where it comes from (a file name or
 * {@code postSqlStatements}) and the line of its first token (for {@code postSqlStatements}: the entry number).
 */
public record SqlStatement(String sql, String source, int line) {
}
