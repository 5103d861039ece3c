package io.jenkins.plugins.rdssync.testkit;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parameters of one Query API request, with the AWS query-protocol list conventions:
 * {@code Name.Member.N} (or {@code Name.member.N}) for lists and {@code Name.Member.N.Field} for lists of structures.
 */
final class Params {
    private final Map<String, String> values;

    Params(Map<String, String> values) {
        this.values = values;
    }

    static Params parseForm(String... encodedParts) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String part : encodedParts) {
            if (part == null || part.isEmpty()) {
                continue;
            }
            for (String pair : part.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k = eq < 0 ? pair : pair.substring(0, eq);
                String v = eq < 0 ? "" : pair.substring(eq + 1);
                map.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
            }
        }
        return new Params(map);
    }

    Map<String, String> asMap() {
        return Collections.unmodifiableMap(values);
    }

    String str(String name) {
        String v = values.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    String required(String name) {
        String v = str(name);
        if (v == null) {
            throw RdsApiException.missingParameter(name);
        }
        return v;
    }

    Boolean bool(String name) {
        String v = str(name);
        if (v == null) {
            return null;
        }
        if (v.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (v.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        throw RdsApiException.invalidParameterValue("Invalid boolean value '" + v + "' for parameter " + name);
    }

    boolean bool(String name, boolean dflt) {
        Boolean b = bool(name);
        return b == null ? dflt : b;
    }

    Integer integer(String name) {
        String v = str(name);
        if (v == null) {
            return null;
        }
        try {
            return Integer.valueOf(v.trim());
        } catch (NumberFormatException e) {
            throw RdsApiException.invalidParameterValue("Invalid integer value '" + v + "' for parameter " + name);
        }
    }

    /** Whether the list parameter was sent at all (an explicitly empty list is sent as {@code Name=}). */
    boolean hasList(String prefix) {
        if (values.containsKey(prefix)) {
            return true;
        }
        String p = prefix + ".";
        return values.keySet().stream().anyMatch(k -> k.startsWith(p));
    }

    /** A list of scalars: {@code Prefix.Member.N} or {@code Prefix.member.N} or {@code Prefix.N}, ordered by N. */
    List<String> list(String prefix) {
        TreeMap<Integer, String> byIndex = new TreeMap<>();
        String p = prefix + ".";
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (!e.getKey().startsWith(p)) {
                continue;
            }
            String[] parts = e.getKey().substring(p.length()).split("\\.");
            String idx = parts.length == 2 ? parts[1] : parts.length == 1 ? parts[0] : null;
            Integer n = toInt(idx);
            if (n != null) {
                byIndex.put(n, e.getValue());
            }
        }
        return new ArrayList<>(byIndex.values());
    }

    /** A list of structures: {@code Prefix.Member.N.Field...}, each as a map of Field... to value, ordered by N. */
    List<Map<String, String>> structs(String prefix) {
        TreeMap<Integer, Map<String, String>> byIndex = new TreeMap<>();
        String p = prefix + ".";
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (!e.getKey().startsWith(p)) {
                continue;
            }
            String[] parts = e.getKey().substring(p.length()).split("\\.", 3);
            if (parts.length < 3) {
                continue;
            }
            Integer n = toInt(parts[1]);
            if (n == null) {
                continue;
            }
            byIndex.computeIfAbsent(n, k -> new LinkedHashMap<>()).put(parts[2], e.getValue());
        }
        return new ArrayList<>(byIndex.values());
    }

    /** Scalars of a list inside a structure map, e.g. {@code Values.Value.N} of a filter. */
    static List<String> subList(Map<String, String> struct, String prefix) {
        return new Params(struct).list(prefix);
    }

    private static Integer toInt(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return null;
            }
        }
        try {
            return Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
