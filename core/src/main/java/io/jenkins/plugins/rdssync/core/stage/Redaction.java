package io.jenkins.plugins.rdssync.core.stage;

import io.jenkins.plugins.rdssync.core.spec.Secret;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last filter before anything the engine says leaves it (log lines, stage summaries, failures and their causes):
 * the run's own secrets (database password, AWS secret key and session token) wherever they appear, and the
 * passwords written in SQL ({@code IDENTIFIED BY '...'}, {@code PASSWORD('...')}, {@code SET PASSWORD = '...'}),
 * which post-restore SQL and migrations carry when they create acceptance's users and which the statement log and
 * SQL error messages would otherwise repeat, even cut short.
 */
final class Redaction {
    static final String MASK = "****";
    /** A quoted SQL literal, also one cut short by a shortened log line (no closing quote). */
    private static final String LITERAL = "(?:'(?:[^'\\\\\\n]|\\\\.|'')*'?|\"(?:[^\"\\\\\\n]|\\\\.|\"\")*\"?)";
    private static final Pattern SQL_SECRET = Pattern.compile("(?i)("
            + "\\bIDENTIFIED\\s+(?:WITH\\s+[\\w'\"`]+\\s+)?(?:BY|AS)\\s+(?:PASSWORD\\s+)?"
            + "|\\bPASSWORD\\s*\\(\\s*"
            + "|\\bSET\\s+PASSWORD\\b[^=\\n]*=\\s*(?:PASSWORD\\s*\\(\\s*)?"
            + "|\\b(?:MASTER_)?PASSWORD\\s*=\\s*"
            + ")" + LITERAL);

    private final List<String> secrets;

    private Redaction(List<String> secrets) {
        this.secrets = secrets;
    }

    static Redaction of(SyncSpec spec) {
        List<String> s = new ArrayList<>();
        for (Optional<Secret> o : List.of(spec.mysqlPassword(), spec.secretAccessKey(), spec.sessionToken(),
                spec.sourceSecretAccessKey(), spec.sourceSessionToken())) {
            o.map(Secret::reveal).filter(v -> !v.isEmpty()).ifPresent(s::add);
        }
        // the longest first, so that a secret containing another is masked whole
        s.sort(Comparator.comparingInt(String::length).reversed());
        return new Redaction(List.copyOf(s));
    }

    String apply(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, MASK);
        }
        Matcher m = SQL_SECRET.matcher(out);
        if (!m.find()) {
            return out;
        }
        StringBuilder b = new StringBuilder();
        m.reset();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(m.group(1) + "'" + MASK + "'"));
        }
        m.appendTail(b);
        return b.toString();
    }

    /**
     * The exception as it is when nothing in its chain needs masking; else a copy whose messages are masked (same
     * classes named, same stack traces), so a stack trace printed for debugging shows no secret either.
     */
    Throwable apply(Throwable t) {
        if (t == null || !needsMasking(t)) {
            return t;
        }
        return copy(t, 0);
    }

    private boolean needsMasking(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage();
            if (m != null && !m.equals(apply(m))) {
                return true;
            }
        }
        return false;
    }

    private Throwable copy(Throwable t, int depth) {
        Throwable cause = t.getCause() == null || t.getCause() == t || depth > 20 ? null : copy(t.getCause(), depth + 1);
        Masked m = new Masked(t.getClass().getName() + (t.getMessage() == null ? "" : ": " + apply(t.getMessage())),
                cause);
        m.setStackTrace(t.getStackTrace());
        return m;
    }

    /** An exception of the chain with its message masked; its text names the original class. */
    static final class Masked extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Masked(String text, Throwable cause) {
            super(text, cause);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
