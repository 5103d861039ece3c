package io.jenkins.plugins.rdssync.core.spec;

import java.util.Locale;
import java.util.regex.Pattern;

/** Shell-style patterns ({@code *} and {@code ?}), case-insensitive, as used for allow/deny and table filters. */
public final class Glob {
    private Glob() {
    }

    public static boolean matches(String glob, String value) {
        return toPattern(glob).matcher(value.toLowerCase(Locale.ROOT)).matches();
    }

    public static Pattern toPattern(String glob) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toLowerCase(Locale.ROOT).toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }
}
