package io.jenkins.plugins.rdssync.core.aws;

import io.jenkins.plugins.rdssync.core.spec.Strategy;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * The IAM policies rds-sync ships (docs/iam/, bundled in this jar from the same files): which of them a sync in one
 * account attaches (docs/iam.md's table), and which of their statements allows an action, so that an AccessDenied
 * names the missing line rather than "add it". Read from the files themselves, so the message cannot drift from them.
 */
public final class ShippedPolicies {
    private static final String RESOURCES = "/io/jenkins/plugins/rdssync/core/iam/";

    private ShippedPolicies() {
    }

    /**
     * The files one identity attaches for a sync in one account: a source file for the snapshot mode, a target file
     * for the strategy, and kms-copy.json with {@code snapshotCopyKmsKeyId}.
     */
    public static List<String> oneAccountFiles(SyncSpec spec) {
        List<String> files = new ArrayList<>();
        files.add(switch (spec.snapshotMode()) {
            case ROLLING, NEW -> "source-snapshot.json";
            case EXISTING, LATEST_AUTOMATED -> "source-read.json";
        });
        files.add(spec.strategy() == Strategy.REPLACE ? "target-replace.json" : "target-swap.json");
        if (spec.snapshotCopyKmsKeyId().isPresent()) {
            files.add("kms-copy.json");
        }
        return files;
    }

    /** For AccessDenied messages of a sync in one account: the statements of its files that allow an action. */
    static Function<String, String> oneAccountLines(SyncSpec spec) {
        List<String> files = oneAccountFiles(spec);
        return action -> {
            String statements = statementsAllowing(action, files);
            return statements == null ? null : statements + ", attached to the sync's AWS identity (awsCredentialsId,"
                    + " then roleArn)";
        };
    }

    /**
     * "statement S of docs/iam/F" for each statement of these files whose Action lists this action (joined with
     * " or "), or null when none does.
     *
     * @param action {@code CreateDBSnapshot} (an RDS action) or {@code service:Action}
     */
    public static String statementsAllowing(String action, List<String> files) {
        String wanted = (action.contains(":") ? action : "rds:" + action).toLowerCase(Locale.ROOT);
        List<String> found = new ArrayList<>();
        for (String file : files) {
            for (JsonNode statement : statements(file)) {
                boolean lists = strings(statement, "Action").stream().anyMatch(a -> a.toLowerCase(Locale.ROOT).equals(wanted));
                if (lists && "Allow".equals(statement.field("Effect").map(JsonNode::asString).orElse(null))) {
                    found.add("statement " + statement.field("Sid").map(JsonNode::asString).orElse("(no Sid)")
                            + " of docs/iam/" + file);
                }
            }
        }
        return found.isEmpty() ? null : String.join(" or ", found);
    }

    /** The statements of one shipped file. */
    public static List<JsonNode> statements(String file) {
        return JsonNode.parser().parse(text(file)).field("Statement").map(JsonNode::asArray).orElse(List.of());
    }

    /** One shipped file as it is bundled (docs/iam/ at build time). */
    public static String text(String file) {
        try (InputStream in = ShippedPolicies.class.getResourceAsStream(RESOURCES + file)) {
            if (in == null) {
                throw new IllegalStateException("docs/iam/" + file + " is not bundled in rds-sync-core");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A statement's Action or Resource element as a list: IAM allows one string or an array of them. */
    public static List<String> strings(JsonNode statement, String element) {
        JsonNode a = statement.field(element).orElse(null);
        if (a == null) {
            return List.of();
        }
        return a.isArray() ? a.asArray().stream().map(JsonNode::asString).toList() : List.of(a.asString());
    }
}
