package io.jenkins.plugins.rdssync.core.spec;

import io.jenkins.plugins.rdssync.core.spec.SpecKey.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the values of a submitted form (and of a Pipeline step's arguments) become the plain values of the keys in
 * {@link SpecKeys}, the same for the Pipeline step's descriptor and the freestyle builder's. A browser sends every
 * field, blank or not: text boxes and text areas as strings, check boxes as booleans, plus bookkeeping entries such
 * as {@code stapler-class} and {@code $class}.
 * <ul>
 * <li>blank (or JSON {@code null}) means "the default": the entry is left out, so the setter is not called;</li>
 * <li>list keys typed one entry per line become lists: trimmed, blank lines and {@code #} comments dropped;</li>
 * <li>numbers may carry {@code _} or spaces between digits ({@code 1_000_000_000}, {@code 1 000 000 000});</li>
 * <li>optional true/false keys take {@code true}, {@code false} or blank;</li>
 * <li>entries that are not keys (bookkeeping, nested objects) are passed on untouched.</li>
 * </ul>
 * A value that cannot be read is refused with an {@link InvalidSpecException} naming the field and the fix.
 */
public final class FormValues {

    private FormValues() {
    }

    /**
     * The form with every key's value normalised (see the class description); a new map, in the form's order.
     *
     * @throws InvalidSpecException naming every field whose value cannot be read
     */
    public static Map<String, Object> normalise(Map<String, ?> form) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<SpecProblem> problems = new ArrayList<>();
        for (Map.Entry<String, ?> e : form.entrySet()) {
            SpecKey key = SpecKeys.get(e.getKey());
            if (key == null || !key.scope().inJenkins()) {
                out.put(e.getKey(), e.getValue());
                continue;
            }
            try {
                Object v = value(key, e.getValue());
                if (v != null) {
                    out.put(e.getKey(), v);
                }
            } catch (InvalidSpecException x) {
                problems.addAll(x.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidSpecException(problems);
        }
        return out;
    }

    /**
     * One value in the form type of its key ({@link Type#form()}): {@code String}, {@code Integer}, {@code Long},
     * {@code Boolean} or a {@code List<String>}; {@code null} for "the default".
     *
     * @throws InvalidSpecException when the value cannot be read, naming the key
     */
    public static Object value(SpecKey key, Object raw) {
        if (isNull(raw)) {
            return null;
        }
        Type t = key.type();
        if (t.lines()) {
            if (raw instanceof Collection<?> c) {
                return SpecText.entries(new ArrayList<>(c));
            }
            if (raw instanceof Object[] a) {
                return SpecText.entries(List.of(a));
            }
            return SpecText.lines(raw.toString());
        }
        if (t == Type.BOOLEAN || t == Type.OPTIONAL_BOOLEAN) {
            return bool(key, raw);
        }
        if (t.number()) {
            return number(key, raw);
        }
        if (raw instanceof Collection<?> || raw instanceof Map<?, ?>) {
            throw new InvalidSpecException(key.name(), "must be a single value, not a list");
        }
        return SpecText.trim(raw.toString());
    }

    private static Boolean bool(SpecKey key, Object raw) {
        if (raw instanceof Boolean b) {
            return b;
        }
        String t = SpecText.trim(raw.toString());
        if (t == null) {
            return null;
        }
        switch (t.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on":
                return Boolean.TRUE;
            case "false", "no", "off":
                return Boolean.FALSE;
            default:
                throw new InvalidSpecException(key.name(), "'" + t + "' is not true or false"
                        + (key.type() == Type.OPTIONAL_BOOLEAN ? "; leave it blank to keep what the target has" : ""));
        }
    }

    private static Number number(SpecKey key, Object raw) {
        boolean big = key.type() == Type.BIG_NUMBER;
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte) {
            long l = ((Number) raw).longValue();
            if (big) {
                return l;
            }
            if (l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
                return (int) l;
            }
        }
        String text = raw.toString();
        try {
            // not one conditional expression: Long and Integer operands would be unboxed, and a blank (null) throw
            if (big) {
                return SpecText.longNumber(text);
            }
            return SpecText.wholeNumber(text);
        } catch (NumberFormatException e) {
            throw new InvalidSpecException(key.name(), "'" + text.trim() + "' is not a whole number"
                    + (big ? " between 1 and " + Long.MAX_VALUE : " up to " + Integer.MAX_VALUE)
                    + "; write digits only (_ or spaces may separate them), or leave it blank for the default");
        }
    }

    /**
     * {@code null}, or a JSON null of a JSON library (json-lib's {@code JSONNull}, which is no string but prints as
     * {@code null}): without naming such types here.
     */
    static boolean isNull(Object v) {
        return v == null || (!(v instanceof CharSequence) && "null".equals(String.valueOf(v)));
    }
}
