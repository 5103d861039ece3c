package io.jenkins.plugins.rdssync.core.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How typed text becomes spec values, the same for every front end: the CLI's YAML file, the Jenkins step's
 * arguments and the freestyle form's text boxes and text areas. Blank means "not given" ({@code null}), so the
 * documented default applies.
 */
public final class SpecText {

    private SpecText() {
    }

    /** Trimmed, or {@code null} when blank. */
    public static String trim(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim();
        return t.isEmpty() ? null : t;
    }

    /**
     * Entries as given in a list (Pipeline may pass GStrings or numbers): trimmed, blank ones dropped; {@code null}
     * when nothing is left.
     */
    public static List<String> entries(List<?> v) {
        if (v == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (Object o : v) {
            String t = o == null ? null : trim(o.toString());
            if (t != null) {
                out.add(t);
            }
        }
        return out.isEmpty() ? null : out;
    }

    /** One entry per line, as typed into a text area: trimmed, blank lines and {@code #} comments dropped. */
    public static List<String> lines(String text) {
        if (text == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String line : text.split("\\R")) {
            String t = trim(line);
            if (t != null && !t.startsWith("#")) {
                out.add(t);
            }
        }
        return out.isEmpty() ? null : out;
    }

    /** The entries one per line, for a text area; {@code null} when there are none. */
    public static String joinLines(List<String> v) {
        return v == null || v.isEmpty() ? null : String.join("\n", v);
    }

    /**
     * A whole number as typed: surrounding blanks ignored, {@code _} or spaces allowed as digit separators
     * ({@code 1_000_000_000}, {@code 1 000 000 000}).
     *
     * @return {@code null} when blank
     * @throws NumberFormatException when it is not a whole number in the {@code int} range
     */
    public static Integer wholeNumber(String text) {
        String t = trim(text);
        return t == null ? null : Integer.valueOf(digits(t));
    }

    /** As {@link #wholeNumber}, in the {@code long} range (the offset). */
    public static Long longNumber(String text) {
        String t = trim(text);
        return t == null ? null : Long.valueOf(digits(t));
    }

    /** Separators between digits removed; a separator anywhere else (or two in a row) is no number. */
    private static String digits(String t) {
        if (!t.matches("[+-]?\\d+([_ ]\\d+)*")) {
            throw new NumberFormatException(t);
        }
        return t.replace("_", "").replace(" ", "");
    }

    /**
     * Tags written as {@code key=value} entries (the Jenkins step and form; the CLI's YAML has a mapping). An entry
     * without a key is reported as a problem of {@code field} on {@code b}.
     */
    public static Map<String, String> tags(List<String> entries, SyncSpec.Builder b, String field) {
        Map<String, String> m = new LinkedHashMap<>();
        if (entries == null) {
            return m;
        }
        for (String t : entries) {
            int eq = t.indexOf('=');
            if (eq <= 0) {
                b.problem(field, "'" + t + "' is not a tag; write key=value, one per line (for example team=qa)");
            } else {
                m.put(t.substring(0, eq).trim(), t.substring(eq + 1).trim());
            }
        }
        return m;
    }
}
