package io.jenkins.plugins.rdssync.core.spec;

import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.spec.SpecKey.Scope;
import io.jenkins.plugins.rdssync.core.spec.SpecKey.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * Every key of the public interface, in documentation order: the one list that the CLI's YAML reader, the Jenkins
 * form normalisation ({@link FormValues}) and the plain values of a Jenkins step ({@link SpecValues}) read. Adding a
 * setting means a row here, a {@link SyncSpec.Builder} method, and — checked by tests — the Jenkins step's getter and
 * setter, its form entry and help file, and its row in docs/configuration.md.
 *
 * <p>The keys Jenkins deliberately does not offer are the {@link Scope#CLI_ONLY} rows, each with its reason
 * ({@link #cliOnly()}).
 */
public final class SpecKeys {

    /** SyncSpec fields that are not keys: secrets come from Jenkins credentials or the environment, never a key. */
    public static final List<String> SECRET_FIELDS = List.of("accessKeyId", "secretAccessKey", "sessionToken",
            "mysqlPassword", "sourceAccessKeyId", "sourceSecretAccessKey", "sourceSessionToken");

    public static final List<SpecKey> ALL;
    private static final Map<String, SpecKey> BY_NAME;

    static {
        List<SpecKey> k = new ArrayList<>();
        // instances and AWS
        k.add(text("source", SyncSpec.Builder::source));
        k.add(text("target", SyncSpec.Builder::target));
        k.add(text("region", SyncSpec.Builder::region));
        k.add(text("endpointUrl", SyncSpec.Builder::endpointUrl));
        k.add(new SpecKey("awsCredentialsId", Type.CREDENTIALS_ID, Scope.JENKINS_ONLY, null,
                "the CLI uses the AWS SDK's default chain (environment, profile, instance role)", null));
        k.add(text("roleArn", SyncSpec.Builder::roleArn));
        k.add(text("externalId", SyncSpec.Builder::externalId));
        k.add(text("roleSessionName", SyncSpec.Builder::roleSessionName));
        // production in another account or region: the source side
        k.add(new SpecKey("sourceAwsCredentialsId", Type.CREDENTIALS_ID, Scope.JENKINS_ONLY, null,
                "the CLI reads the source side's keys from RDS_SYNC_SOURCE_AWS_ACCESS_KEY_ID and"
                        + " RDS_SYNC_SOURCE_AWS_SECRET_ACCESS_KEY, or uses sourceProfile", null));
        k.add(text("sourceRoleArn", SyncSpec.Builder::sourceRoleArn));
        k.add(text("sourceExternalId", SyncSpec.Builder::sourceExternalId));
        k.add(new SpecKey("sourceProfile", Type.TEXT, Scope.CLI_ONLY, null,
                "a profile in ~/.aws of the agent bypasses Jenkins credentials; Jenkins uses sourceAwsCredentialsId",
                (b, v) -> b.sourceProfile((String) v)));
        k.add(text("sourceRegion", SyncSpec.Builder::sourceRegion));
        k.add(text("sourceEndpointUrl", SyncSpec.Builder::sourceEndpointUrl));
        // snapshot
        k.add(text("snapshotMode", SnapshotMode.ROLLING.id(), (b, v) -> b.snapshotMode(v)));
        k.add(text("snapshotName", SyncSpec.Builder::snapshotName));
        k.add(whole("snapshotKeep", 3, SyncSpec.Builder::snapshotKeep));
        k.add(text("snapshotCopyKmsKeyId", SyncSpec.Builder::snapshotCopyKmsKeyId));
        // target and restore settings
        k.add(text("strategy", Strategy.SWAP.id(), (b, v) -> b.strategy(v)));
        k.add(text("instanceClass", SyncSpec.Builder::instanceClass));
        k.add(text("subnetGroup", SyncSpec.Builder::subnetGroup));
        k.add(text("availabilityZone", SyncSpec.Builder::availabilityZone));
        k.add(list("securityGroups", SyncSpec.Builder::securityGroups));
        k.add(text("parameterGroup", SyncSpec.Builder::parameterGroup));
        k.add(text("optionGroup", SyncSpec.Builder::optionGroup));
        k.add(whole("instancePort", null, SyncSpec.Builder::instancePort));
        k.add(text("storageType", SyncSpec.Builder::storageType));
        k.add(optionalBool("multiAz", SyncSpec.Builder::multiAz));
        k.add(optionalBool("publiclyAccessible", SyncSpec.Builder::publiclyAccessible));
        k.add(mapping("tags", SyncSpec.Builder::tags));
        k.add(whole("backupRetention", null, SyncSpec.Builder::backupRetention));
        k.add(bool("resetMasterPassword", true, SyncSpec.Builder::resetMasterPassword));
        k.add(text("oldTarget", OldTarget.SNAPSHOT.id(), (b, v) -> b.oldTarget(v)));
        k.add(whole("oldTargetKeepHours", SyncSpec.DEFAULT_OLD_TARGET_KEEP_HOURS, (b, v) -> b.oldTargetKeepHours(
                v == null ? SyncSpec.DEFAULT_OLD_TARGET_KEEP_HOURS : v)));
        // databases
        k.add(new SpecKey("mysqlCredentialsId", Type.CREDENTIALS_ID, Scope.JENKINS_ONLY, null,
                "the CLI takes mysqlUser here and the password from RDS_SYNC_DB_PASSWORD or mysqlPasswordFile", null));
        k.add(new SpecKey("mysqlUser", Type.TEXT, Scope.CLI_ONLY, null,
                "Jenkins takes the user and the password together from mysqlCredentialsId (Username with password)",
                (b, v) -> b.mysqlUser((String) v)));
        k.add(new SpecKey("mysqlPasswordFile", Type.PATH, Scope.CLI_ONLY, null,
                "a password in a file on the agent bypasses Jenkins credentials (masking, access control); Jenkins"
                        + " uses mysqlCredentialsId", null));
        k.add(list("databases", SyncSpec.Builder::databases));
        k.add(text("dbHost", SyncSpec.Builder::dbHost));
        k.add(whole("dbPort", null, SyncSpec.Builder::dbPort));
        k.add(text("dbTls", TlsMode.VERIFY_CA.id(), (b, v) -> b.dbTls(v)));
        k.add(path("dbTlsCaBundle", SyncSpec.Builder::dbTlsCaBundle));
        // preserved data
        k.add(bool("preserveRows", true, SyncSpec.Builder::preserveRows));
        k.add(new SpecKey("offset", Type.BIG_NUMBER, Scope.ALL, SyncSpec.DEFAULT_OFFSET, null,
                (b, v) -> b.offset((Long) v)));
        k.add(list("preserveTables", SyncSpec.Builder::preserveTablesText));
        k.add(list("includeTables", SyncSpec.Builder::includeTables));
        k.add(list("excludeTables", SyncSpec.Builder::excludeTables));
        k.add(list("preserveColumns", SyncSpec.Builder::preserveColumnsText));
        // SQL
        k.add(new SpecKey("postSql", Type.PATHS, Scope.ALL, null, null, (b, v) -> b.postSql(paths(v))));
        k.add(list("postSqlStatements", SyncSpec.Builder::postSqlStatements));
        k.add(path("migrations", SyncSpec.Builder::migrations));
        k.add(text("migrationsTable", SyncSpec.DEFAULT_MIGRATIONS_TABLE, SyncSpec.Builder::migrationsTable));
        k.add(text("migrationsColumn", SyncSpec.DEFAULT_MIGRATIONS_COLUMN, SyncSpec.Builder::migrationsColumn));
        // safety and run
        k.add(list("allowTargets", SyncSpec.Builder::allowTargets));
        k.add(list("denyTargets", SyncSpec.Builder::denyTargets));
        k.add(text("protectedTag", SyncSpec.DEFAULT_PROTECTED_TAG, SyncSpec.Builder::protectedTag));
        k.add(whole("timeoutMinutes", SyncSpec.DEFAULT_TIMEOUT_MINUTES, SyncSpec.Builder::timeoutMinutes));
        k.add(new SpecKey("stageTimeoutMinutes", Type.MAPPING, Scope.ALL, null, null,
                (b, v) -> b.stageTimeoutMinutes(stageTimeouts(strings(v), b))));
        k.add(new SpecKey("workDir", Type.PATH, Scope.CLI_ONLY, null,
                "Jenkins keeps the journal beside the workspace (<workspace>@tmp/rds-sync/<target>), where a resumed"
                        + " build on the same agent finds it", (b, v) -> b.workDir((Path) v)));
        k.add(new SpecKey("resume", Type.BOOLEAN, Scope.JENKINS_ONLY, false,
                "a command-line option of the CLI (rds-sync run --resume), not a file setting",
                (b, v) -> b.resume((Boolean) v)));
        k.add(new SpecKey("dryRun", Type.BOOLEAN, Scope.JENKINS_ONLY, false,
                "a command of the CLI (rds-sync plan), not a file setting", (b, v) -> b.dryRun((Boolean) v)));
        ALL = Collections.unmodifiableList(k);
        Map<String, SpecKey> m = new LinkedHashMap<>();
        for (SpecKey key : k) {
            if (m.put(key.name(), key) != null) {
                throw new IllegalStateException("key listed twice: " + key.name());
            }
        }
        BY_NAME = Collections.unmodifiableMap(m);
    }

    private SpecKeys() {
    }

    /** The key of that name, or {@code null}. */
    public static SpecKey get(String name) {
        return BY_NAME.get(name);
    }

    /** The key of that name; an unknown name is a programming error. */
    public static SpecKey of(String name) {
        SpecKey k = BY_NAME.get(name);
        if (k == null) {
            throw new IllegalArgumentException("no such key: " + name);
        }
        return k;
    }

    /** The keys a Jenkins step and form offer, in documentation order. */
    public static List<SpecKey> jenkins() {
        return ALL.stream().filter(k -> k.scope().inJenkins()).collect(Collectors.toUnmodifiableList());
    }

    /** The keys of the CLI's YAML file (resume and dryRun are its command-line choices instead). */
    public static List<SpecKey> cli() {
        return ALL.stream().filter(k -> k.scope().inCli()).collect(Collectors.toUnmodifiableList());
    }

    /** The keys deliberately left out of Jenkins, each with {@link SpecKey#why()}. */
    public static List<SpecKey> cliOnly() {
        return ALL.stream().filter(k -> k.scope() == Scope.CLI_ONLY).collect(Collectors.toUnmodifiableList());
    }

    /**
     * Stage limits written as {@code stage=minutes} entries (Jenkins), with the stage ids of {@link StageName}.
     * Bad entries are reported as problems of {@code stageTimeoutMinutes} on {@code b}.
     */
    public static Map<String, Integer> stageTimeouts(Map<String, String> entries, SyncSpec.Builder b) {
        Map<String, Integer> out = new LinkedHashMap<>();
        String ids = Arrays.stream(StageName.values()).map(StageName::id).collect(Collectors.joining(", "));
        for (Map.Entry<String, String> e : entries.entrySet()) {
            StageName stage;
            try {
                stage = StageName.fromId(e.getKey().trim());
            } catch (IllegalArgumentException ex) {
                b.problem("stageTimeoutMinutes", "unknown stage '" + e.getKey() + "'; the stages are " + ids);
                continue;
            }
            try {
                Integer minutes = SpecText.wholeNumber(e.getValue());
                if (minutes == null) {
                    throw new NumberFormatException();
                }
                out.put(stage.id(), minutes);
            } catch (NumberFormatException ex) {
                b.problem("stageTimeoutMinutes", "'" + e.getKey() + "=" + e.getValue() + "' needs a whole number of"
                        + " minutes, for example restore=90");
            }
        }
        return out;
    }

    // ---- row factories ---------------------------------------------------------------------------------------------

    private static SpecKey text(String name, BiConsumer<SyncSpec.Builder, String> set) {
        return text(name, null, set);
    }

    private static SpecKey text(String name, String dflt, BiConsumer<SyncSpec.Builder, String> set) {
        return new SpecKey(name, Type.TEXT, Scope.ALL, dflt, null, (b, v) -> set.accept(b, (String) v));
    }

    private static SpecKey whole(String name, Integer dflt, BiConsumer<SyncSpec.Builder, Integer> set) {
        return new SpecKey(name, Type.WHOLE_NUMBER, Scope.ALL, dflt, null, (b, v) -> set.accept(b, (Integer) v));
    }

    private static SpecKey bool(String name, boolean dflt, BiConsumer<SyncSpec.Builder, Boolean> set) {
        return new SpecKey(name, Type.BOOLEAN, Scope.ALL, dflt, null, (b, v) -> set.accept(b, (Boolean) v));
    }

    private static SpecKey optionalBool(String name, BiConsumer<SyncSpec.Builder, Boolean> set) {
        return new SpecKey(name, Type.OPTIONAL_BOOLEAN, Scope.ALL, null, null, (b, v) -> set.accept(b, (Boolean) v));
    }

    private static SpecKey list(String name, BiConsumer<SyncSpec.Builder, List<String>> set) {
        return new SpecKey(name, Type.LIST, Scope.ALL, null, null, (b, v) -> set.accept(b, strings(v)));
    }

    private static SpecKey mapping(String name, BiConsumer<SyncSpec.Builder, Map<String, String>> set) {
        return new SpecKey(name, Type.MAPPING, Scope.ALL, null, null, (b, v) -> set.accept(b, strings(v)));
    }

    private static SpecKey path(String name, BiConsumer<SyncSpec.Builder, Path> set) {
        return new SpecKey(name, Type.PATH, Scope.ALL, null, null, (b, v) -> set.accept(b, (Path) v));
    }

    @SuppressWarnings("unchecked")
    private static <T> T strings(Object v) {
        return (T) v;
    }

    @SuppressWarnings("unchecked")
    private static List<Path> paths(Object v) {
        return (List<Path>) v;
    }
}
