package io.jenkins.plugins.rdssync;

import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import io.jenkins.plugins.rdssync.core.spec.SpecValues;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The settings of one run as plain values (core's {@link SpecValues}, keyed by the public interface's names), with
 * the few typed accessors the plugin needs: held by a running {@link RdsSyncStepExecution} (so saved with the
 * Pipeline's state and read back after a restart) and sent to the agent in {@link SyncCallable}. No secrets, no
 * {@link Path}s, no AWS SDK types.
 *
 * <p>The private fields below the values are the layout jobs were saved in before the fields moved to
 * {@link RdsSyncStep} ({@code <settings><source>…}): XStream and Java serialization fill them, {@link #readResolve}
 * turns them into values, and they are never written again. New keys never go there.
 */
@SuppressFBWarnings(value = {"UWF_UNWRITTEN_FIELD", "NP_UNWRITTEN_FIELD"},
        justification = "the earlier layout's fields are written by XStream and Java serialization only")
public final class SyncSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private SpecValues values;

    SyncSettings(SpecValues values) {
        this.values = values;
    }

    /** The values for a run, e.g. {@code settings.values().text("target")}. */
    public SpecValues values() {
        return values != null ? values : legacyValues();
    }

    public String getSource() { return values().text("source"); }
    public String getTarget() { return values().text("target"); }
    public String getRegion() { return values().text("region"); }
    public String getEndpointUrl() { return values().text("endpointUrl"); }
    public String getAwsCredentialsId() { return values().text("awsCredentialsId"); }
    public String getRoleArn() { return values().text("roleArn"); }
    public String getExternalId() { return values().text("externalId"); }
    public String getSourceAwsCredentialsId() { return values().text("sourceAwsCredentialsId"); }
    public String getSourceRoleArn() { return values().text("sourceRoleArn"); }
    public String getMysqlCredentialsId() { return values().text("mysqlCredentialsId"); }
    public String getDbHost() { return values().text("dbHost"); }
    public Integer getDbPort() { return values().number("dbPort"); }
    public String getDbTls() { return values().text("dbTls"); }
    public boolean isResume() { return values().flag("resume"); }
    public boolean isDryRun() { return values().flag("dryRun"); }

    /** A copy, so a running build is not affected by later changes to the job configuration. */
    public SyncSettings copy() {
        return new SyncSettings(values().copy());
    }

    /** A copy with {@code ${PARAMETER}} references expanded by {@code f} (credential ids left alone). */
    public SyncSettings expand(UnaryOperator<String> f) {
        return new SyncSettings(values().expand(f));
    }

    /** A copy with one value changed (blank: the default). */
    public SyncSettings with(String key, Object value) {
        return new SyncSettings(values().with(key, value));
    }

    /** Same target behind the same endpoint: one build at a time ({@link TargetLock}). */
    public String lockKey() {
        return values().lockKey();
    }

    /**
     * Puts every value on a core spec builder, workspace paths resolved against {@code workspace}; without a
     * workspace (a Pipeline step outside {@code node}) paths are reported as problems. Credentials are the caller's.
     */
    public SyncSpec.Builder applyTo(SyncSpec.Builder b, Path workspace) {
        return values().applyTo(b, workspace, "run syncRdsInstance inside node { } (or a freestyle job) so the file"
                + " can be read");
    }

    @Override
    public String toString() {
        return "SyncSettings{" + getSource() + " -> " + getTarget() + (isDryRun() ? ", dry run" : "")
                + (isResume() ? ", resume" : "") + "}";
    }

    // ---- the layout saved before the fields were RdsSyncStep's own: read only ---------------------------------------

    @Deprecated private String source;
    @Deprecated private String target;
    @Deprecated private String region;
    @Deprecated private String endpointUrl;
    @Deprecated private String awsCredentialsId;
    @Deprecated private String roleArn;
    @Deprecated private String externalId;
    @Deprecated private String mysqlCredentialsId;
    @Deprecated private List<String> databases;
    @Deprecated private String dbHost;
    @Deprecated private Integer dbPort;
    @Deprecated private String dbTls;
    @Deprecated private String dbTlsCaBundle;
    @Deprecated private String snapshotMode;
    @Deprecated private String snapshotName;
    @Deprecated private Integer snapshotKeep;
    @Deprecated private String strategy;
    @Deprecated private String instanceClass;
    @Deprecated private String subnetGroup;
    @Deprecated private String availabilityZone;
    @Deprecated private List<String> securityGroups;
    @Deprecated private String parameterGroup;
    @Deprecated private String optionGroup;
    @Deprecated private List<String> tags;
    @Deprecated private Boolean preserveRows;
    @Deprecated private Long offset;
    @Deprecated private List<String> preserveTables;
    @Deprecated private List<String> preserveColumns;
    @Deprecated private List<String> postSql;
    @Deprecated private String migrations;
    @Deprecated private String migrationsTable;
    @Deprecated private Boolean resume;
    @Deprecated private Boolean dryRun;
    @Deprecated private Integer timeoutMinutes;

    /** XStream and Java serialization: an object of the earlier layout becomes one of values. */
    @SuppressWarnings("deprecation")
    protected Object readResolve() {
        return values != null ? this : new SyncSettings(legacyValues());
    }

    @SuppressWarnings("deprecation")
    private SpecValues legacyValues() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", source);
        m.put("target", target);
        m.put("region", region);
        m.put("endpointUrl", endpointUrl);
        m.put("awsCredentialsId", awsCredentialsId);
        m.put("roleArn", roleArn);
        m.put("externalId", externalId);
        m.put("mysqlCredentialsId", mysqlCredentialsId);
        m.put("databases", databases);
        m.put("dbHost", dbHost);
        m.put("dbPort", dbPort);
        m.put("dbTls", dbTls);
        m.put("dbTlsCaBundle", dbTlsCaBundle);
        m.put("snapshotMode", snapshotMode);
        m.put("snapshotName", snapshotName);
        m.put("snapshotKeep", snapshotKeep);
        m.put("strategy", strategy);
        m.put("instanceClass", instanceClass);
        m.put("subnetGroup", subnetGroup);
        m.put("availabilityZone", availabilityZone);
        m.put("securityGroups", securityGroups);
        m.put("parameterGroup", parameterGroup);
        m.put("optionGroup", optionGroup);
        m.put("tags", tags);
        m.put("preserveRows", preserveRows);
        m.put("offset", offset);
        m.put("preserveTables", preserveTables);
        m.put("preserveColumns", preserveColumns);
        m.put("postSql", postSql);
        m.put("migrations", migrations);
        m.put("migrationsTable", migrationsTable);
        m.put("resume", resume);
        m.put("dryRun", dryRun);
        m.put("timeoutMinutes", timeoutMinutes);
        m.values().removeIf(v -> v == null);
        return SpecValues.of(m);
    }
}
