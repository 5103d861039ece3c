package io.jenkins.plugins.rdssync.core.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SQL script split into statements the way the {@code mysql} client does: statements end at the delimiter
 * ({@code ;} unless changed by a {@code DELIMITER} line, as around procedures and triggers); {@code -- },
 * {@code #} and {@code /* *&#47;} comments and quoted strings or identifiers containing the delimiter do not end a
 * statement. Comments before a statement are dropped; executable comments ({@code /*! ... *&#47;}) and optimizer
 * hints are kept. Every statement knows the line it starts on.
 */
public final class SqlScript {
    private static final Pattern DELIMITER = Pattern.compile("(?i)delimiter\\s+(\\S+)(\\s.*)?");

    private final String source;
    private final boolean entries;
    private final List<SqlStatement> statements;

    private SqlScript(String source, boolean entries, List<SqlStatement> statements) {
        this.source = source;
        this.entries = entries;
        this.statements = List.copyOf(statements);
    }

    /** Reads and splits a UTF-8 file; statements are named after the file name. */
    public static SqlScript parse(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String name = file.getFileName().toString();
        return new SqlScript(name, false, split(text, name, 1));
    }

    /** Splits SQL text read from elsewhere. */
    public static SqlScript parse(String text, String source) {
        return new SqlScript(source, false, split(text, source, 1));
    }

    /**
     * Statements given one per entry (such as {@code postSqlStatements}); an entry may end with {@code ;} or hold
     * several statements. Each statement's {@code line} is the number of its entry.
     */
    public static SqlScript of(List<String> statements, String source) {
        List<SqlStatement> out = new ArrayList<>();
        for (int i = 0; i < statements.size(); i++) {
            for (SqlStatement s : split(statements.get(i), source, 1)) {
                out.add(new SqlStatement(s.sql(), source, i + 1));
            }
        }
        return new SqlScript(source, true, out);
    }

    public List<SqlStatement> statements() {
        return statements;
    }

    public String source() {
        return source;
    }

    /** {@code post-migration-tweaks.sql line 12}, or {@code postSqlStatements entry 2}. */
    public String location(SqlStatement s) {
        return s.source() + " " + position(s);
    }

    /** {@code line 12}, or {@code entry 2}. */
    public String position(SqlStatement s) {
        return (entries ? "entry " : "line ") + s.line();
    }

    /** SHA-256 of the first {@code n} statements: tells whether they are still those a stopped run ran. */
    public String digest(int n) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            for (SqlStatement s : statements.subList(0, Math.min(n, statements.size()))) {
                md.update(s.sql().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<SqlStatement> split(String text, String source, int firstLine) {
        List<SqlStatement> out = new ArrayList<>();
        String delimiter = ";";
        StringBuilder cur = new StringBuilder();
        int startLine = -1;
        int line = firstLine;
        int n = text.length();
        int i = 0;
        if (n > 0 && text.charAt(0) == '\uFEFF') {
            i = 1; // byte order mark
        }
        boolean lineStart = true;
        while (i < n) {
            char c = text.charAt(i);
            if (lineStart && startLine < 0) {
                // a DELIMITER command is only recognised between statements, at the start of a line
                int eol = text.indexOf('\n', i);
                String l = text.substring(i, eol < 0 ? n : eol).trim();
                Matcher m = DELIMITER.matcher(l);
                if (m.matches()) {
                    delimiter = m.group(1);
                    i = eol < 0 ? n : eol + 1;
                    line++;
                    continue;
                }
            }
            lineStart = false;
            if (c == '\n') {
                line++;
                lineStart = true;
                if (startLine >= 0) {
                    cur.append(c);
                }
                i++;
                continue;
            }
            if (text.startsWith(delimiter, i)) {
                if (startLine >= 0) {
                    out.add(new SqlStatement(cur.toString().strip(), source, startLine));
                }
                cur.setLength(0);
                startLine = -1;
                i += delimiter.length();
                continue;
            }
            if (c == '\'' || c == '"' || c == '`') {
                if (startLine < 0) {
                    startLine = line;
                }
                int end = endOfQuoted(text, i, c);
                String q = text.substring(i, end);
                cur.append(q);
                line += count(q, '\n');
                i = end;
                continue;
            }
            // "-- " needs a space or control character after the dashes; "--1" is minus minus one
            boolean dashComment = c == '-' && i + 1 < n && text.charAt(i + 1) == '-' && (i + 2 >= n
                    || Character.isWhitespace(text.charAt(i + 2)) || Character.isISOControl(text.charAt(i + 2)));
            if (dashComment || c == '#') {
                int eol = text.indexOf('\n', i);
                int end = eol < 0 ? n : eol;
                if (startLine >= 0) {
                    cur.append(text, i, end);
                }
                i = end;
                continue;
            }
            if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int close = text.indexOf("*/", i + 2);
                int end = close < 0 ? n : close + 2;
                String comment = text.substring(i, end);
                boolean executable = comment.startsWith("/*!") || comment.startsWith("/*+");
                if (executable && startLine < 0) {
                    startLine = line;
                }
                if (startLine >= 0) {
                    cur.append(comment);
                }
                line += count(comment, '\n');
                i = end;
                continue;
            }
            if (startLine < 0 && Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (startLine < 0) {
                startLine = line;
            }
            cur.append(c);
            i++;
        }
        if (startLine >= 0 && !cur.toString().isBlank()) {
            out.add(new SqlStatement(cur.toString().strip(), source, startLine));
        }
        return out;
    }

    /** The index just after the closing quote (or the end of the text when unterminated). */
    private static int endOfQuoted(String text, int start, char quote) {
        int n = text.length();
        int i = start + 1;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\\' && quote != '`') {
                i += 2;
                continue;
            }
            if (c == quote) {
                if (i + 1 < n && text.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return n;
    }

    private static int count(String s, char c) {
        int k = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                k++;
            }
        }
        return k;
    }

    @Override
    public String toString() {
        return source + " (" + statements.size() + " statements)";
    }

}
