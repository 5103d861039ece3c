package io.jenkins.plugins.rdssync.cli;

import io.jenkins.plugins.rdssync.cli.YamlTree.Dict;
import io.jenkins.plugins.rdssync.cli.YamlTree.Entry;
import io.jenkins.plugins.rdssync.cli.YamlTree.Scalar;
import io.jenkins.plugins.rdssync.cli.YamlTree.Seq;
import io.jenkins.plugins.rdssync.cli.YamlTree.Value;
import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.spec.ColumnKeep;
import io.jenkins.plugins.rdssync.core.spec.InvalidSpecException;
import io.jenkins.plugins.rdssync.core.spec.Secret;
import io.jenkins.plugins.rdssync.core.spec.SpecProblem;
import io.jenkins.plugins.rdssync.core.spec.SpecText;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The CLI's YAML configuration file, read onto a {@link SyncSpec.Builder} with the names of the public interface
 * (DESIGN.md, docs/configuration.md).
 * <ul>
 * <li>Every problem is collected — unknown keys (with "did you mean"), wrong types, unreadable files — and reported
 * together by {@link SyncSpec.Builder#build()} with the engine's own validation.</li>
 * <li>Relative paths ({@code postSql}, {@code migrations}, {@code mysqlPasswordFile}, {@code dbTlsCaBundle},
 * {@code workDir}) resolve against the folder of the YAML file.</li>
 * <li>Secrets are never read from the file: the database password comes from {@value #PASSWORD_ENV} or
 * {@code mysqlPasswordFile}; AWS credentials from the SDK's default chain. Secret-looking keys are refused, and
 * their values are never repeated in a message.</li>
 * </ul>
 */
public final class SpecFile {
    /** Environment variable holding the target databases' password. */
    public static final String PASSWORD_ENV = "RDS_SYNC_DB_PASSWORD";
    /**
     * Environment variables holding AWS keys for the source side only (production in another account); without them
     * the source side uses {@code sourceProfile}, else the target side's credentials (then {@code sourceRoleArn}).
     */
    public static final String SOURCE_KEY_ID_ENV = "RDS_SYNC_SOURCE_AWS_ACCESS_KEY_ID";
    public static final String SOURCE_SECRET_ENV = "RDS_SYNC_SOURCE_AWS_SECRET_ACCESS_KEY";
    public static final String SOURCE_TOKEN_ENV = "RDS_SYNC_SOURCE_AWS_SESSION_TOKEN";

    private static final String DB_SECRET_ADVICE = "secrets never go in the configuration file: set the environment"
            + " variable " + PASSWORD_ENV + ", or point mysqlPasswordFile at a file only you can read";
    private static final String AWS_CHAIN = "the AWS SDK's default chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY"
            + " / AWS_SESSION_TOKEN, AWS_PROFILE and ~/.aws, or the instance or container role); set roleArn to"
            + " assume a role";
    private static final String AWS_SECRET_ADVICE = "AWS credentials never go in the configuration file: rds-sync uses "
            + AWS_CHAIN;

    /** Keys refused with a pointer to where the value belongs instead (normalised: lower case, no separators). */
    private static final Map<String, String> REFUSED = new LinkedHashMap<>();
    /** Words people use for a key → the key. */
    private static final Map<String, String> ALIASES = new LinkedHashMap<>();
    /** Key → how to read its value onto the builder. */
    private static final Map<String, BiConsumer<Value, Reading>> KEYS = new LinkedHashMap<>();

    static {
        for (String k : List.of("password", "mysqlPassword", "dbPassword", "databasePassword", "masterPassword",
                "masterUserPassword", "mysqlPwd", "pwd", "passwd")) {
            REFUSED.put(Suggest.normalise(k), DB_SECRET_ADVICE);
        }
        for (String k : List.of("secretAccessKey", "awsSecretAccessKey", "secretKey", "awsSecretKey", "accessKeyId",
                "awsAccessKeyId", "accessKey", "awsAccessKey", "sessionToken", "awsSessionToken", "awsCredentials",
                "credentials")) {
            REFUSED.put(Suggest.normalise(k), AWS_SECRET_ADVICE);
        }
        REFUSED.put("awscredentialsid", "is a Jenkins setting; on the command line AWS credentials come from "
                + AWS_CHAIN);
        REFUSED.put("sourceawscredentialsid", "is a Jenkins setting; on the command line the source side's keys come"
                + " from " + SOURCE_KEY_ID_ENV + " and " + SOURCE_SECRET_ENV + " (and " + SOURCE_TOKEN_ENV + "), or"
                + " from a profile named by sourceProfile");
        REFUSED.put("mysqlcredentialsid", "is a Jenkins setting; on the command line give mysqlUser here and the"
                + " password in " + PASSWORD_ENV + " or mysqlPasswordFile");
        REFUSED.put("resume", "is a command-line option, not a file setting: rds-sync run -c FILE --resume");
        REFUSED.put("dryrun", "is a command-line choice, not a file setting: rds-sync plan -c FILE");

        ALIASES.put("sourceinstance", "source");
        ALIASES.put("targetinstance", "target");
        ALIASES.put("instance", "target");
        ALIASES.put("endpoint", "endpointUrl");
        ALIASES.put("snapshot", "snapshotName");
        ALIASES.put("user", "mysqlUser");
        ALIASES.put("username", "mysqlUser");
        ALIASES.put("dbuser", "mysqlUser");
        ALIASES.put("mysqlusername", "mysqlUser");
        ALIASES.put("passwordfile", "mysqlPasswordFile");
        ALIASES.put("host", "dbHost");
        ALIASES.put("port", "dbPort");
        ALIASES.put("database", "databases");
        ALIASES.put("schemas", "databases");
        ALIASES.put("schema", "databases");
        ALIASES.put("timeout", "timeoutMinutes");
        ALIASES.put("migrationsdir", "migrations");
        ALIASES.put("migrationsfolder", "migrations");
        ALIASES.put("postsqlfiles", "postSql");
        ALIASES.put("tables", "preserveTables");
        ALIASES.put("columns", "preserveColumns");

        key("source", (v, r) -> r.string(v, r.b::source));
        key("target", (v, r) -> r.string(v, r.b::target));
        key("region", (v, r) -> r.string(v, r.b::region));
        key("endpointUrl", (v, r) -> r.string(v, r.b::endpointUrl));
        key("roleArn", (v, r) -> r.string(v, r.b::roleArn));
        key("externalId", (v, r) -> r.string(v, r.b::externalId));
        key("roleSessionName", (v, r) -> r.string(v, r.b::roleSessionName));
        key("sourceRegion", (v, r) -> r.string(v, r.b::sourceRegion));
        key("sourceEndpointUrl", (v, r) -> r.string(v, r.b::sourceEndpointUrl));
        key("sourceProfile", (v, r) -> r.string(v, r.b::sourceProfile));
        key("sourceRoleArn", (v, r) -> r.string(v, r.b::sourceRoleArn));
        key("sourceExternalId", (v, r) -> r.string(v, r.b::sourceExternalId));
        key("snapshotMode", (v, r) -> r.string(v, s -> r.b.snapshotMode(s)));
        key("snapshotName", (v, r) -> r.string(v, r.b::snapshotName));
        key("snapshotKeep", (v, r) -> r.integer(v, r.b::snapshotKeep));
        key("snapshotCopyKmsKeyId", (v, r) -> r.string(v, r.b::snapshotCopyKmsKeyId));
        key("strategy", (v, r) -> r.string(v, s -> r.b.strategy(s)));
        key("instanceClass", (v, r) -> r.string(v, r.b::instanceClass));
        key("subnetGroup", (v, r) -> r.string(v, r.b::subnetGroup));
        key("availabilityZone", (v, r) -> r.string(v, r.b::availabilityZone));
        key("securityGroups", (v, r) -> r.strings(v, r.b::securityGroups));
        key("parameterGroup", (v, r) -> r.string(v, r.b::parameterGroup));
        key("optionGroup", (v, r) -> r.string(v, r.b::optionGroup));
        key("instancePort", (v, r) -> r.integer(v, r.b::instancePort));
        key("storageType", (v, r) -> r.string(v, r.b::storageType));
        key("multiAz", (v, r) -> r.bool(v, r.b::multiAz));
        key("publiclyAccessible", (v, r) -> r.bool(v, r.b::publiclyAccessible));
        key("tags", (v, r) -> r.stringMap(v, r.b::tags));
        key("backupRetention", (v, r) -> r.integer(v, r.b::backupRetention));
        key("resetMasterPassword", (v, r) -> r.bool(v, r.b::resetMasterPassword));
        key("oldTarget", (v, r) -> r.string(v, s -> r.b.oldTarget(s)));
        key("oldTargetKeepHours", (v, r) -> r.integer(v, r.b::oldTargetKeepHours));
        key("mysqlUser", (v, r) -> r.string(v, r.b::mysqlUser));
        key("mysqlPasswordFile", (v, r) -> r.path(v, p -> r.passwordFile = p));
        key("databases", (v, r) -> r.strings(v, r.b::databases));
        key("dbHost", (v, r) -> r.string(v, r.b::dbHost));
        key("dbPort", (v, r) -> r.integer(v, r.b::dbPort));
        key("dbTls", (v, r) -> r.string(v, s -> r.b.dbTls(s)));
        key("dbTlsCaBundle", (v, r) -> r.path(v, r.b::dbTlsCaBundle));
        key("preserveRows", (v, r) -> r.bool(v, r.b::preserveRows));
        key("offset", (v, r) -> r.scalarText(v, "a whole number such as 1000000000", s -> r.b.offset(s)));
        key("preserveTables", (v, r) -> r.strings(v, r.b::preserveTablesText));
        key("includeTables", (v, r) -> r.strings(v, r.b::includeTables));
        key("excludeTables", (v, r) -> r.strings(v, r.b::excludeTables));
        key("preserveColumns", (v, r) -> r.preserveColumns(v));
        key("postSql", (v, r) -> r.paths(v, r.b::postSql));
        key("postSqlStatements", (v, r) -> r.strings(v, r.b::postSqlStatements));
        key("migrations", (v, r) -> r.path(v, r.b::migrations));
        key("migrationsTable", (v, r) -> r.string(v, r.b::migrationsTable));
        key("migrationsColumn", (v, r) -> r.string(v, r.b::migrationsColumn));
        key("allowTargets", (v, r) -> r.strings(v, r.b::allowTargets));
        key("denyTargets", (v, r) -> r.strings(v, r.b::denyTargets));
        key("protectedTag", (v, r) -> r.string(v, r.b::protectedTag));
        key("timeoutMinutes", (v, r) -> r.integer(v, r.b::timeoutMinutes));
        key("stageTimeoutMinutes", (v, r) -> r.stageTimeouts(v));
        key("workDir", (v, r) -> r.path(v, r.b::workDir));
    }

    private static void key(String name, BiConsumer<Value, Reading> reader) {
        KEYS.put(name, reader);
    }

    /** The keys accepted in the file, in documentation order. */
    public static List<String> keys() {
        return List.copyOf(KEYS.keySet());
    }

    private final Path file;
    private final SyncSpec.Builder builder;
    private final List<String> warnings;
    private final Map<String, Integer> keyLines;

    private SpecFile(Path file, SyncSpec.Builder builder, List<String> warnings, Map<String, Integer> keyLines) {
        this.file = file;
        this.builder = builder;
        this.warnings = List.copyOf(warnings);
        this.keyLines = Collections.unmodifiableMap(keyLines);
    }

    /**
     * Reads a configuration file. Problems with single keys are recorded on the builder and reported, all together,
     * by {@link SyncSpec.Builder#build()}.
     *
     * @throws InvalidSpecException when the file cannot be read at all, is not YAML, or is not a mapping of keys
     */
    public static SpecFile read(Path file, Env env) {
        Path abs = file.toAbsolutePath().normalize();
        String shown = file.toString();
        String text;
        try {
            byte[] bytes = Files.readAllBytes(abs);
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw new InvalidSpecException(shown, "no such file; give the path of your YAML configuration"
                    + " (see docs/examples/minimal.yaml)");
        } catch (CharacterCodingException e) {
            throw new InvalidSpecException(shown, "is not UTF-8 text");
        } catch (IOException e) {
            throw new InvalidSpecException(shown, "cannot be read (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
        return parse(text, abs, shown, env);
    }

    /**
     * Reads configuration text as if it were the file {@code file}: relative paths resolve against its folder.
     *
     * @param shown how to name the source in messages, e.g. the path as the user gave it
     */
    public static SpecFile parse(String text, Path file, String shown, Env env) {
        Path baseDir = file.toAbsolutePath().normalize().getParent();
        List<String> structure = new ArrayList<>();
        Value root;
        try (Reader reader = new java.io.StringReader(text)) {
            root = YamlTree.parse(reader, structure);
        } catch (YamlTree.YamlProblem e) {
            throw new InvalidSpecException(shown, e.getMessage());
        } catch (IOException e) {
            throw new InvalidSpecException(shown, "cannot be read: " + e.getMessage());
        }
        if (root == null) {
            throw new InvalidSpecException(shown, "is empty; it needs at least source and target"
                    + " (see docs/examples/minimal.yaml)");
        }
        if (!(root instanceof Dict dict)) {
            throw new InvalidSpecException(shown, "must be a mapping of keys to values (key: value, one per line),"
                    + " found " + root.kind() + " on line " + root.line());
        }
        Reading r = new Reading(baseDir, env);
        for (String s : structure) {
            r.b.problem(shown, s);
        }
        Map<String, Integer> lines = new LinkedHashMap<>();
        for (Entry e : dict.entries().values()) {
            lines.put(e.key(), e.keyLine());
            BiConsumer<Value, Reading> handler = KEYS.get(e.key());
            r.key = e.key();
            r.line = e.keyLine();
            if (handler != null) {
                handler.accept(e.value(), r);
            } else {
                r.unknownKey(e.key());
            }
        }
        r.password();
        r.sourceKeys();
        return new SpecFile(file.toAbsolutePath().normalize(), r.b, r.warnings, lines);
    }

    /** The builder holding the file's values; set {@code resume}, {@code dryRun} and overrides, then build. */
    public SyncSpec.Builder builder() {
        return builder;
    }

    /** Things worth telling that do not stop the run, e.g. a password file readable by others. */
    public List<String> warnings() {
        return warnings;
    }

    public Path file() {
        return file;
    }

    /**
     * A problem as the CLI shows it: the key as written in the file (Jenkins-only field names translated) and the
     * line of that key when known.
     */
    public String describe(SpecProblem p) {
        return describe(p, keyLines);
    }

    static String describe(SpecProblem p, Map<String, Integer> keyLines) {
        String field = p.field();
        if (keyLines.containsKey(field)) {
            // a key as written in the file
        } else if ("mysqlCredentialsId".equals(field)) {
            field = "mysqlUser";
        } else if ("awsCredentialsId".equals(field)) {
            field = "AWS credentials";
        } else if ("sourceAwsCredentialsId".equals(field)) {
            field = SOURCE_KEY_ID_ENV + "/" + SOURCE_SECRET_ENV;
        }
        String msg = p.message();
        Integer line = keyLines.get(field);
        if (line != null && !msg.contains("(line ")) {
            msg = msg + " (line " + line + ")";
        }
        return field + ": " + msg;
    }

    /** The state of one read: the builder, the key being read and its line. */
    private static final class Reading {
        final SyncSpec.Builder b = SyncSpec.builder();
        final Path base;
        final Env env;
        final List<String> warnings = new ArrayList<>();
        String key;
        int line;
        Path passwordFile;

        Reading(Path base, Env env) {
            this.base = base;
            this.env = env;
        }

        void problem(String message) {
            b.problem(key, message + " (line " + line + ")");
        }

        void unknownKey(String k) {
            String norm = Suggest.normalise(k);
            String refused = REFUSED.get(norm);
            if (refused != null) {
                problem("is not accepted: " + refused);
                return;
            }
            List<String> near = Suggest.closest(k, KEYS.keySet(), ALIASES);
            String hint = Suggest.didYouMean(near);
            boolean secretLike = !norm.endsWith("file") && !norm.endsWith("id")
                    && (norm.contains("password") || norm.contains("secret") || norm.contains("token")
                            || norm.contains("passwd"));
            if (secretLike) {
                boolean db = norm.contains("password") || norm.contains("passwd");
                problem("is not accepted: " + (db ? DB_SECRET_ADVICE : "secrets never go in the configuration file"
                        + " (the database password comes from " + PASSWORD_ENV + " or mysqlPasswordFile); "
                        + AWS_SECRET_ADVICE) + (hint.isEmpty() ? "" : "; or " + hint));
                return;
            }
            problem("unknown key" + (hint.isEmpty() ? "; the keys are listed in docs/configuration.md" : "; " + hint));
        }

        private static String shown(Value v) {
            return v instanceof Scalar s ? "'" + s.text() + "'" : v.kind();
        }

        void string(Value v, java.util.function.Consumer<String> set) {
            if (v instanceof Scalar s) {
                if (!s.isNull()) {
                    set.accept(s.text());
                }
            } else {
                problem("must be a single value, found " + v.kind());
            }
        }

        void scalarText(Value v, String what, java.util.function.Consumer<String> set) {
            if (v instanceof Scalar s) {
                if (!s.isNull()) {
                    set.accept(s.text());
                }
            } else {
                problem("must be " + what + ", found " + v.kind());
            }
        }

        void integer(Value v, java.util.function.Consumer<Integer> set) {
            Integer i = toInt(v, null);
            if (i != null) {
                set.accept(i);
            }
        }

        private Integer toInt(Value v, String context) {
            String where = context == null ? "" : context + " ";
            if (!(v instanceof Scalar s)) {
                problem(where + "must be a whole number, found " + v.kind());
                return null;
            }
            if (s.isNull()) {
                return null;
            }
            try {
                Integer i = SpecText.wholeNumber(s.text());
                if (i == null) { // a blank, quoted: not a number either
                    throw new NumberFormatException();
                }
                return i;
            } catch (NumberFormatException e) {
                problem(where + "must be a whole number, found " + shown(v));
                return null;
            }
        }

        void bool(Value v, java.util.function.Consumer<Boolean> set) {
            if (!(v instanceof Scalar s)) {
                problem("must be true or false, found " + v.kind());
                return;
            }
            if (s.isNull()) {
                return;
            }
            switch (s.text().trim().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on" -> set.accept(Boolean.TRUE);
                case "false", "no", "off" -> set.accept(Boolean.FALSE);
                default -> problem("must be true or false, found " + shown(v));
            }
        }

        /** A list of single values; one value alone is a list of one. */
        private List<String> list(Value v) {
            List<String> out = new ArrayList<>();
            if (v instanceof Scalar s) {
                if (!s.isNull()) {
                    out.add(s.text());
                }
                return out;
            }
            if (!(v instanceof Seq seq)) {
                problem("must be a list (one \"- item\" per line), found " + v.kind());
                return null;
            }
            boolean ok = true;
            for (int i = 0; i < seq.items().size(); i++) {
                Value item = seq.items().get(i);
                if (item instanceof Scalar s) {
                    if (!s.isNull()) {
                        out.add(s.text());
                    }
                } else {
                    b.problem(key, "item " + (i + 1) + " must be a single value, found " + item.kind()
                            + " (line " + item.line() + ")");
                    ok = false;
                }
            }
            return ok ? out : null;
        }

        void strings(Value v, java.util.function.Consumer<List<String>> set) {
            List<String> l = list(v);
            if (l != null) {
                set.accept(l);
            }
        }

        private Path resolve(String text) {
            String t = text.trim();
            if (t.isEmpty()) {
                return null;
            }
            if (t.equals("~") || t.startsWith("~/")) {
                t = System.getProperty("user.home") + t.substring(1);
            }
            try {
                Path p = Path.of(t);
                return (p.isAbsolute() ? p : base.resolve(p)).normalize();
            } catch (InvalidPathException e) {
                problem("'" + text + "' is not a valid path: " + e.getReason());
                return null;
            }
        }

        void path(Value v, java.util.function.Consumer<Path> set) {
            if (!(v instanceof Scalar s)) {
                problem("must be a path, found " + v.kind());
                return;
            }
            if (!s.isNull()) {
                Path p = resolve(s.text());
                if (p != null) {
                    set.accept(p);
                }
            }
        }

        void paths(Value v, java.util.function.Consumer<List<Path>> set) {
            List<String> l = list(v);
            if (l == null) {
                return;
            }
            List<Path> out = new ArrayList<>();
            for (String s : l) {
                Path p = resolve(s);
                if (p != null) {
                    out.add(p);
                }
            }
            set.accept(out);
        }

        void stringMap(Value v, java.util.function.Consumer<Map<String, String>> set) {
            if (v instanceof Scalar s && s.isNull()) {
                return;
            }
            if (!(v instanceof Dict d)) {
                problem("must be a mapping (name: value, one per line), found " + v.kind());
                return;
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (Entry e : d.entries().values()) {
                if (e.value() instanceof Scalar s) {
                    out.put(e.key(), s.isNull() ? "" : s.text());
                } else {
                    b.problem(key, "the value of '" + e.key() + "' must be a single value, found " + e.value().kind()
                            + " (line " + e.keyLine() + ")");
                }
            }
            set.accept(out);
        }

        void stageTimeouts(Value v) {
            if (v instanceof Scalar s && s.isNull()) {
                return;
            }
            if (!(v instanceof Dict d)) {
                problem("must be a mapping of stage to minutes (for example restore: 90), found " + v.kind());
                return;
            }
            List<String> ids = Arrays.stream(StageName.values()).map(StageName::id).toList();
            Map<String, Integer> out = new LinkedHashMap<>();
            for (Entry e : d.entries().values()) {
                StageName stage;
                try {
                    stage = StageName.fromId(e.key());
                } catch (IllegalArgumentException ex) {
                    String hint = Suggest.didYouMean(Suggest.closest(e.key(), ids, Map.of()));
                    b.problem(key, "unknown stage '" + e.key() + "'; " + (hint.isEmpty() ? "" : hint + " ")
                            + "The stages are " + String.join(", ", ids) + " (line " + e.keyLine() + ")");
                    continue;
                }
                int saved = line;
                line = e.keyLine();
                Integer minutes = toInt(e.value(), "'" + e.key() + "'");
                line = saved;
                if (minutes != null) {
                    out.put(stage.id(), minutes);
                }
            }
            b.stageTimeoutMinutes(out);
        }

        private static final List<String> COLUMN_KEYS = List.of("table", "column", "key", "where", "schema");

        void preserveColumns(Value v) {
            if (v instanceof Scalar s && s.isNull()) {
                return;
            }
            List<Value> items;
            if (v instanceof Seq seq) {
                items = seq.items();
            } else if (v instanceof Scalar) {
                items = List.of(v);
            } else {
                problem("must be a list of table.column entries or {table, column, where} mappings, found "
                        + v.kind());
                return;
            }
            List<ColumnKeep> out = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                Value item = items.get(i);
                String at = " (line " + item.line() + ")";
                if (item instanceof Scalar s) {
                    if (s.isNull()) {
                        continue;
                    }
                    try {
                        out.add(ColumnKeep.parse(s.text()));
                    } catch (IllegalArgumentException e) {
                        b.problem(key, e.getMessage() + at);
                    }
                } else if (item instanceof Dict d) {
                    ColumnKeep c = column(d, i + 1);
                    if (c != null) {
                        out.add(c);
                    }
                } else {
                    b.problem(key, "item " + (i + 1) + " must be table.column or a mapping with table and column,"
                            + " found a list" + at);
                }
            }
            b.preserveColumns(out);
        }

        private ColumnKeep column(Dict d, int index) {
            Map<String, String> f = new LinkedHashMap<>();
            boolean ok = true;
            for (Entry e : d.entries().values()) {
                String at = " (line " + e.keyLine() + ")";
                if (!COLUMN_KEYS.contains(e.key())) {
                    String hint = Suggest.didYouMean(Suggest.closest(e.key(), COLUMN_KEYS, Map.of()));
                    b.problem(key, "item " + index + ": unknown key '" + e.key() + "'; "
                            + (hint.isEmpty() ? "use table, column, key, where and schema" : hint) + at);
                    ok = false;
                } else if (e.value() instanceof Scalar s) {
                    if (!s.isNull() && !s.text().isBlank()) {
                        f.put(e.key(), s.text().trim());
                    }
                } else {
                    b.problem(key, "item " + index + ": '" + e.key() + "' must be a single value, found "
                            + e.value().kind() + at);
                    ok = false;
                }
            }
            String at = " (line " + d.line() + ")";
            String column = f.get("column");
            if (column == null) {
                b.problem(key, "item " + index + " needs a column (and a table)" + at);
                return null;
            }
            if (!ok) {
                return null;
            }
            ColumnKeep c;
            if (f.containsKey("table")) {
                c = new ColumnKeep(f.get("schema"), f.get("table"), column, null, null);
            } else {
                try {
                    c = ColumnKeep.parse(column);
                } catch (IllegalArgumentException e) {
                    b.problem(key, "item " + index + " needs a table (or a column written table.column)" + at);
                    return null;
                }
                if (f.containsKey("schema")) {
                    c = new ColumnKeep(f.get("schema"), c.table(), c.column(), null, null);
                }
            }
            if (f.containsKey("key")) {
                c = c.withKey(f.get("key"));
            }
            if (f.containsKey("where")) {
                c = c.withWhere(f.get("where"));
            }
            return c;
        }

        /** The source side's own AWS keys, from the environment only (never from the file). */
        void sourceKeys() {
            String keyId = env.get(SOURCE_KEY_ID_ENV);
            String secret = env.get(SOURCE_SECRET_ENV);
            String token = env.get(SOURCE_TOKEN_ENV);
            if (blank(keyId) && blank(secret) && blank(token)) {
                return;
            }
            b.sourceAwsCredentials(blank(keyId) ? null : keyId, blank(secret) ? null : Secret.of(secret),
                    blank(token) ? null : Secret.of(token));
        }

        private static boolean blank(String s) {
            return s == null || s.isBlank();
        }

        /** The database password: {@value #PASSWORD_ENV} first, else {@code mysqlPasswordFile}. */
        void password() {
            String fromEnv = env.get(PASSWORD_ENV);
            if (fromEnv != null && !fromEnv.isEmpty()) {
                b.mysqlPassword(Secret.of(fromEnv));
                if (passwordFile != null) {
                    warnings.add(PASSWORD_ENV + " is set, so mysqlPasswordFile (" + passwordFile + ") is not read");
                }
                return;
            }
            if (passwordFile == null) {
                return;
            }
            key = "mysqlPasswordFile";
            try {
                String pw = Files.readString(passwordFile, StandardCharsets.UTF_8);
                int end = pw.length();
                while (end > 0 && (pw.charAt(end - 1) == '\n' || pw.charAt(end - 1) == '\r')) {
                    end--;
                }
                pw = pw.substring(0, end);
                if (pw.isEmpty()) {
                    b.problem(key, "'" + passwordFile + "' is empty; put the password on its first line");
                    return;
                }
                b.mysqlPassword(Secret.of(pw));
                readableByOthers(passwordFile);
            } catch (NoSuchFileException e) {
                b.problem(key, "'" + passwordFile + "' does not exist; create it (chmod 600) or set " + PASSWORD_ENV);
            } catch (IOException e) {
                b.problem(key, "cannot read '" + passwordFile + "' (" + e.getClass().getSimpleName() + ")");
            }
        }

        private void readableByOthers(Path p) {
            try {
                PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
                if (view == null) {
                    return;
                }
                Set<PosixFilePermission> perms = view.readAttributes().permissions();
                if (perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.GROUP_READ)) {
                    warnings.add("mysqlPasswordFile " + p + " can be read by other users; chmod 600 it");
                }
            } catch (IOException | UnsupportedOperationException e) {
                // not a POSIX file system: nothing to say
            }
        }
    }
}
