package io.jenkins.plugins.rdssync.cli;

import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML document as plain values that remember their line: mappings, sequences and scalars <em>as written</em>.
 * <p>
 * The file is only composed into nodes by SnakeYAML (with a {@link SafeConstructor}-backed loader), never constructed
 * into Java objects, so no type named in the file is ever instantiated. Keeping the scalar text as written means
 * {@code externalId: 0123} stays {@code "0123"} (not the octal number 83) and {@code dbTls: off} stays
 * {@code "off"} (not {@code false}); the configuration reader decides the type per key and reports the line.
 */
final class YamlTree {

    /** A value of the document with the (1-based) line it starts on. */
    sealed interface Value permits Scalar, Seq, Dict {
        int line();

        /** What kind of value this is, for messages: "text", "a list", "a mapping". */
        String kind();
    }

    /** A scalar; {@code text} is null for YAML null ({@code ~}, {@code null} or nothing). */
    record Scalar(String text, int line) implements Value {
        boolean isNull() {
            return text == null;
        }

        @Override
        public String kind() {
            return isNull() ? "empty" : "a single value";
        }
    }

    record Seq(List<Value> items, int line) implements Value {
        @Override
        public String kind() {
            return "a list";
        }
    }

    /** A mapping with its entries in file order; keys are scalar text. */
    record Dict(Map<String, Entry> entries, int line) implements Value {
        @Override
        public String kind() {
            return "a mapping";
        }
    }

    record Entry(String key, int keyLine, Value value) {
    }

    /** A file that is no YAML, or YAML this tool does not accept. Messages never quote the file's content. */
    static final class YamlProblem extends Exception {
        private static final long serialVersionUID = 1L;

        YamlProblem(String message) {
            super(message);
        }
    }

    private final List<String> problems = new ArrayList<>();

    private YamlTree() {
    }

    /**
     * Reads one YAML document.
     *
     * @return the document's root, or null for an empty document
     * @param problems receives structural problems (duplicate keys, complex keys, custom tags) with their line
     * @throws YamlProblem for a syntax error (line and column, never the text of the line: it may hold a secret)
     */
    static Value parse(Reader reader, List<String> problems) throws YamlProblem {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true); // reported by us, with both lines
        options.setMaxAliasesForCollections(50);
        options.setAllowRecursiveKeys(false);
        options.setCodePointLimit(1024 * 1024);
        Yaml yaml = new Yaml(new SafeConstructor(options));
        Node root;
        try {
            root = yaml.compose(reader);
        } catch (MarkedYAMLException e) {
            throw new YamlProblem(describe(e));
        } catch (YAMLException e) {
            throw new YamlProblem("not valid YAML (" + firstLine(e.getMessage()) + ")");
        }
        if (root == null) {
            return null;
        }
        YamlTree tree = new YamlTree();
        Value value = tree.convert(root, 0);
        problems.addAll(tree.problems);
        return value;
    }

    private static String describe(MarkedYAMLException e) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        StringBuilder sb = new StringBuilder("not valid YAML");
        if (mark != null) {
            sb.append(" at line ").append(mark.getLine() + 1).append(", column ").append(mark.getColumn() + 1);
        }
        String what = e.getProblem() != null ? e.getProblem() : e.getContext();
        if (what != null) {
            sb.append(": ").append(firstLine(what));
        }
        if (e.getContext() != null && e.getProblem() != null && e.getContextMark() != null) {
            sb.append(" (").append(firstLine(e.getContext())).append(" at line ")
                    .append(e.getContextMark().getLine() + 1).append(")");
        }
        return sb.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }

    private Value convert(Node node, int depth) {
        int line = node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
        if (depth > 20) {
            problems.add("line " + line + ": nested too deeply");
            return new Scalar(null, line);
        }
        Tag tag = node.getTag();
        if (tag != null && !tag.getValue().startsWith(Tag.PREFIX)) {
            problems.add("line " + line + ": YAML tags such as " + tag.getValue() + " are not supported; remove it");
        }
        if (node instanceof ScalarNode s) {
            boolean isNull = Tag.NULL.equals(s.getTag());
            return new Scalar(isNull ? null : s.getValue(), line);
        }
        if (node instanceof SequenceNode s) {
            List<Value> items = new ArrayList<>();
            for (Node child : s.getValue()) {
                items.add(convert(child, depth + 1));
            }
            return new Seq(items, line);
        }
        MappingNode m = (MappingNode) node;
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            Node k = t.getKeyNode();
            int keyLine = k.getStartMark() == null ? line : k.getStartMark().getLine() + 1;
            if (!(k instanceof ScalarNode ks) || Tag.NULL.equals(ks.getTag())) {
                problems.add("line " + keyLine + ": a key must be a plain name");
                continue;
            }
            String key = ks.getValue();
            if (Tag.MERGE.equals(ks.getTag()) || "<<".equals(key)) {
                problems.add("line " + keyLine + ": merge keys (<<) are not supported; write the keys out");
                continue;
            }
            Entry previous = entries.get(key);
            if (previous != null) {
                problems.add("line " + keyLine + ": key '" + key + "' appears twice (also on line "
                        + previous.keyLine() + "); keep one");
                continue;
            }
            entries.put(key, new Entry(key, keyLine, convert(t.getValueNode(), depth + 1)));
        }
        return new Dict(entries, line);
    }
}
