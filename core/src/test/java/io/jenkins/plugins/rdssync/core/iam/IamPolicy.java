package io.jenkins.plugins.rdssync.core.iam;

import io.jenkins.plugins.rdssync.core.aws.ShippedPolicies;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

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
     * A policy's text with its placeholders filled in; a placeholder without a value is an error, so that a
     * template that names something the scenario does not know cannot silently match nothing.
     */
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
        List<Statement> statements = new ArrayList<>();
        for (JsonNode s : JsonNode.parser().parse(filled.toString()).field("Statement").orElseThrow().asArray()) {
            String sid = s.field("Sid").map(JsonNode::asString).orElse("(no Sid)");
            if (s.field("Principal").isPresent() || s.field("NotAction").isPresent()
                    || s.field("NotResource").isPresent()) {
                throw new IllegalArgumentException(name + ": statement " + sid
                        + " is not an identity-policy statement this check evaluates");
            }
            statements.add(new Statement(sid, "Allow".equals(s.field("Effect").map(JsonNode::asString).orElse(null)),
                    ShippedPolicies.strings(s, "Action"), ShippedPolicies.strings(s, "Resource")));
        }
        return new IamPolicy(name, statements);
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
