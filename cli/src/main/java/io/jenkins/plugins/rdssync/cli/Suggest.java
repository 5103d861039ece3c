package io.jenkins.plugins.rdssync.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** "Did you mean …?" for misspelt keys: spelling distance, other casings and separators, prefixes and aliases. */
final class Suggest {
    private Suggest() {
    }

    /**
     * The known names closest to {@code word}, best first, at most three.
     *
     * @param aliases words people commonly use for a known name (lower case, no separators) → that name
     */
    static List<String> closest(String word, Collection<String> known, Map<String, String> aliases) {
        String w = normalise(word);
        List<String> result = new ArrayList<>();
        String alias = aliases.get(w);
        if (alias != null) {
            result.add(alias);
        }
        for (String k : known) {
            if (normalise(k).equals(w) && !result.contains(k)) {
                result.add(k);
            }
        }
        if (!result.isEmpty()) {
            return result;
        }
        List<Scored> scored = new ArrayList<>();
        for (String k : known) {
            String n = normalise(k);
            int d = distance(w, n);
            int allowed = Math.max(1, Math.min(3, n.length() / 4));
            if (d <= allowed) {
                scored.add(new Scored(k, d));
            } else if (w.length() >= 4 && (n.startsWith(w) || w.startsWith(n))) {
                scored.add(new Scored(k, 10 + Math.abs(n.length() - w.length())));
            }
        }
        scored.sort(Comparator.comparingInt(Scored::score).thenComparing(Scored::name));
        for (Scored s : scored) {
            if (result.size() == 3) {
                break;
            }
            result.add(s.name());
        }
        return result;
    }

    /** "did you mean 'a'?" / "did you mean 'a', 'b' or 'c'?"; empty when there is nothing close. */
    static String didYouMean(List<String> candidates) {
        if (candidates.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("did you mean ");
        for (int i = 0; i < candidates.size(); i++) {
            if (i > 0) {
                sb.append(i == candidates.size() - 1 ? " or " : ", ");
            }
            sb.append('\'').append(candidates.get(i)).append('\'');
        }
        return sb.append('?').toString();
    }

    static String normalise(String s) {
        return s.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "").replace(" ", "");
    }

    /** Levenshtein distance with adjacent transpositions counted as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    private record Scored(String name, int score) {
    }
}
