package io.jenkins.plugins.rdssync.checks;

import static org.junit.Assert.assertEquals;

import io.jenkins.plugins.rdssync.cli.SpecFile;
import io.jenkins.plugins.rdssync.core.spec.Secret;
import io.jenkins.plugins.rdssync.core.spec.SpecKey;
import io.jenkins.plugins.rdssync.core.spec.SpecKey.Scope;
import io.jenkins.plugins.rdssync.core.spec.SpecKey.Type;
import io.jenkins.plugins.rdssync.core.spec.SpecKeys;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.Test;

/**
 * One vocabulary everywhere (DESIGN.md): every key of core's {@link SpecKeys} table is a {@link SyncSpec} field, a
 * key of the CLI's YAML file, a getter and a {@code @DataBoundSetter} (or constructor parameter) of the right type on
 * the Jenkins step, an entry of its form with a help file, and a row of docs/configuration.md — with the same default
 * in SyncSpec, the docs, the help file and the form. Keys deliberately left out of Jenkins are the table's CLI-only
 * rows. Adding a setting in one place and forgetting another fails here, without Jenkins.
 */
public class PublicInterfaceTest {

    private static final Path STEP_DIR = PluginFiles.RESOURCES.resolve(PluginFiles.PACKAGE_DIR).resolve("RdsSyncStep");
    private static final Path DOCS = PluginFiles.REPO.resolve("docs/configuration.md");
    private static final Pattern DOC_ROW = Pattern.compile("(?m)^\\| `(\\w+)` \\|(.*)$");

    private final List<String> problems = new ArrayList<>();

    private void problem(SpecKey key, String what) {
        problems.add(key.name() + ": " + what);
    }

    private void assertNoProblems(String title) {
        assertEquals(title + " (" + problems.size() + "):\n  " + String.join("\n  ", problems), List.of(), problems);
    }

    @Test
    public void everySyncSpecFieldIsAKeyAndEveryKeyAField() {
        Set<String> fields = new LinkedHashSet<>();
        for (Field f : SyncSpec.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                fields.add(f.getName());
            }
        }
        for (String f : fields) {
            if (SpecKeys.get(f) == null && !SpecKeys.SECRET_FIELDS.contains(f)) {
                problems.add(f + ": a SyncSpec field that is not in SpecKeys (add its row; a secret belongs in"
                        + " SpecKeys.SECRET_FIELDS)");
            }
        }
        for (SpecKey k : SpecKeys.ALL) {
            if (k.apply() != null && !fields.contains(k.name())) {
                problem(k, "in SpecKeys and applied to the builder, but SyncSpec has no such field");
            }
            if (k.scope() != Scope.ALL && (k.why() == null || k.why().isBlank())) {
                problem(k, "scope " + k.scope() + " needs its reason (why)");
            }
        }
        assertNoProblems("SyncSpec and SpecKeys disagree");
    }

    @Test
    public void theCliReadsEveryKeyOfTheFile() {
        List<String> expected = SpecKeys.cli().stream().map(SpecKey::name).collect(Collectors.toList());
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(SpecFile.keys());
        Set<String> extra = new TreeSet<>(SpecFile.keys());
        extra.removeAll(expected);
        assertEquals("keys of SpecKeys.cli() the CLI's YAML file does not read", Set.of(), missing);
        assertEquals("keys the CLI's YAML file reads that SpecKeys does not list", Set.of(), extra);
    }

    @Test
    public void theJenkinsStepOffersEveryJenkinsKey() {
        PluginFiles.JavaBean step = PluginFiles.JavaBean.parse(PluginFiles.source("RdsSyncStep"));
        String jelly = PluginFiles.view(STEP_DIR.resolve("config.jelly"));
        Set<String> jellyFields = PluginFiles.fields(jelly).stream().map(f -> f[1])
                .collect(Collectors.toCollection(LinkedHashSet::new));
        for (SpecKey k : SpecKeys.ALL) {
            boolean jenkins = k.scope().inJenkins();
            String want = javaType(k.type());
            if (jenkins) {
                if (!step.bindable(k.name())) {
                    problem(k, "RdsSyncStep has no @DataBoundSetter set" + cap(k.name()) + "(" + want
                            + ") nor constructor parameter (or list it as CLI-only in SpecKeys, with why)");
                } else if (!typeMatches(want, step.boundType(k.name()))) {
                    problem(k, "RdsSyncStep binds it as " + step.boundType(k.name()) + ", the key is " + want);
                }
                String getter = step.getters.get(k.name());
                if (getter == null) {
                    problem(k, "RdsSyncStep has no getter " + (k.type() == Type.BOOLEAN ? "is" : "get")
                            + cap(k.name()) + "()");
                } else if (!typeMatches(want, getter)) {
                    problem(k, "RdsSyncStep.get" + cap(k.name()) + "() returns " + getter + ", the key is " + want);
                }
                if (!jellyFields.contains(k.name())) {
                    problem(k, "no field=\"" + k.name() + "\" in RdsSyncStep/config.jelly");
                }
                if (!Files.exists(STEP_DIR.resolve("help-" + k.name() + ".html"))) {
                    problem(k, "no RdsSyncStep/help-" + k.name() + ".html");
                }
            } else {
                if (step.bindable(k.name()) || jellyFields.contains(k.name())) {
                    problem(k, "CLI-only in SpecKeys (" + k.why() + "), but the Jenkins step or form offers it");
                }
            }
        }
        for (String f : jellyFields) {
            SpecKey k = SpecKeys.get(f);
            if (k == null || !k.scope().inJenkins()) {
                problems.add(f + ": in RdsSyncStep/config.jelly but not a Jenkins key of SpecKeys");
            }
        }
        assertNoProblems("the Jenkins step and its form miss keys");
    }

    @Test
    public void theDocumentationHasARowForEveryKey() {
        String docs = keysSection();
        Map<String, String> rows = new java.util.LinkedHashMap<>();
        Matcher m = DOC_ROW.matcher(docs);
        while (m.find()) {
            rows.put(m.group(1), m.group(2));
        }
        for (SpecKey k : SpecKeys.ALL) {
            if (k.scope().inCli() && !rows.containsKey(k.name())) {
                problem(k, "no row | `" + k.name() + "` | in docs/configuration.md");
            } else if (!k.scope().inCli() && !docs.contains("`" + k.name() + "`")) {
                problem(k, "docs/configuration.md does not mention `" + k.name() + "`");
            }
        }
        for (String documented : rows.keySet()) {
            if (SpecKeys.get(documented) == null) {
                problems.add(documented + ": a row in docs/configuration.md but not a key of SpecKeys");
            }
        }
        assertNoProblems("docs/configuration.md and SpecKeys disagree");
    }

    /** The literal defaults: SyncSpec's, the docs row's, the help file's, the step's and the form's are the table's. */
    @Test
    public void everyDefaultIsTheSameEverywhere() throws Exception {
        SyncSpec spec = SyncSpec.builder().source("src-instance").target("tgt-instance").mysqlUser("u")
                .mysqlPassword(Secret.of("p")).build();
        String docs = keysSection();
        String jelly = PluginFiles.view(STEP_DIR.resolve("config.jelly"));
        for (SpecKey k : SpecKeys.ALL) {
            Object dflt = k.defaultValue();
            if (dflt != null && k.type().plain() != null && !k.type().plain().isInstance(dflt)) {
                problem(k, "default " + dflt + " is not a " + k.type().plain().getSimpleName());
            }
            if (dflt == null) {
                continue;
            }
            String literal = String.valueOf(dflt);
            Object actual = specValue(spec, k.name());
            if (!literal.equals(String.valueOf(actual))) {
                problem(k, "SyncSpec's default is " + actual + ", SpecKeys says " + literal);
            }
            if (k.scope().inCli()) {
                Matcher row = Pattern.compile("(?m)^\\| `" + k.name() + "` \\|(.*)$").matcher(docs);
                if (row.find() && !row.group(1).contains("`" + literal + "`")) {
                    problem(k, "its row in docs/configuration.md does not show the default `" + literal + "`");
                }
            }
            if (k.scope().inJenkins()) {
                Path help = STEP_DIR.resolve("help-" + k.name() + ".html");
                if (k.type() != Type.BOOLEAN && Files.exists(help) && !PluginFiles.read(help).contains(literal)) {
                    problem(k, "help-" + k.name() + ".html does not give the default " + literal);
                }
                if (k.type() == Type.BOOLEAN) {
                    boolean checked = Pattern.compile("field=\"" + k.name() + "\">\\s*<f:checkbox[^>]*default=\"true\"")
                            .matcher(jelly).find();
                    if (checked != (Boolean) dflt) {
                        problem(k, "the form's check box " + (checked ? "is" : "is not") + " ticked by default,"
                                + " the default is " + dflt);
                    }
                }
            }
        }
        assertNoProblems("defaults disagree");
    }

    /** The "## Keys" part of docs/configuration.md (the environment variables' table follows it). */
    private static String keysSection() {
        String docs = PluginFiles.read(DOCS);
        int start = docs.indexOf("\n## Keys");
        int end = docs.indexOf("\n## ", start + 1);
        return docs.substring(start, end < 0 ? docs.length() : end);
    }

    private static Object specValue(SyncSpec spec, String name) throws Exception {
        Method m = SyncSpec.class.getMethod(name);
        Object v = m.invoke(spec);
        if (v instanceof Optional<?> o) {
            v = o.orElse(null);
        }
        if (v instanceof Enum<?> e) {
            v = e.getClass().getMethod("id").invoke(e);
        }
        return v;
    }

    /** The Java type of a key on the Jenkins step (setter parameter and getter). */
    static String javaType(Type t) {
        return switch (t) {
            case TEXT, PATH, CREDENTIALS_ID -> "String";
            case WHOLE_NUMBER -> "Integer";
            case BIG_NUMBER -> "Long";
            case BOOLEAN -> "boolean";
            case OPTIONAL_BOOLEAN -> "Boolean";
            case LIST, MAPPING, PATHS -> "List<String>";
        };
    }

    private static boolean typeMatches(String want, String declared) {
        return want.equals(declared.replace("java.util.", "").replace("java.lang.", ""));
    }

    private static String cap(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
