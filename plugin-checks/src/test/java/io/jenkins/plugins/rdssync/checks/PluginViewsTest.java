package io.jenkins.plugins.rdssync.checks;

import static io.jenkins.plugins.rdssync.checks.PluginFiles.JAVA;
import static io.jenkins.plugins.rdssync.checks.PluginFiles.RESOURCES;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Test;

/**
 * The plugin's views as Stapler reads them, checked without Jenkins:
 * <ul>
 * <li>every {@code ${%…}} is a message key without parentheses, or a key followed by an argument list whose
 * arguments are expressions, defined with placeholders in the view's properties file (Stapler reads
 * {@code ${%Key(args)}} as a key and JEXL arguments: {@code ${%Snapshots to keep (mode new)}} cannot be parsed and
 * the form is not drawn; {@code ${%Role (ARN)}} parses and silently drops its text);</li>
 * <li>every {@code field="x"} has a getter and a setter (or {@code @DataBoundConstructor} parameter) on its class,
 * and every form entry a {@code help-x.html};</li>
 * <li>every {@code Messages} key the Java code uses exists, and every key that exists is used;</li>
 * <li>every view escapes by default.</li>
 * </ul>
 */
public class PluginViewsTest {

    private static final Pattern I18N = Pattern.compile("\\$\\{%([^}]*)}");
    /** A JEXL expression as Jelly views use them for message arguments: a property path, a literal or a call. */
    private static final Pattern EXPRESSION = Pattern.compile(
            "\\s*(?:'[^']*'|\"[^\"]*\"|-?\\d+(?:\\.\\d+)?|(?:[A-Za-z_$][\\w$]*)(?:\\.[A-Za-z_$][\\w$]*|\\[[^\\]]+]"
                    + "|\\([^()]*\\))*)\\s*");

    private static List<Path> jellyFiles() {
        List<Path> files = PluginFiles.files(RESOURCES, ".jelly");
        assertTrue("no Jelly views found under " + RESOURCES, files.size() >= 4);
        return files;
    }

    @Test
    public void messageExpressionsParseAsStaplerReadsThem() {
        List<String> problems = new ArrayList<>();
        int count = 0;
        for (Path file : jellyFiles()) {
            String text = PluginFiles.view(file);
            String base = file.getFileName().toString().replaceFirst("\\.jelly$", "");
            Properties own = PluginFiles.properties(file.resolveSibling(base + ".properties"));
            Matcher m = I18N.matcher(text);
            while (m.find()) {
                count++;
                String body = m.group(1);
                String where = PluginFiles.where(file, text, m.start()) + ": ${%" + body + "}";
                int open = body.indexOf('(');
                if (open < 0) {
                    if (body.isBlank() || !body.equals(body.strip())) {
                        problems.add(where + ": the key has blanks around it");
                    }
                    continue;
                }
                String key = body.substring(0, open);
                if (!body.endsWith(")")) {
                    problems.add(where + ": text after the argument list; Stapler cannot read it");
                    continue;
                }
                List<String> args = arguments(body.substring(open + 1, body.length() - 1));
                for (String a : args) {
                    if (!EXPRESSION.matcher(a).matches()) {
                        problems.add(where + ": '" + a + "' is not an expression; Stapler reads '" + key
                                + "' as the key and (" + a + ") as its arguments (write the parenthesis out of"
                                + " ${%…}, or use a comma)");
                    }
                }
                if (!key.equals(key.strip()) || !own.containsKey(key)) {
                    problems.add(where + ": '" + key + "' takes arguments but is not defined in " + base
                            + ".properties with {0}…; its argument text would be dropped");
                }
            }
        }
        assertTrue("no ${%…} expressions found", count > 20);
        assertEquals("views that Stapler cannot draw as meant:\n  " + String.join("\n  ", problems), List.of(),
                problems);
    }

    /** Arguments as Stapler's InternationalizedStringExpression.tokenize splits them (commas outside brackets). */
    static List<String> arguments(String text) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(' || c == '{' || c == '[') {
                depth++;
            } else if (c == ')' || c == '}' || c == ']') {
                depth--;
            } else if (c == '\'' || c == '"') {
                int end = text.indexOf(c, i + 1);
                i = end < 0 ? text.length() : end;
            } else if (c == ',' && depth == 0) {
                out.add(text.substring(start, i));
                start = i + 1;
            }
        }
        out.add(text.substring(start));
        return out;
    }

    @Test
    public void everyFieldIsBoundAndHasHelp() {
        List<String> problems = new ArrayList<>();
        int count = 0;
        for (Path file : jellyFiles()) {
            String owner = file.getParent().getFileName().toString();
            Path source = PluginFiles.source(owner);
            String text = PluginFiles.view(file);
            List<String[]> fields = PluginFiles.fields(text);
            if (fields.isEmpty()) {
                continue;
            }
            if (!Files.exists(source)) {
                problems.add(file + ": fields but no class " + source);
                continue;
            }
            PluginFiles.JavaBean bean = PluginFiles.JavaBean.parse(source);
            for (String[] f : fields) {
                count++;
                String tag = f[0];
                String field = f[1];
                String where = PluginFiles.where(file, text, Integer.parseInt(f[2])) + ": field=\"" + field + "\"";
                if (!bean.getters.containsKey(field)) {
                    problems.add(where + ": " + owner + " has no getter get/is" + capitalize(field) + "()");
                }
                if (!bean.bindable(field)) {
                    problems.add(where + ": " + owner + " has no @DataBoundSetter set" + capitalize(field)
                            + " and no @DataBoundConstructor parameter " + field);
                }
                if (tag.equals("f:entry") && !Files.exists(file.resolveSibling("help-" + field + ".html"))) {
                    problems.add(where + ": no help-" + field + ".html beside the view");
                }
            }
        }
        assertTrue("no fields found", count > 20);
        assertEquals("fields of the forms:\n  " + String.join("\n  ", problems), List.of(), problems);
    }

    @Test
    public void messagesUsedExistAndMessagesThatExistAreUsed() {
        Properties messages = PluginFiles.properties(RESOURCES.resolve(PluginFiles.PACKAGE_DIR)
                .resolve("Messages.properties"));
        Set<String> used = new TreeSet<>();
        for (String k : PluginFiles.messageKeysUsed(PluginFiles.files(JAVA, ".java"))) {
            used.add(k.startsWith(".") ? k.substring(1) : k);
        }
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(messages.stringPropertyNames());
        assertEquals("Messages.* used in the Java code but not in Messages.properties", Set.of(), missing);
        Set<String> unused = new TreeSet<>(messages.stringPropertyNames());
        unused.removeAll(used);
        assertEquals("keys of Messages.properties that no Java code uses", Set.of(), unused);
    }

    @Test
    public void viewsEscapeByDefault() {
        List<String> offenders = new ArrayList<>();
        for (Path file : jellyFiles()) {
            if (!PluginFiles.read(file).startsWith("<?jelly escape-by-default='true'?>")) {
                offenders.add(RESOURCES.relativize(file).toString());
            }
        }
        assertEquals("views without <?jelly escape-by-default='true'?>", List.of(), offenders);
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
