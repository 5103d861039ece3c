package io.jenkins.plugins.rdssync.checks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The plugin's files as read from disk (the plugin module itself needs the Jenkins Maven repository to build): its
 * Jelly views and their properties, help files, {@code Messages.properties} and Java sources, with just enough
 * parsing of Java to list a class's getters, data-bound setters and constructor parameters.
 */
final class PluginFiles {
    static final Path REPO = Path.of(System.getProperty("rdssync.repo", "..")).toAbsolutePath().normalize();
    static final Path PLUGIN = REPO.resolve("plugin");
    static final Path JAVA = PLUGIN.resolve("src/main/java");
    static final Path RESOURCES = PLUGIN.resolve("src/main/resources");
    static final String PACKAGE_DIR = "io/jenkins/plugins/rdssync";

    private PluginFiles() {
    }

    /** A Jelly view with its XML comments blanked out (same length, so offsets and lines stay). */
    static String view(Path p) {
        String text = read(p);
        StringBuilder b = new StringBuilder(text);
        Matcher m = Pattern.compile("(?s)<!--.*?-->").matcher(text);
        while (m.find()) {
            for (int i = m.start(); i < m.end(); i++) {
                if (b.charAt(i) != '\n') {
                    b.setCharAt(i, ' ');
                }
            }
        }
        return b.toString();
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> files(Path root, String suffix) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Properties properties(Path p) {
        Properties props = new Properties();
        if (Files.exists(p)) {
            try (var r = Files.newBufferedReader(p, StandardCharsets.ISO_8859_1)) {
                props.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return props;
    }

    /** "RdsSyncStep/config.jelly:41" for messages. */
    static String where(Path file, String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return RESOURCES.resolve(PACKAGE_DIR).relativize(file) + ":" + line;
    }

    /** The Java source of a class of the plugin package, e.g. {@code RdsSyncStep}. */
    static Path source(String simpleName) {
        return JAVA.resolve(PACKAGE_DIR).resolve(simpleName + ".java");
    }

    /** What a class's source declares for data binding: getters, {@code @DataBoundSetter}s, constructor parameters. */
    static final class JavaBean {
        /** property → declared type of the getter ("String", "List<String>", "boolean", …). */
        final Map<String, String> getters = new LinkedHashMap<>();
        /** property → parameter type of a {@code @DataBoundSetter}. */
        final Map<String, String> setters = new LinkedHashMap<>();
        /** name → type of the {@code @DataBoundConstructor}'s parameters. */
        final Map<String, String> constructor = new LinkedHashMap<>();

        private static final Pattern GETTER = Pattern.compile(
                "public\\s+(?:synchronized\\s+)?([\\w.<>?, ]+?)\\s+(get|is)([A-Z]\\w*)\\(\\s*\\)");
        private static final Pattern SETTER = Pattern.compile(
                "@DataBoundSetter\\s+public\\s+void\\s+set([A-Z]\\w*)\\(\\s*(?:final\\s+)?(?:@\\w+\\s+)*([\\w.<>?, ]+?)\\s+\\w+\\s*\\)");
        private static final Pattern CONSTRUCTOR = Pattern.compile(
                "@DataBoundConstructor\\s+public\\s+\\w+\\(([^)]*)\\)");

        static JavaBean parse(Path source) {
            String text = read(source);
            JavaBean b = new JavaBean();
            Matcher g = GETTER.matcher(text);
            while (g.find()) {
                b.getters.put(decapitalize(g.group(3)), g.group(1).replace(" ", ""));
            }
            Matcher s = SETTER.matcher(text);
            while (s.find()) {
                b.setters.put(decapitalize(s.group(1)), s.group(2).replace(" ", ""));
            }
            Matcher c = CONSTRUCTOR.matcher(text);
            if (c.find() && !c.group(1).isBlank()) {
                for (String param : c.group(1).split(",(?![^<]*>)")) {
                    String[] parts = param.trim().replaceAll("@\\w+\\s+", "").split("\\s+");
                    b.constructor.put(parts[parts.length - 1], String.join("", List.of(parts).subList(0,
                            parts.length - 1)));
                }
            }
            return b;
        }

        /** Bound from a form: a {@code @DataBoundSetter} or a constructor parameter. */
        boolean bindable(String property) {
            return setters.containsKey(property) || constructor.containsKey(property);
        }

        String boundType(String property) {
            return setters.containsKey(property) ? setters.get(property) : constructor.get(property);
        }
    }

    static String decapitalize(String s) {
        return Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    /** The {@code field="…"} attributes of a Jelly file, with the tag each is on, in order. */
    static List<String[]> fields(String jelly) {
        List<String[]> out = new ArrayList<>();
        Matcher m = Pattern.compile("<([\\w:]+)\\b[^>]*?\\bfield=\"([^\"]+)\"").matcher(jelly);
        while (m.find()) {
            out.add(new String[] {m.group(1), m.group(2), String.valueOf(m.start())});
        }
        return out;
    }

    /** Keys of {@code Messages.foo_Bar(…)} calls in the Java sources, as {@code foo.Bar}. */
    static Set<String> messageKeysUsed(List<Path> javaFiles) {
        Set<String> keys = new LinkedHashSet<>();
        Pattern p = Pattern.compile("\\bMessages\\.(\\w+)\\(");
        for (Path f : javaFiles) {
            Matcher m = p.matcher(read(f));
            while (m.find()) {
                keys.add(m.group(1).replace('_', '.'));
            }
        }
        return keys;
    }
}
