package io.jenkins.plugins.rdssync.core.spec;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one sync needs to know, in the vocabulary of the public interface (DESIGN.md): the CLI's YAML file,
 * the Pipeline step and the freestyle form all produce one of these. Immutable and validated: {@link Builder#build()}
 * refuses bad input with every problem named, before anything touches AWS or a database.
 */
public final class SyncSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final long DEFAULT_OFFSET = 1_000_000_000L;
    public static final int DEFAULT_TIMEOUT_MINUTES = 180;
    public static final String DEFAULT_PROTECTED_TAG = "rds-sync:protected";
    public static final String DEFAULT_MIGRATIONS_TABLE = "schema_migrations";
    public static final String DEFAULT_MIGRATIONS_COLUMN = "version";
    public static final int DEFAULT_OLD_TARGET_KEEP_HOURS = 24;

    // AWS
    private final String source;
    private final String target;
    private final String region;
    private final String endpointUrl;
    private final String accessKeyId;
    private final Secret secretAccessKey;
    private final Secret sessionToken;
    private final String roleArn;
    private final String externalId;
    private final String roleSessionName;
    // the source side: production in another AWS account or region
    private final String sourceRegion;
    private final String sourceEndpointUrl;
    private final String sourceAccessKeyId;
    private final Secret sourceSecretAccessKey;
    private final Secret sourceSessionToken;
    private final String sourceProfile;
    private final String sourceRoleArn;
    private final String sourceExternalId;
    // snapshot
    private final SnapshotMode snapshotMode;
    private final String snapshotName;
    private final int snapshotKeep;
    private final String snapshotCopyKmsKeyId;
    // target and restore settings
    private final Strategy strategy;
    private final String instanceClass;
    private final String subnetGroup;
    private final String availabilityZone;
    private final List<String> securityGroups;
    private final String parameterGroup;
    private final String optionGroup;
    private final Integer instancePort;
    private final String storageType;
    private final Boolean multiAz;
    private final Boolean publiclyAccessible;
    private final Map<String, String> tags;
    private final Integer backupRetention;
    private final boolean resetMasterPassword;
    private final OldTarget oldTarget;
    private final int oldTargetKeepHours;
    // databases
    private final String mysqlUser;
    private final Secret mysqlPassword;
    private final List<String> databases;
    private final String dbHost;
    private final Integer dbPort;
    private final TlsMode dbTls;
    private final Path dbTlsCaBundle;
    // preserved data
    private final boolean preserveRows;
    private final long offset;
    private final List<TableKey> preserveTables;
    private final List<String> includeTables;
    private final List<String> excludeTables;
    private final List<ColumnKeep> preserveColumns;
    // SQL
    private final List<Path> postSql;
    private final List<String> postSqlStatements;
    private final Path migrations;
    private final String migrationsTable;
    private final String migrationsColumn;
    // safety and run
    private final List<String> allowTargets;
    private final List<String> denyTargets;
    private final String protectedTag;
    private final int timeoutMinutes;
    private final Map<String, Integer> stageTimeoutMinutes;
    private final boolean resume;
    private final boolean dryRun;
    private final Path workDir;

    private SyncSpec(Builder b) {
        source = b.source;
        target = b.target;
        region = b.region;
        endpointUrl = b.endpointUrl;
        accessKeyId = b.accessKeyId;
        secretAccessKey = b.secretAccessKey;
        sessionToken = b.sessionToken;
        roleArn = b.roleArn;
        externalId = b.externalId;
        roleSessionName = b.roleSessionName;
        sourceRegion = b.sourceRegion;
        sourceEndpointUrl = b.sourceEndpointUrl;
        sourceAccessKeyId = b.sourceAccessKeyId;
        sourceSecretAccessKey = b.sourceSecretAccessKey;
        sourceSessionToken = b.sourceSessionToken;
        sourceProfile = b.sourceProfile;
        sourceRoleArn = b.sourceRoleArn;
        sourceExternalId = b.sourceExternalId;
        snapshotMode = b.snapshotMode;
        snapshotName = b.snapshotName != null ? b.snapshotName : defaultSnapshotName(b.source, b.target);
        snapshotKeep = b.snapshotKeep;
        snapshotCopyKmsKeyId = b.snapshotCopyKmsKeyId;
        strategy = b.strategy;
        instanceClass = b.instanceClass;
        subnetGroup = b.subnetGroup;
        availabilityZone = b.availabilityZone;
        securityGroups = List.copyOf(b.securityGroups);
        parameterGroup = b.parameterGroup;
        optionGroup = b.optionGroup;
        instancePort = b.instancePort;
        storageType = b.storageType;
        multiAz = b.multiAz;
        publiclyAccessible = b.publiclyAccessible;
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(b.tags));
        backupRetention = b.backupRetention;
        resetMasterPassword = b.resetMasterPassword;
        oldTarget = b.oldTarget;
        oldTargetKeepHours = b.oldTargetKeepHours;
        mysqlUser = b.mysqlUser;
        mysqlPassword = b.mysqlPassword;
        databases = List.copyOf(b.databases);
        dbHost = b.dbHost;
        dbPort = b.dbPort;
        dbTls = b.dbTls;
        dbTlsCaBundle = b.dbTlsCaBundle;
        preserveRows = b.preserveRows;
        offset = b.offset;
        preserveTables = List.copyOf(b.preserveTables);
        includeTables = List.copyOf(b.includeTables);
        excludeTables = List.copyOf(b.excludeTables);
        preserveColumns = List.copyOf(b.preserveColumns);
        postSql = List.copyOf(b.postSql);
        postSqlStatements = List.copyOf(b.postSqlStatements);
        migrations = b.migrations;
        migrationsTable = b.migrationsTable;
        migrationsColumn = b.migrationsColumn;
        allowTargets = List.copyOf(b.allowTargets);
        denyTargets = List.copyOf(b.denyTargets);
        protectedTag = b.protectedTag;
        timeoutMinutes = b.timeoutMinutes;
        stageTimeoutMinutes = Collections.unmodifiableMap(new LinkedHashMap<>(b.stageTimeoutMinutes));
        resume = b.resume;
        dryRun = b.dryRun;
        workDir = b.workDir != null ? b.workDir : Path.of(".rds-sync", b.target == null ? "run" : b.target);
    }

    /**
     * Names source and target: two targets synced from one source must not share (and delete) each other's snapshot.
     */
    static String defaultSnapshotName(String source, String target) {
        return (source == null ? "source" : source) + "-" + (target == null ? "target" : target) + "-rds-sync";
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this spec's values, to derive a variant (for example {@code resume: true}). */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.source = source;
        b.target = target;
        b.region = region;
        b.endpointUrl = endpointUrl;
        b.accessKeyId = accessKeyId;
        b.secretAccessKey = secretAccessKey;
        b.sessionToken = sessionToken;
        b.roleArn = roleArn;
        b.externalId = externalId;
        b.roleSessionName = roleSessionName;
        b.sourceRegion = sourceRegion;
        b.sourceEndpointUrl = sourceEndpointUrl;
        b.sourceAccessKeyId = sourceAccessKeyId;
        b.sourceSecretAccessKey = sourceSecretAccessKey;
        b.sourceSessionToken = sourceSessionToken;
        b.sourceProfile = sourceProfile;
        b.sourceRoleArn = sourceRoleArn;
        b.sourceExternalId = sourceExternalId;
        b.snapshotMode = snapshotMode;
        b.snapshotName = snapshotName;
        b.snapshotKeep = snapshotKeep;
        b.snapshotCopyKmsKeyId = snapshotCopyKmsKeyId;
        b.strategy = strategy;
        b.instanceClass = instanceClass;
        b.subnetGroup = subnetGroup;
        b.availabilityZone = availabilityZone;
        b.securityGroups.addAll(securityGroups);
        b.parameterGroup = parameterGroup;
        b.optionGroup = optionGroup;
        b.instancePort = instancePort;
        b.storageType = storageType;
        b.multiAz = multiAz;
        b.publiclyAccessible = publiclyAccessible;
        b.tags.putAll(tags);
        b.backupRetention = backupRetention;
        b.resetMasterPassword = resetMasterPassword;
        b.oldTarget = oldTarget;
        b.oldTargetKeepHours = oldTargetKeepHours;
        b.mysqlUser = mysqlUser;
        b.mysqlPassword = mysqlPassword;
        b.databases.addAll(databases);
        b.dbHost = dbHost;
        b.dbPort = dbPort;
        b.dbTls = dbTls;
        b.dbTlsCaBundle = dbTlsCaBundle;
        b.preserveRows = preserveRows;
        b.offset = offset;
        b.preserveTables.addAll(preserveTables);
        b.includeTables.addAll(includeTables);
        b.excludeTables.addAll(excludeTables);
        b.preserveColumns.addAll(preserveColumns);
        b.postSql.addAll(postSql);
        b.postSqlStatements.addAll(postSqlStatements);
        b.migrations = migrations;
        b.migrationsTable = migrationsTable;
        b.migrationsColumn = migrationsColumn;
        b.allowTargets.addAll(allowTargets);
        b.denyTargets.addAll(denyTargets);
        b.protectedTag = protectedTag;
        b.timeoutMinutes = timeoutMinutes;
        b.stageTimeoutMinutes.putAll(stageTimeoutMinutes);
        b.resume = resume;
        b.dryRun = dryRun;
        b.workDir = workDir;
        return b;
    }

    public String source() { return source; }
    public String target() { return target; }
    public Optional<String> region() { return Optional.ofNullable(region); }
    public Optional<String> endpointUrl() { return Optional.ofNullable(endpointUrl); }
    public Optional<String> accessKeyId() { return Optional.ofNullable(accessKeyId); }
    public Optional<Secret> secretAccessKey() { return Optional.ofNullable(secretAccessKey); }
    public Optional<Secret> sessionToken() { return Optional.ofNullable(sessionToken); }
    public Optional<String> roleArn() { return Optional.ofNullable(roleArn); }
    public Optional<String> externalId() { return Optional.ofNullable(externalId); }
    public String roleSessionName() { return roleSessionName != null ? roleSessionName : "rds-sync-" + target; }
    public Optional<String> sourceRegion() { return Optional.ofNullable(sourceRegion); }
    public Optional<String> sourceEndpointUrl() { return Optional.ofNullable(sourceEndpointUrl); }
    public Optional<String> sourceAccessKeyId() { return Optional.ofNullable(sourceAccessKeyId); }
    public Optional<Secret> sourceSecretAccessKey() { return Optional.ofNullable(sourceSecretAccessKey); }
    public Optional<Secret> sourceSessionToken() { return Optional.ofNullable(sourceSessionToken); }
    public Optional<String> sourceProfile() { return Optional.ofNullable(sourceProfile); }
    public Optional<String> sourceRoleArn() { return Optional.ofNullable(sourceRoleArn); }
    public Optional<String> sourceExternalId() { return Optional.ofNullable(sourceExternalId); }
    public SnapshotMode snapshotMode() { return snapshotMode; }
    public String snapshotName() { return snapshotName; }
    public int snapshotKeep() { return snapshotKeep; }
    public Optional<String> snapshotCopyKmsKeyId() { return Optional.ofNullable(snapshotCopyKmsKeyId); }
    public Strategy strategy() { return strategy; }
    public Optional<String> instanceClass() { return Optional.ofNullable(instanceClass); }
    public Optional<String> subnetGroup() { return Optional.ofNullable(subnetGroup); }
    public Optional<String> availabilityZone() { return Optional.ofNullable(availabilityZone); }
    public List<String> securityGroups() { return securityGroups; }
    public Optional<String> parameterGroup() { return Optional.ofNullable(parameterGroup); }
    public Optional<String> optionGroup() { return Optional.ofNullable(optionGroup); }
    public Optional<Integer> instancePort() { return Optional.ofNullable(instancePort); }
    public Optional<String> storageType() { return Optional.ofNullable(storageType); }
    public Optional<Boolean> multiAz() { return Optional.ofNullable(multiAz); }
    public Optional<Boolean> publiclyAccessible() { return Optional.ofNullable(publiclyAccessible); }
    public Map<String, String> tags() { return tags; }
    public Optional<Integer> backupRetention() { return Optional.ofNullable(backupRetention); }
    public boolean resetMasterPassword() { return resetMasterPassword; }
    public OldTarget oldTarget() { return oldTarget; }
    public int oldTargetKeepHours() { return oldTargetKeepHours; }
    public Optional<String> mysqlUser() { return Optional.ofNullable(mysqlUser); }
    public Optional<Secret> mysqlPassword() { return Optional.ofNullable(mysqlPassword); }
    public List<String> databases() { return databases; }
    public Optional<String> dbHost() { return Optional.ofNullable(dbHost); }
    public Optional<Integer> dbPort() { return Optional.ofNullable(dbPort); }
    public TlsMode dbTls() { return dbTls; }
    public Optional<Path> dbTlsCaBundle() { return Optional.ofNullable(dbTlsCaBundle); }
    public boolean preserveRows() { return preserveRows; }
    public long offset() { return offset; }
    public List<TableKey> preserveTables() { return preserveTables; }
    public List<String> includeTables() { return includeTables; }
    public List<String> excludeTables() { return excludeTables; }
    public List<ColumnKeep> preserveColumns() { return preserveColumns; }
    public List<Path> postSql() { return postSql; }
    public List<String> postSqlStatements() { return postSqlStatements; }
    public Optional<Path> migrations() { return Optional.ofNullable(migrations); }
    public String migrationsTable() { return migrationsTable; }
    public String migrationsColumn() { return migrationsColumn; }
    public List<String> allowTargets() { return allowTargets; }
    public List<String> denyTargets() { return denyTargets; }
    public String protectedTag() { return protectedTag; }
    public int timeoutMinutes() { return timeoutMinutes; }
    public Map<String, Integer> stageTimeoutMinutes() { return stageTimeoutMinutes; }
    public boolean resume() { return resume; }
    public boolean dryRun() { return dryRun; }
    public Path workDir() { return workDir; }

    /**
     * Does the source live apart from the target: its own credentials (keys, a profile, a role in the production
     * account) or another region? Then the snapshot is made on the source side and copied into the target's account
     * (and region) before the restore; otherwise one set of credentials does everything, as before.
     */
    public boolean hasSourceSide() {
        return sourceHasOwnIdentity() || (sourceRegion != null && !sourceRegion.equals(region));
    }

    /** Are the source's AWS calls made by an identity of their own (most likely in another account)? */
    public boolean sourceHasOwnIdentity() {
        return sourceRoleArn != null || sourceAccessKeyId != null || sourceProfile != null;
    }

    /** Overall limit of the run. */
    public Duration timeout() {
        return Duration.ofMinutes(timeoutMinutes);
    }

    /** Does any stage need to log in to the target databases? */
    public boolean needsDatabaseLogin() {
        return preserveRows || !preserveColumns.isEmpty() || !postSql.isEmpty() || !postSqlStatements.isEmpty()
                || migrations != null;
    }

    @Override
    public String toString() {
        // secrets are Secret instances and print as ****
        return "SyncSpec{source=" + source + ", target=" + target + ", region=" + region + ", strategy=" + strategy
                + ", snapshotMode=" + snapshotMode + ", snapshotName=" + snapshotName + ", databases=" + databases
                + ", offset=" + offset + ", dryRun=" + dryRun + ", resume=" + resume + "}";
    }

    /** Collects values; {@link #build()} validates them all at once. Setters accept null for "use the default". */
    public static final class Builder {
        private String source;
        private String target;
        private String region;
        private String endpointUrl;
        private String accessKeyId;
        private Secret secretAccessKey;
        private Secret sessionToken;
        private String roleArn;
        private String externalId;
        private String roleSessionName;
        private String sourceRegion;
        private String sourceEndpointUrl;
        private String sourceAccessKeyId;
        private Secret sourceSecretAccessKey;
        private Secret sourceSessionToken;
        private String sourceProfile;
        private String sourceRoleArn;
        private String sourceExternalId;
        private SnapshotMode snapshotMode = SnapshotMode.ROLLING;
        private String snapshotName;
        private int snapshotKeep = 3;
        private String snapshotCopyKmsKeyId;
        private Strategy strategy = Strategy.SWAP;
        private String instanceClass;
        private String subnetGroup;
        private String availabilityZone;
        private final List<String> securityGroups = new ArrayList<>();
        private String parameterGroup;
        private String optionGroup;
        private Integer instancePort;
        private String storageType;
        private Boolean multiAz;
        private Boolean publiclyAccessible;
        private final Map<String, String> tags = new LinkedHashMap<>();
        private Integer backupRetention;
        private boolean resetMasterPassword = true;
        private OldTarget oldTarget = OldTarget.SNAPSHOT;
        private int oldTargetKeepHours = DEFAULT_OLD_TARGET_KEEP_HOURS;
        private String mysqlUser;
        private Secret mysqlPassword;
        private final List<String> databases = new ArrayList<>();
        private String dbHost;
        private Integer dbPort;
        private TlsMode dbTls = TlsMode.VERIFY_CA;
        private Path dbTlsCaBundle;
        private boolean preserveRows = true;
        private long offset = DEFAULT_OFFSET;
        private final List<TableKey> preserveTables = new ArrayList<>();
        private final List<String> includeTables = new ArrayList<>();
        private final List<String> excludeTables = new ArrayList<>();
        private final List<ColumnKeep> preserveColumns = new ArrayList<>();
        private final List<Path> postSql = new ArrayList<>();
        private final List<String> postSqlStatements = new ArrayList<>();
        private Path migrations;
        private String migrationsTable = DEFAULT_MIGRATIONS_TABLE;
        private String migrationsColumn = DEFAULT_MIGRATIONS_COLUMN;
        private final List<String> allowTargets = new ArrayList<>();
        private final List<String> denyTargets = new ArrayList<>();
        private String protectedTag = DEFAULT_PROTECTED_TAG;
        private int timeoutMinutes = DEFAULT_TIMEOUT_MINUTES;
        private final Map<String, Integer> stageTimeoutMinutes = new LinkedHashMap<>();
        private boolean resume;
        private boolean dryRun;
        private Path workDir;
        /** Problems found while reading values (for example an offset that is not a number). */
        private final List<SpecProblem> parseProblems = new ArrayList<>();

        private Builder() {
        }

        private static String trim(String s) {
            if (s == null) {
                return null;
            }
            String t = s.trim();
            return t.isEmpty() ? null : t;
        }

        public Builder source(String v) { source = trim(v); return this; }
        public Builder target(String v) { target = trim(v); return this; }
        public Builder region(String v) { region = trim(v); return this; }
        public Builder endpointUrl(String v) { endpointUrl = trim(v); return this; }

        /** Static AWS keys; all null means the SDK's default provider chain. */
        public Builder awsCredentials(String keyId, Secret secretKey, Secret token) {
            accessKeyId = trim(keyId);
            secretAccessKey = secretKey;
            sessionToken = token;
            return this;
        }

        public Builder roleArn(String v) { roleArn = trim(v); return this; }
        public Builder externalId(String v) { externalId = trim(v); return this; }
        public Builder roleSessionName(String v) { roleSessionName = trim(v); return this; }
        public Builder sourceRegion(String v) { sourceRegion = trim(v); return this; }
        public Builder sourceEndpointUrl(String v) { sourceEndpointUrl = trim(v); return this; }

        /** Static AWS keys for the source side only; all null: the target side's credentials (then sourceRoleArn). */
        public Builder sourceAwsCredentials(String keyId, Secret secretKey, Secret token) {
            sourceAccessKeyId = trim(keyId);
            sourceSecretAccessKey = secretKey;
            sourceSessionToken = token;
            return this;
        }

        public Builder sourceProfile(String v) { sourceProfile = trim(v); return this; }
        public Builder sourceRoleArn(String v) { sourceRoleArn = trim(v); return this; }
        public Builder sourceExternalId(String v) { sourceExternalId = trim(v); return this; }
        public Builder snapshotMode(SnapshotMode v) { snapshotMode = v == null ? SnapshotMode.ROLLING : v; return this; }

        public Builder snapshotMode(String v) {
            if (trim(v) == null) {
                return snapshotMode((SnapshotMode) null);
            }
            try {
                return snapshotMode(SnapshotMode.fromId(v));
            } catch (IllegalArgumentException e) {
                parseProblems.add(new SpecProblem("snapshotMode", e.getMessage()));
                return this;
            }
        }

        public Builder snapshotName(String v) { snapshotName = trim(v); return this; }
        public Builder snapshotKeep(int v) { snapshotKeep = v; return this; }
        public Builder snapshotCopyKmsKeyId(String v) { snapshotCopyKmsKeyId = trim(v); return this; }
        public Builder strategy(Strategy v) { strategy = v == null ? Strategy.SWAP : v; return this; }

        public Builder strategy(String v) {
            if (trim(v) == null) {
                return strategy((Strategy) null);
            }
            try {
                return strategy(Strategy.fromId(v));
            } catch (IllegalArgumentException e) {
                parseProblems.add(new SpecProblem("strategy", e.getMessage()));
                return this;
            }
        }

        public Builder instanceClass(String v) { instanceClass = trim(v); return this; }
        public Builder subnetGroup(String v) { subnetGroup = trim(v); return this; }
        public Builder availabilityZone(String v) { availabilityZone = trim(v); return this; }

        public Builder securityGroups(List<String> v) {
            securityGroups.clear();
            if (v != null) {
                v.stream().map(Builder::trim).filter(s -> s != null).forEach(securityGroups::add);
            }
            return this;
        }

        public Builder parameterGroup(String v) { parameterGroup = trim(v); return this; }
        public Builder optionGroup(String v) { optionGroup = trim(v); return this; }
        public Builder instancePort(Integer v) { instancePort = v; return this; }
        public Builder storageType(String v) { storageType = trim(v); return this; }
        public Builder multiAz(Boolean v) { multiAz = v; return this; }
        public Builder publiclyAccessible(Boolean v) { publiclyAccessible = v; return this; }

        public Builder tags(Map<String, String> v) {
            tags.clear();
            if (v != null) {
                tags.putAll(v);
            }
            return this;
        }

        public Builder backupRetention(Integer v) { backupRetention = v; return this; }
        public Builder resetMasterPassword(boolean v) { resetMasterPassword = v; return this; }
        public Builder oldTarget(OldTarget v) { oldTarget = v == null ? OldTarget.SNAPSHOT : v; return this; }

        public Builder oldTarget(String v) {
            if (trim(v) == null) {
                return oldTarget((OldTarget) null);
            }
            try {
                return oldTarget(OldTarget.fromId(v));
            } catch (IllegalArgumentException e) {
                parseProblems.add(new SpecProblem("oldTarget", e.getMessage()));
                return this;
            }
        }

        public Builder oldTargetKeepHours(int v) { oldTargetKeepHours = v; return this; }
        public Builder mysqlUser(String v) { mysqlUser = trim(v); return this; }
        public Builder mysqlPassword(Secret v) { mysqlPassword = v; return this; }

        public Builder databases(List<String> v) {
            databases.clear();
            if (v != null) {
                v.stream().map(Builder::trim).filter(s -> s != null).forEach(databases::add);
            }
            return this;
        }

        public Builder dbHost(String v) { dbHost = trim(v); return this; }
        public Builder dbPort(Integer v) { dbPort = v; return this; }
        public Builder dbTls(TlsMode v) { dbTls = v == null ? TlsMode.VERIFY_CA : v; return this; }

        public Builder dbTls(String v) {
            if (trim(v) == null) {
                return dbTls((TlsMode) null);
            }
            try {
                return dbTls(TlsMode.fromId(v));
            } catch (IllegalArgumentException e) {
                parseProblems.add(new SpecProblem("dbTls", e.getMessage()));
                return this;
            }
        }

        public Builder dbTlsCaBundle(Path v) { dbTlsCaBundle = v; return this; }
        public Builder preserveRows(boolean v) { preserveRows = v; return this; }
        public Builder offset(long v) { offset = v; return this; }

        /** Parses a decimal offset; a value that is no number or beyond BIGINT is reported by {@link #build()}. */
        public Builder offset(String v) {
            String t = trim(v);
            if (t == null) {
                offset = DEFAULT_OFFSET;
                return this;
            }
            try {
                offset = SpecText.longNumber(t);
            } catch (NumberFormatException e) {
                parseProblems.add(new SpecProblem("offset", "'" + t + "' is not a whole number between 1 and "
                        + Long.MAX_VALUE + " (the largest BIGINT); use for example 1000000000"));
            }
            return this;
        }

        public Builder preserveTables(List<TableKey> v) {
            preserveTables.clear();
            if (v != null) {
                preserveTables.addAll(v);
            }
            return this;
        }

        /** Parses {@code [schema.]table:key} entries, reporting malformed ones from {@link #build()}. */
        public Builder preserveTablesText(List<String> v) {
            preserveTables.clear();
            if (v != null) {
                for (String s : v) {
                    if (trim(s) == null) {
                        continue;
                    }
                    try {
                        preserveTables.add(TableKey.parse(s));
                    } catch (IllegalArgumentException e) {
                        parseProblems.add(new SpecProblem("preserveTables", e.getMessage()));
                    }
                }
            }
            return this;
        }

        public Builder includeTables(List<String> v) { replace(includeTables, v); return this; }
        public Builder excludeTables(List<String> v) { replace(excludeTables, v); return this; }

        public Builder preserveColumns(List<ColumnKeep> v) {
            preserveColumns.clear();
            if (v != null) {
                preserveColumns.addAll(v);
            }
            return this;
        }

        /** Parses {@code [schema.]table.column} entries, reporting malformed ones from {@link #build()}. */
        public Builder preserveColumnsText(List<String> v) {
            preserveColumns.clear();
            if (v != null) {
                for (String s : v) {
                    if (trim(s) == null) {
                        continue;
                    }
                    try {
                        preserveColumns.add(ColumnKeep.parse(s));
                    } catch (IllegalArgumentException e) {
                        parseProblems.add(new SpecProblem("preserveColumns", e.getMessage()));
                    }
                }
            }
            return this;
        }

        public Builder postSql(List<Path> v) {
            postSql.clear();
            if (v != null) {
                postSql.addAll(v);
            }
            return this;
        }

        public Builder postSqlStatements(List<String> v) { replace(postSqlStatements, v); return this; }
        public Builder migrations(Path v) { migrations = v; return this; }

        public Builder migrationsTable(String v) {
            migrationsTable = trim(v) == null ? DEFAULT_MIGRATIONS_TABLE : trim(v);
            return this;
        }

        public Builder migrationsColumn(String v) {
            migrationsColumn = trim(v) == null ? DEFAULT_MIGRATIONS_COLUMN : trim(v);
            return this;
        }

        public Builder allowTargets(List<String> v) { replace(allowTargets, v); return this; }
        public Builder denyTargets(List<String> v) { replace(denyTargets, v); return this; }

        public Builder protectedTag(String v) {
            protectedTag = trim(v) == null ? DEFAULT_PROTECTED_TAG : trim(v);
            return this;
        }

        public Builder timeoutMinutes(int v) { timeoutMinutes = v; return this; }

        public Builder stageTimeoutMinutes(Map<String, Integer> v) {
            stageTimeoutMinutes.clear();
            if (v != null) {
                stageTimeoutMinutes.putAll(v);
            }
            return this;
        }

        public Builder resume(boolean v) { resume = v; return this; }
        public Builder dryRun(boolean v) { dryRun = v; return this; }
        public Builder workDir(Path v) { workDir = v; return this; }

        /** Records a problem found by a caller while reading its own input (for example an unknown YAML key). */
        public Builder problem(String field, String message) {
            parseProblems.add(new SpecProblem(field, message));
            return this;
        }

        private static void replace(List<String> list, List<String> v) {
            list.clear();
            if (v != null) {
                v.stream().map(Builder::trim).filter(s -> s != null).forEach(list::add);
            }
        }

        /**
         * Validates every value and builds the spec.
         *
         * @throws InvalidSpecException naming each bad field and how to fix it
         */
        public SyncSpec build() {
            SyncSpec spec = new SyncSpec(this);
            List<SpecProblem> problems = new ArrayList<>(parseProblems);
            problems.addAll(SpecValidator.validate(spec));
            if (!problems.isEmpty()) {
                throw new InvalidSpecException(problems);
            }
            return spec;
        }
    }
}
