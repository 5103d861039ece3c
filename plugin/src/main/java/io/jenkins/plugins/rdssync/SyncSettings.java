package io.jenkins.plugins.rdssync;

import io.jenkins.plugins.rdssync.core.spec.SpecText;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The configuration of one sync as the Pipeline step and the freestyle builder hold it: plain strings, numbers,
 * booleans and lists of strings, named as in the public interface (DESIGN.md). No secrets (credentials are referred to
 * by id), no {@link Path}s and no AWS SDK types, so it can be saved in {@code config.xml}, in the Pipeline program
 * state, and sent to an agent.
 *
 * <p>Setters normalise their input: blank means "use the documented default" and is stored as {@code null};
 * list entries are trimmed and blank entries dropped. The core {@link SyncSpec} builder does all validation; this
 * class only carries values to it ({@link #applyTo}).
 */
public final class SyncSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private String source;
    private String target;
    // AWS
    private String region;
    private String endpointUrl;
    private String awsCredentialsId;
    private String roleArn;
    private String externalId;
    // production in another account (the source side)
    private String sourceAwsCredentialsId;
    private String sourceRoleArn;
    private String sourceExternalId;
    private String sourceRegion;
    private String sourceEndpointUrl;
    // databases
    private String mysqlCredentialsId;
    private List<String> databases;
    private String dbHost;
    private Integer dbPort;
    private String dbTls;
    private String dbTlsCaBundle;
    // snapshot
    private String snapshotMode;
    private String snapshotName;
    private Integer snapshotKeep;
    private String snapshotCopyKmsKeyId;
    // strategy and restore settings
    private String strategy;
    private String instanceClass;
    private String subnetGroup;
    private String availabilityZone;
    private List<String> securityGroups;
    private String parameterGroup;
    private String optionGroup;
    private List<String> tags;
    // preserved data
    private boolean preserveRows = true;
    private Long offset;
    private List<String> preserveTables;
    private List<String> preserveColumns;
    // SQL (workspace paths)
    private List<String> postSql;
    private String migrations;
    private String migrationsTable;
    // run
    private boolean resume;
    private boolean dryRun;
    private Integer timeoutMinutes;

    public SyncSettings(String source, String target) {
        this.source = trim(source);
        this.target = trim(target);
    }

    /** A copy, so a running build is not affected by later changes to the job configuration. */
    public SyncSettings copy() {
        SyncSettings c = new SyncSettings(source, target);
        c.region = region;
        c.endpointUrl = endpointUrl;
        c.awsCredentialsId = awsCredentialsId;
        c.roleArn = roleArn;
        c.externalId = externalId;
        c.sourceAwsCredentialsId = sourceAwsCredentialsId;
        c.sourceRoleArn = sourceRoleArn;
        c.sourceExternalId = sourceExternalId;
        c.sourceRegion = sourceRegion;
        c.sourceEndpointUrl = sourceEndpointUrl;
        c.mysqlCredentialsId = mysqlCredentialsId;
        c.databases = copyOf(databases);
        c.dbHost = dbHost;
        c.dbPort = dbPort;
        c.dbTls = dbTls;
        c.dbTlsCaBundle = dbTlsCaBundle;
        c.snapshotMode = snapshotMode;
        c.snapshotName = snapshotName;
        c.snapshotKeep = snapshotKeep;
        c.snapshotCopyKmsKeyId = snapshotCopyKmsKeyId;
        c.strategy = strategy;
        c.instanceClass = instanceClass;
        c.subnetGroup = subnetGroup;
        c.availabilityZone = availabilityZone;
        c.securityGroups = copyOf(securityGroups);
        c.parameterGroup = parameterGroup;
        c.optionGroup = optionGroup;
        c.tags = copyOf(tags);
        c.preserveRows = preserveRows;
        c.offset = offset;
        c.preserveTables = copyOf(preserveTables);
        c.preserveColumns = copyOf(preserveColumns);
        c.postSql = copyOf(postSql);
        c.migrations = migrations;
        c.migrationsTable = migrationsTable;
        c.resume = resume;
        c.dryRun = dryRun;
        c.timeoutMinutes = timeoutMinutes;
        return c;
    }

    /**
     * Applies {@code f} (for example {@code EnvVars::expand}, for {@code ${PARAMETER}} references in a freestyle job)
     * to every text value except the credential ids, which the credentials plugin resolves itself.
     *
     * @return this
     */
    public SyncSettings expand(UnaryOperator<String> f) {
        source = trim(apply(f, source));
        target = trim(apply(f, target));
        region = trim(apply(f, region));
        endpointUrl = trim(apply(f, endpointUrl));
        roleArn = trim(apply(f, roleArn));
        externalId = trim(apply(f, externalId));
        sourceRoleArn = trim(apply(f, sourceRoleArn));
        sourceExternalId = trim(apply(f, sourceExternalId));
        sourceRegion = trim(apply(f, sourceRegion));
        sourceEndpointUrl = trim(apply(f, sourceEndpointUrl));
        snapshotCopyKmsKeyId = trim(apply(f, snapshotCopyKmsKeyId));
        databases = list(apply(f, databases));
        dbHost = trim(apply(f, dbHost));
        dbTls = lower(apply(f, dbTls));
        dbTlsCaBundle = trim(apply(f, dbTlsCaBundle));
        snapshotMode = lower(apply(f, snapshotMode));
        snapshotName = trim(apply(f, snapshotName));
        strategy = lower(apply(f, strategy));
        instanceClass = trim(apply(f, instanceClass));
        subnetGroup = trim(apply(f, subnetGroup));
        availabilityZone = trim(apply(f, availabilityZone));
        securityGroups = list(apply(f, securityGroups));
        parameterGroup = trim(apply(f, parameterGroup));
        optionGroup = trim(apply(f, optionGroup));
        tags = list(apply(f, tags));
        preserveTables = list(apply(f, preserveTables));
        preserveColumns = list(apply(f, preserveColumns));
        postSql = list(apply(f, postSql));
        migrations = trim(apply(f, migrations));
        migrationsTable = trim(apply(f, migrationsTable));
        return this;
    }

    private static String apply(UnaryOperator<String> f, String v) {
        return v == null ? null : f.apply(v);
    }

    private static List<String> apply(UnaryOperator<String> f, List<String> v) {
        if (v == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String s : v) {
            out.add(f.apply(s));
        }
        return out;
    }

    // ---- normalisation helpers ---------------------------------------------------------------------------------

    static String trim(String s) {
        return SpecText.trim(s);
    }

    /** Trimmed, blank entries dropped; {@code null} when nothing is left (so the default applies). */
    static List<String> list(List<String> v) {
        return SpecText.entries(v);
    }

    /** One entry per line, as typed into a form's text area ({@link SpecText#lines}). */
    public static List<String> splitLines(String text) {
        return SpecText.lines(text);
    }

    static String joinLines(List<String> v) {
        return SpecText.joinLines(v);
    }

    private static List<String> copyOf(List<String> v) {
        return v == null ? null : new ArrayList<>(v);
    }

    private static String lower(String v) {
        String t = trim(v);
        return t == null ? null : t.toLowerCase(Locale.ROOT);
    }

    // ---- accessors (names of the public interface) -----------------------------------------------------------

    public String getSource() { return source; }
    public String getTarget() { return target; }
    public String getRegion() { return region; }
    public void setRegion(String v) { region = trim(v); }
    public String getEndpointUrl() { return endpointUrl; }
    public void setEndpointUrl(String v) { endpointUrl = trim(v); }
    public String getAwsCredentialsId() { return awsCredentialsId; }
    public void setAwsCredentialsId(String v) { awsCredentialsId = trim(v); }
    public String getRoleArn() { return roleArn; }
    public void setRoleArn(String v) { roleArn = trim(v); }
    public String getExternalId() { return externalId; }
    public void setExternalId(String v) { externalId = trim(v); }
    public String getSourceAwsCredentialsId() { return sourceAwsCredentialsId; }
    public void setSourceAwsCredentialsId(String v) { sourceAwsCredentialsId = trim(v); }
    public String getSourceRoleArn() { return sourceRoleArn; }
    public void setSourceRoleArn(String v) { sourceRoleArn = trim(v); }
    public String getSourceExternalId() { return sourceExternalId; }
    public void setSourceExternalId(String v) { sourceExternalId = trim(v); }
    public String getSourceRegion() { return sourceRegion; }
    public void setSourceRegion(String v) { sourceRegion = trim(v); }
    public String getSourceEndpointUrl() { return sourceEndpointUrl; }
    public void setSourceEndpointUrl(String v) { sourceEndpointUrl = trim(v); }
    public String getSnapshotCopyKmsKeyId() { return snapshotCopyKmsKeyId; }
    public void setSnapshotCopyKmsKeyId(String v) { snapshotCopyKmsKeyId = trim(v); }
    public String getMysqlCredentialsId() { return mysqlCredentialsId; }
    public void setMysqlCredentialsId(String v) { mysqlCredentialsId = trim(v); }
    public List<String> getDatabases() { return unmodifiable(databases); }
    public void setDatabases(List<String> v) { databases = list(v); }
    public String getDbHost() { return dbHost; }
    public void setDbHost(String v) { dbHost = trim(v); }
    public Integer getDbPort() { return dbPort; }
    public void setDbPort(Integer v) { dbPort = v; }
    public String getDbTls() { return dbTls; }
    public void setDbTls(String v) { dbTls = lower(v); }
    public String getDbTlsCaBundle() { return dbTlsCaBundle; }
    public void setDbTlsCaBundle(String v) { dbTlsCaBundle = trim(v); }
    public String getSnapshotMode() { return snapshotMode; }
    public void setSnapshotMode(String v) { snapshotMode = lower(v); }
    public String getSnapshotName() { return snapshotName; }
    public void setSnapshotName(String v) { snapshotName = trim(v); }
    public Integer getSnapshotKeep() { return snapshotKeep; }
    public void setSnapshotKeep(Integer v) { snapshotKeep = v; }
    public String getStrategy() { return strategy; }
    public void setStrategy(String v) { strategy = lower(v); }
    public String getInstanceClass() { return instanceClass; }
    public void setInstanceClass(String v) { instanceClass = trim(v); }
    public String getSubnetGroup() { return subnetGroup; }
    public void setSubnetGroup(String v) { subnetGroup = trim(v); }
    public String getAvailabilityZone() { return availabilityZone; }
    public void setAvailabilityZone(String v) { availabilityZone = trim(v); }
    public List<String> getSecurityGroups() { return unmodifiable(securityGroups); }
    public void setSecurityGroups(List<String> v) { securityGroups = list(v); }
    public String getParameterGroup() { return parameterGroup; }
    public void setParameterGroup(String v) { parameterGroup = trim(v); }
    public String getOptionGroup() { return optionGroup; }
    public void setOptionGroup(String v) { optionGroup = trim(v); }
    public List<String> getTags() { return unmodifiable(tags); }
    public void setTags(List<String> v) { tags = list(v); }
    public boolean isPreserveRows() { return preserveRows; }
    public void setPreserveRows(boolean v) { preserveRows = v; }
    public Long getOffset() { return offset; }
    public void setOffset(Long v) { offset = v; }
    public List<String> getPreserveTables() { return unmodifiable(preserveTables); }
    public void setPreserveTables(List<String> v) { preserveTables = list(v); }
    public List<String> getPreserveColumns() { return unmodifiable(preserveColumns); }
    public void setPreserveColumns(List<String> v) { preserveColumns = list(v); }
    public List<String> getPostSql() { return unmodifiable(postSql); }
    public void setPostSql(List<String> v) { postSql = list(v); }
    public String getMigrations() { return migrations; }
    public void setMigrations(String v) { migrations = trim(v); }
    public String getMigrationsTable() { return migrationsTable; }
    public void setMigrationsTable(String v) { migrationsTable = trim(v); }
    public boolean isResume() { return resume; }
    public void setResume(boolean v) { resume = v; }
    public boolean isDryRun() { return dryRun; }
    public void setDryRun(boolean v) { dryRun = v; }
    public Integer getTimeoutMinutes() { return timeoutMinutes; }
    public void setTimeoutMinutes(Integer v) { timeoutMinutes = v; }

    private static List<String> unmodifiable(List<String> v) {
        return v == null ? null : Collections.unmodifiableList(v);
    }

    /**
     * Key for "one build at a time on this target": the same instance identifier behind the same RDS endpoint.
     * Without an explicit region the agent's default region applies, which the controller cannot know, so builds
     * that name no region share one key per target name (the safe side).
     */
    public String lockKey() {
        String where = endpointUrl != null ? endpointUrl : region != null ? region : "default-region";
        return where + "|" + (target == null ? "" : target.toLowerCase(Locale.ROOT));
    }

    /**
     * Copies every value onto a core spec builder, resolving workspace paths against {@code workspace}.
     * Paths must be relative to the workspace and stay inside it; without a workspace (a Pipeline step outside
     * {@code node}) they are reported as problems. Validation of all values is left to {@link SyncSpec.Builder#build()}.
     *
     * @param workspace the workspace on the machine that runs the sync, or {@code null} when there is none
     */
    public SyncSpec.Builder applyTo(SyncSpec.Builder b, Path workspace) {
        b.source(source).target(target)
                .region(region).endpointUrl(endpointUrl)
                .roleArn(roleArn).externalId(externalId)
                .sourceRoleArn(sourceRoleArn).sourceExternalId(sourceExternalId)
                .sourceRegion(sourceRegion).sourceEndpointUrl(sourceEndpointUrl)
                .snapshotCopyKmsKeyId(snapshotCopyKmsKeyId)
                .databases(databases)
                .dbHost(dbHost).dbPort(dbPort).dbTls(dbTls)
                .snapshotMode(snapshotMode).snapshotName(snapshotName)
                .strategy(strategy)
                .instanceClass(instanceClass).subnetGroup(subnetGroup).availabilityZone(availabilityZone)
                .securityGroups(securityGroups)
                .parameterGroup(parameterGroup).optionGroup(optionGroup)
                .tags(SpecText.tags(tags, b, "tags"))
                .preserveRows(preserveRows)
                .preserveTablesText(preserveTables)
                .preserveColumnsText(preserveColumns)
                .migrationsTable(migrationsTable)
                .resume(resume)
                .dryRun(dryRun);
        if (snapshotKeep != null) {
            b.snapshotKeep(snapshotKeep);
        }
        if (offset != null) {
            b.offset(offset);
        }
        if (timeoutMinutes != null) {
            b.timeoutMinutes(timeoutMinutes);
        }
        if (postSql != null) {
            List<Path> files = new ArrayList<>();
            for (String f : postSql) {
                Path p = workspacePath("postSql", f, workspace, b);
                if (p != null) {
                    files.add(p);
                }
            }
            b.postSql(files);
        }
        if (migrations != null) {
            b.migrations(workspacePath("migrations", migrations, workspace, b));
        }
        if (dbTlsCaBundle != null) {
            b.dbTlsCaBundle(workspacePath("dbTlsCaBundle", dbTlsCaBundle, workspace, b));
        }
        return b;
    }

    private static Path workspacePath(String field, String value, Path workspace, SyncSpec.Builder b) {
        if (workspace == null) {
            b.problem(field, "'" + value + "' is a workspace path, but this sync has no workspace;"
                    + " run syncRdsInstance inside node { } (or a freestyle job) so the file can be read");
            return null;
        }
        Path rel;
        try {
            rel = Path.of(value);
        } catch (RuntimeException e) { // InvalidPathException
            b.problem(field, "'" + value + "' is not a valid path: " + e.getMessage());
            return null;
        }
        if (rel.isAbsolute()) {
            b.problem(field, "'" + value + "' is an absolute path; give a path relative to the workspace"
                    + " (for example db/post-migration-tweaks.sql)");
            return null;
        }
        Path root = workspace.toAbsolutePath().normalize();
        Path p = root.resolve(rel).normalize();
        if (!p.startsWith(root)) {
            b.problem(field, "'" + value + "' points outside the workspace; give a path inside it");
            return null;
        }
        return p;
    }

    @Override
    public String toString() {
        return "SyncSettings{" + source + " -> " + target + (dryRun ? ", dry run" : "") + (resume ? ", resume" : "")
                + "}";
    }
}
