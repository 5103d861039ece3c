package io.jenkins.plugins.rdssync.core.db;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One statement of a {@link SqlScript}: its text (without the delimiter), where it comes from (a file name or
 * {@code postSqlStatements}) and the line of its first token (for {@code postSqlStatements}: the entry number).
 */
public record SqlStatement(String sql, String source, int line) {
    /** What replaces a password literal wherever a statement is shown. */
    public static final String MASKED_LITERAL = "'****'";

    /** A quoted literal (with an optional character set introducer), also one cut short without its closing quote. */
    private static final String LITERAL =
            "(?:_\\w+\\s*)?(?:'(?:[^'\\\\]|\\\\.|'')*'?|\"(?:[^\"\\\\]|\\\\.|\"\")*\"?)";
    /**
     * Where SQL carries a password: CREATE/ALTER USER and GRANT ... IDENTIFIED BY [PASSWORD] '...', IDENTIFIED
     * WITH/VIA plugin BY/AS/USING '...' (also OR plugin USING '...'), ALTER USER ... REPLACE '...', PASSWORD('...'),
     * SET PASSWORD ... = '...', MASTER_PASSWORD = '...', CREATE SERVER ... OPTIONS (PASSWORD '...').
     */
    private static final Pattern SECRET = Pattern.compile("(?i)("
            + "\\bIDENTIFIED\\s+BY\\s+(?:PASSWORD\\s+)?"
            + "|\\bIDENTIFIED\\s+(?:WITH|VIA)\\s+[\\w'\"`]+\\s+(?:BY|AS)\\s+"
            + "|\\bUSING\\s+(?:PASSWORD\\s*\\(\\s*)?(?=[_'\"])"
            + "|\\bREPLACE\\s+(?=['\"])"
            + "|\\b(?:OLD_)?PASSWORD\\s*\\(\\s*"
            + "|\\bSET\\s+PASSWORD\\b[^=\\n]*=\\s*"
            + "|\\b(?:MASTER_)?PASSWORD\\s*=\\s*"
            + "|\\bPASSWORD\\s+(?=['\"])"
            + ")" + LITERAL);

    /** The statement as logs and messages show it: every password literal replaced by {@value #MASKED_LITERAL}. */
    public String shown() {
        return mask(sql);
    }

    /** Any SQL text (a statement, or a server message quoting one) with its password literals masked. */
    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = SECRET.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(m.group(1) + MASKED_LITERAL));
        }
        m.appendTail(b);
        return b.toString();
    }
}
