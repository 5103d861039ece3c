package io.jenkins.plugins.rdssync.core.iam;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sf.json.JSONArray;
import net.sf.json.JSONObject;

/**
 * One identity policy of docs/iam/, its {@code ${Placeholders}} filled in, evaluated the way IAM evaluates the
 * Action and Resource elements (IAM User Guide, "Policy evaluation logic" and "IAM JSON policy elements: Resource"):
 * an explicit Deny wins, then any Allow; {@code *} and {@code ?} are wildcards; actions compare without case, ARNs
 * with case. Conditions are not evaluated: a statement with a Condition counts as allowing (the emulator models
 * the conditions the shipped files use: external ids of trust policies, grants for AWS resources).
 */
public final class IamPolicy {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z]+)}");

    /** One statement: its Sid (for messages), effect, actions and resources. */
    public record Statement(String sid, boolean allow, List<String> actions, List<String> resources) {
        boolean covers(String action, String arn) {
            return actions.stream().anyMatch(a -> wildcard(a.toLowerCase(Locale.ROOT), action.toLowerCase(Locale.ROOT)))
                    && resources.stream().anyMatch(r -> wildcard(r, arn));
        }
    }

    private final String file;
    private final List<Statement> statements;

    private IamPolicy(String file, List<Statement> statements) {
        this.file = file;
        this.statements = List.copyOf(statements);
    }

    /**
     * Reads a policy file and fills in its placeholders; a placeholder without a value is an error, so that a
     * template that names something the scenario does not know cannot silently match nothing.
     */
    public static IamPolicy load(Path file, Map<String, String> values) throws IOException {
        return parse(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8), values);
    }

    static IamPolicy parse(String name, String json, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(json);
        StringBuilder filled = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException(name + ": no value for ${" + m.group(1) + "}");
            }
            m.appendReplacement(filled, Matcher.quoteReplacement(value));
        }
        m.appendTail(filled);
        JSONObject doc = JSONObject.fromObject(filled.toString());
        List<Statement> statements = new ArrayList<>();
        for (Object o : doc.getJSONArray("Statement")) {
            JSONObject s = (JSONObject) o;
            if (s.has("Principal") || s.has("NotAction") || s.has("NotResource")) {
                throw new IllegalArgumentException(name + ": statement " + s.optString("Sid")
                        + " is not an identity-policy statement this check evaluates");
            }
            statements.add(new Statement(s.optString("Sid", "(no Sid)"), "Allow".equals(s.getString("Effect")),
                    strings(s.get("Action")), strings(s.get("Resource"))));
        }
        return new IamPolicy(name, statements);
    }

    private static List<String> strings(Object element) {
        List<String> out = new ArrayList<>();
        if (element instanceof JSONArray a) {
            for (Object o : a) {
                out.add(o.toString());
            }
        } else if (element != null) {
            out.add(element.toString());
        }
        return out;
    }

    /** The file name, for messages. */
    public String file() {
        return file;
    }

    public List<Statement> statements() {
        return statements;
    }

    /** This policy without one statement (to show that the check notices a missing line). */
    public IamPolicy without(String sid) {
        List<Statement> rest = statements.stream().filter(s -> !s.sid().equals(sid)).toList();
        if (rest.size() == statements.size()) {
            throw new IllegalArgumentException(file + " has no statement " + sid);
        }
        return new IamPolicy(file, rest);
    }

    /** Whether a statement of this policy explicitly denies the call. */
    boolean denies(String action, String arn) {
        return statements.stream().anyMatch(s -> !s.allow() && s.covers(action, arn));
    }

    /** The Allow statement that allows the call, if any (a Deny elsewhere still wins: see {@link IamCheck}). */
    Optional<Statement> allowing(String action, String arn) {
        return statements.stream().filter(s -> s.allow() && s.covers(action, arn)).findFirst();
    }

    /** IAM's wildcards: {@code *} any run of characters, {@code ?} one character; nothing else is special. */
    static boolean wildcard(String pattern, String value) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(value).matches();
    }
}
