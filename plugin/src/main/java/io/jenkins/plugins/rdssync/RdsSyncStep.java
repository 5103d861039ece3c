package io.jenkins.plugins.rdssync;

import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.Extension;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.rdssync.core.spec.FormValues;
import io.jenkins.plugins.rdssync.core.spec.SpecKeys;
import io.jenkins.plugins.rdssync.core.spec.SpecText;
import io.jenkins.plugins.rdssync.core.spec.SpecValues;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code syncRdsInstance}: clones the source RDS instance into the target, keeping the rows made on the target, and
 * returns the result's plain values ({@code r.endpoint}, {@code r.port}, {@code r.instance}, {@code r.snapshot},
 * {@code r.preservedRows}, {@code r.stages}, {@code r.downtimeSeconds}).
 *
 * <pre>
 * def r = syncRdsInstance source: 'prod', target: 'acceptance', databases: ['app'], region: 'eu-west-1',
 *                         awsCredentialsId: 'aws-acc', mysqlCredentialsId: 'acc-db'
 * </pre>
 *
 * Inside {@code node} the sync runs on that agent and SQL paths are workspace paths; outside it runs on the
 * controller without workspace files. {@code source} and {@code target} are required; everything else is an
 * optional setter whose blank value means the documented default. The work is done by {@link SyncRunner}, shared
 * with the freestyle {@link RdsSyncBuilder}, in a {@link RdsSyncStepExecution} that survives a controller restart.
 *
 * <p>The fields are the step's own (as {@code SleepStep} keeps its), one per key of core's {@code SpecKeys} table
 * that Jenkins offers, with the key's name: the Pipeline parameters, the form's fields ({@code config.jelly}, a
 * {@code help-<key>.html} each) and the elements of {@code config.xml}. Core reads them by those names
 * ({@link SpecValues#fromBean}); the plugin-checks module fails the build when a key is missing here, in the form, in
 * a help file or in the docs. The freestyle {@link RdsSyncBuilder} holds one of these as a nested describable.
 */
public final class RdsSyncStep extends Step {

    private final String source;
    private final String target;
    private String region;
    private String endpointUrl;
    private String awsCredentialsId;
    private String roleArn;
    private String externalId;
    private String roleSessionName;
    private String sourceAwsCredentialsId;
    private String sourceRoleArn;
    private String sourceExternalId;
    private String sourceRegion;
    private String sourceEndpointUrl;
    private String snapshotMode;
    private String snapshotName;
    private Integer snapshotKeep;
    private String snapshotCopyKmsKeyId;
    private String strategy;
    private String instanceClass;
    private String subnetGroup;
    private String availabilityZone;
    private List<String> securityGroups;
    private String parameterGroup;
    private String optionGroup;
    private Integer instancePort;
    private String storageType;
    private Boolean multiAz;
    private Boolean publiclyAccessible;
    private List<String> tags;
    private Integer backupRetention;
    /** {@code null} is the default, {@code true} (also when read from a job saved before the field existed). */
    private Boolean resetMasterPassword;
    private String oldTarget;
    private Integer oldTargetKeepHours;
    private String mysqlCredentialsId;
    private List<String> databases;
    private String dbHost;
    private Integer dbPort;
    private String dbTls;
    private String dbTlsCaBundle;
    /** {@code null} is the default, {@code true} (also when read from a job saved before the field existed). */
    private Boolean preserveRows;
    private Long offset;
    private List<String> preserveTables;
    private List<String> includeTables;
    private List<String> excludeTables;
    private List<String> preserveColumns;
    private List<String> postSql;
    private List<String> postSqlStatements;
    private String migrations;
    private String migrationsTable;
    private String migrationsColumn;
    private List<String> allowTargets;
    private List<String> denyTargets;
    private String protectedTag;
    private Integer timeoutMinutes;
    private List<String> stageTimeoutMinutes;
    private boolean resume;
    private boolean dryRun;

    /** Where the fields were kept before they were the step's own ({@code <sync><settings>…}); read once. */
    @Deprecated
    @SuppressFBWarnings(value = "UWF_UNWRITTEN_FIELD", justification = "written by XStream when reading an old job")
    private SyncSettings settings;

    @DataBoundConstructor
    public RdsSyncStep(String source, String target) {
        this.source = text("source", source);
        this.target = text("target", target);
    }

    /** A step holding these values (the builder's and the step's earlier saved layouts, tests). */
    static RdsSyncStep of(SpecValues values) {
        RdsSyncStep s = new RdsSyncStep(values.text("source"), values.text("target"));
        values.with("source", null).with("target", null).writeTo(s);
        return s;
    }

    /** Reads a step saved with its values in a nested {@code <settings>} element into the step's own fields. */
    @SuppressWarnings("deprecation")
    protected Object readResolve() {
        if (settings == null) {
            return this;
        }
        return of(settings.values());
    }

    /** Every value as plain data, for the run (it travels to the agent and is saved with the Pipeline). */
    SpecValues values() {
        return SpecValues.fromBean(this);
    }

    /** A list field one entry per line, for the form's text areas ({@code ${instance.lines('databases')}}). */
    public String lines(String key) {
        return SpecText.joinLines(values().list(key));
    }

    private static String text(String key, String v) {
        return (String) FormValues.value(SpecKeys.of(key), v);
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(String key, List<String> v) {
        return (List<String>) FormValues.value(SpecKeys.of(key), v);
    }

    public String getSource() {
        return source;
    }

    public String getTarget() {
        return target;
    }

    public String getRegion() {
        return region;
    }

    @DataBoundSetter
    public void setRegion(String region) {
        this.region = text("region", region);
    }

    public String getEndpointUrl() {
        return endpointUrl;
    }

    @DataBoundSetter
    public void setEndpointUrl(String endpointUrl) {
        this.endpointUrl = text("endpointUrl", endpointUrl);
    }

    public String getAwsCredentialsId() {
        return awsCredentialsId;
    }

    @DataBoundSetter
    public void setAwsCredentialsId(String awsCredentialsId) {
        this.awsCredentialsId = text("awsCredentialsId", awsCredentialsId);
    }

    public String getRoleArn() {
        return roleArn;
    }

    @DataBoundSetter
    public void setRoleArn(String roleArn) {
        this.roleArn = text("roleArn", roleArn);
    }

    public String getExternalId() {
        return externalId;
    }

    @DataBoundSetter
    public void setExternalId(String externalId) {
        this.externalId = text("externalId", externalId);
    }

    public String getRoleSessionName() {
        return roleSessionName;
    }

    @DataBoundSetter
    public void setRoleSessionName(String roleSessionName) {
        this.roleSessionName = text("roleSessionName", roleSessionName);
    }

    public String getSourceAwsCredentialsId() {
        return sourceAwsCredentialsId;
    }

    /** Production in another account: the source side's own AWS credentials (blank: the target side's). */
    @DataBoundSetter
    public void setSourceAwsCredentialsId(String sourceAwsCredentialsId) {
        this.sourceAwsCredentialsId = text("sourceAwsCredentialsId", sourceAwsCredentialsId);
    }

    public String getSourceRoleArn() {
        return sourceRoleArn;
    }

    @DataBoundSetter
    public void setSourceRoleArn(String sourceRoleArn) {
        this.sourceRoleArn = text("sourceRoleArn", sourceRoleArn);
    }

    public String getSourceExternalId() {
        return sourceExternalId;
    }

    @DataBoundSetter
    public void setSourceExternalId(String sourceExternalId) {
        this.sourceExternalId = text("sourceExternalId", sourceExternalId);
    }

    public String getSourceRegion() {
        return sourceRegion;
    }

    @DataBoundSetter
    public void setSourceRegion(String sourceRegion) {
        this.sourceRegion = text("sourceRegion", sourceRegion);
    }

    public String getSourceEndpointUrl() {
        return sourceEndpointUrl;
    }

    @DataBoundSetter
    public void setSourceEndpointUrl(String sourceEndpointUrl) {
        this.sourceEndpointUrl = text("sourceEndpointUrl", sourceEndpointUrl);
    }

    public String getSnapshotMode() {
        return snapshotMode;
    }

    @DataBoundSetter
    public void setSnapshotMode(String snapshotMode) {
        this.snapshotMode = text("snapshotMode", snapshotMode);
    }

    public String getSnapshotName() {
        return snapshotName;
    }

    @DataBoundSetter
    public void setSnapshotName(String snapshotName) {
        this.snapshotName = text("snapshotName", snapshotName);
    }

    public Integer getSnapshotKeep() {
        return snapshotKeep;
    }

    @DataBoundSetter
    public void setSnapshotKeep(Integer snapshotKeep) {
        this.snapshotKeep = snapshotKeep;
    }

    public String getSnapshotCopyKmsKeyId() {
        return snapshotCopyKmsKeyId;
    }

    @DataBoundSetter
    public void setSnapshotCopyKmsKeyId(String snapshotCopyKmsKeyId) {
        this.snapshotCopyKmsKeyId = text("snapshotCopyKmsKeyId", snapshotCopyKmsKeyId);
    }

    public String getStrategy() {
        return strategy;
    }

    @DataBoundSetter
    public void setStrategy(String strategy) {
        this.strategy = text("strategy", strategy);
    }

    public String getInstanceClass() {
        return instanceClass;
    }

    @DataBoundSetter
    public void setInstanceClass(String instanceClass) {
        this.instanceClass = text("instanceClass", instanceClass);
    }

    public String getSubnetGroup() {
        return subnetGroup;
    }

    @DataBoundSetter
    public void setSubnetGroup(String subnetGroup) {
        this.subnetGroup = text("subnetGroup", subnetGroup);
    }

    public String getAvailabilityZone() {
        return availabilityZone;
    }

    @DataBoundSetter
    public void setAvailabilityZone(String availabilityZone) {
        this.availabilityZone = text("availabilityZone", availabilityZone);
    }

    public List<String> getSecurityGroups() {
        return securityGroups;
    }

    @DataBoundSetter
    public void setSecurityGroups(List<String> securityGroups) {
        this.securityGroups = list("securityGroups", securityGroups);
    }

    public String getParameterGroup() {
        return parameterGroup;
    }

    @DataBoundSetter
    public void setParameterGroup(String parameterGroup) {
        this.parameterGroup = text("parameterGroup", parameterGroup);
    }

    public String getOptionGroup() {
        return optionGroup;
    }

    @DataBoundSetter
    public void setOptionGroup(String optionGroup) {
        this.optionGroup = text("optionGroup", optionGroup);
    }

    public Integer getInstancePort() {
        return instancePort;
    }

    @DataBoundSetter
    public void setInstancePort(Integer instancePort) {
        this.instancePort = instancePort;
    }

    public String getStorageType() {
        return storageType;
    }

    @DataBoundSetter
    public void setStorageType(String storageType) {
        this.storageType = text("storageType", storageType);
    }

    public Boolean getMultiAz() {
        return multiAz;
    }

    @DataBoundSetter
    public void setMultiAz(Boolean multiAz) {
        this.multiAz = multiAz;
    }

    public Boolean getPubliclyAccessible() {
        return publiclyAccessible;
    }

    @DataBoundSetter
    public void setPubliclyAccessible(Boolean publiclyAccessible) {
        this.publiclyAccessible = publiclyAccessible;
    }

    public List<String> getTags() {
        return tags;
    }

    @DataBoundSetter
    public void setTags(List<String> tags) {
        this.tags = list("tags", tags);
    }

    public Integer getBackupRetention() {
        return backupRetention;
    }

    @DataBoundSetter
    public void setBackupRetention(Integer backupRetention) {
        this.backupRetention = backupRetention;
    }

    public boolean isResetMasterPassword() {
        return resetMasterPassword == null || resetMasterPassword;
    }

    @DataBoundSetter
    public void setResetMasterPassword(boolean resetMasterPassword) {
        this.resetMasterPassword = resetMasterPassword;
    }

    public String getOldTarget() {
        return oldTarget;
    }

    @DataBoundSetter
    public void setOldTarget(String oldTarget) {
        this.oldTarget = text("oldTarget", oldTarget);
    }

    public Integer getOldTargetKeepHours() {
        return oldTargetKeepHours;
    }

    @DataBoundSetter
    public void setOldTargetKeepHours(Integer oldTargetKeepHours) {
        this.oldTargetKeepHours = oldTargetKeepHours;
    }

    public String getMysqlCredentialsId() {
        return mysqlCredentialsId;
    }

    @DataBoundSetter
    public void setMysqlCredentialsId(String mysqlCredentialsId) {
        this.mysqlCredentialsId = text("mysqlCredentialsId", mysqlCredentialsId);
    }

    public List<String> getDatabases() {
        return databases;
    }

    @DataBoundSetter
    public void setDatabases(List<String> databases) {
        this.databases = list("databases", databases);
    }

    public String getDbHost() {
        return dbHost;
    }

    @DataBoundSetter
    public void setDbHost(String dbHost) {
        this.dbHost = text("dbHost", dbHost);
    }

    public Integer getDbPort() {
        return dbPort;
    }

    @DataBoundSetter
    public void setDbPort(Integer dbPort) {
        this.dbPort = dbPort;
    }

    public String getDbTls() {
        return dbTls;
    }

    @DataBoundSetter
    public void setDbTls(String dbTls) {
        this.dbTls = text("dbTls", dbTls);
    }

    public String getDbTlsCaBundle() {
        return dbTlsCaBundle;
    }

    @DataBoundSetter
    public void setDbTlsCaBundle(String dbTlsCaBundle) {
        this.dbTlsCaBundle = text("dbTlsCaBundle", dbTlsCaBundle);
    }

    public boolean isPreserveRows() {
        return preserveRows == null || preserveRows;
    }

    @DataBoundSetter
    public void setPreserveRows(boolean preserveRows) {
        this.preserveRows = preserveRows;
    }

    public Long getOffset() {
        return offset;
    }

    @DataBoundSetter
    public void setOffset(Long offset) {
        this.offset = offset;
    }

    public List<String> getPreserveTables() {
        return preserveTables;
    }

    @DataBoundSetter
    public void setPreserveTables(List<String> preserveTables) {
        this.preserveTables = list("preserveTables", preserveTables);
    }

    public List<String> getIncludeTables() {
        return includeTables;
    }

    @DataBoundSetter
    public void setIncludeTables(List<String> includeTables) {
        this.includeTables = list("includeTables", includeTables);
    }

    public List<String> getExcludeTables() {
        return excludeTables;
    }

    @DataBoundSetter
    public void setExcludeTables(List<String> excludeTables) {
        this.excludeTables = list("excludeTables", excludeTables);
    }

    public List<String> getPreserveColumns() {
        return preserveColumns;
    }

    @DataBoundSetter
    public void setPreserveColumns(List<String> preserveColumns) {
        this.preserveColumns = list("preserveColumns", preserveColumns);
    }

    public List<String> getPostSql() {
        return postSql;
    }

    @DataBoundSetter
    public void setPostSql(List<String> postSql) {
        this.postSql = list("postSql", postSql);
    }

    public List<String> getPostSqlStatements() {
        return postSqlStatements;
    }

    @DataBoundSetter
    public void setPostSqlStatements(List<String> postSqlStatements) {
        this.postSqlStatements = list("postSqlStatements", postSqlStatements);
    }

    public String getMigrations() {
        return migrations;
    }

    @DataBoundSetter
    public void setMigrations(String migrations) {
        this.migrations = text("migrations", migrations);
    }

    public String getMigrationsTable() {
        return migrationsTable;
    }

    @DataBoundSetter
    public void setMigrationsTable(String migrationsTable) {
        this.migrationsTable = text("migrationsTable", migrationsTable);
    }

    public String getMigrationsColumn() {
        return migrationsColumn;
    }

    @DataBoundSetter
    public void setMigrationsColumn(String migrationsColumn) {
        this.migrationsColumn = text("migrationsColumn", migrationsColumn);
    }

    public List<String> getAllowTargets() {
        return allowTargets;
    }

    @DataBoundSetter
    public void setAllowTargets(List<String> allowTargets) {
        this.allowTargets = list("allowTargets", allowTargets);
    }

    public List<String> getDenyTargets() {
        return denyTargets;
    }

    @DataBoundSetter
    public void setDenyTargets(List<String> denyTargets) {
        this.denyTargets = list("denyTargets", denyTargets);
    }

    public String getProtectedTag() {
        return protectedTag;
    }

    @DataBoundSetter
    public void setProtectedTag(String protectedTag) {
        this.protectedTag = text("protectedTag", protectedTag);
    }

    public Integer getTimeoutMinutes() {
        return timeoutMinutes;
    }

    @DataBoundSetter
    public void setTimeoutMinutes(Integer timeoutMinutes) {
        this.timeoutMinutes = timeoutMinutes;
    }

    public List<String> getStageTimeoutMinutes() {
        return stageTimeoutMinutes;
    }

    @DataBoundSetter
    public void setStageTimeoutMinutes(List<String> stageTimeoutMinutes) {
        this.stageTimeoutMinutes = list("stageTimeoutMinutes", stageTimeoutMinutes);
    }

    public boolean isResume() {
        return resume;
    }

    @DataBoundSetter
    public void setResume(boolean resume) {
        this.resume = resume;
    }

    public boolean isDryRun() {
        return dryRun;
    }

    @DataBoundSetter
    public void setDryRun(boolean dryRun) {
        this.dryRun = dryRun;
    }

    @Override
    public StepExecution start(StepContext context) {
        return new RdsSyncStepExecution(context, new SyncSettings(values()));
    }

    @Extension
    @Symbol("syncRdsInstance")
    public static final class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return "syncRdsInstance";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.RdsSyncStep_DisplayName();
        }

        /** Run and listener are needed; a workspace ({@code node}) is optional. */
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            Object source = namedArgs.get("source");
            Object target = namedArgs.get("target");
            return source != null && target != null ? source + " \u2192 " + target : null;
        }

        /**
         * The Snippet Generator, and the freestyle builder's nested form ({@link RdsSyncBuilder.DescriptorImpl}),
         * submit every field, blank or not: core's {@code FormValues} makes blanks the defaults, text areas lists and
         * typed numbers numbers before Stapler binds them.
         */
        @Override
        public Step newInstance(StaplerRequest2 req, @NonNull JSONObject formData) throws FormException {
            return super.newInstance(req, SyncForms.normalise(formData));
        }

        @POST
        public FormValidation doCheckSource(@AncestorInPath Item item, @QueryParameter String value) {
            return SyncForms.instanceId(item, "source", value);
        }

        @POST
        public FormValidation doCheckTarget(@AncestorInPath Item item, @QueryParameter String value, @QueryParameter String source, @QueryParameter String strategy) {
            return SyncForms.target(item, value, source, strategy);
        }

        @POST
        public FormValidation doCheckRegion(@AncestorInPath Item item, @QueryParameter String value) {
            return SyncForms.spec(item, "region", b -> b.region(value));
        }

        @POST
        public FormValidation doCheckEndpointUrl(@AncestorInPath Item item, @QueryParameter String value) {
            return SyncForms.spec(item, "endpointUrl", b -> b.endpointUrl(value));
        }

        @POST
        public FormValidation doCheckRoleArn(@AncestorInPath Item item, @QueryParameter String value) {
            return SyncForms.spec(item, "roleArn", b -> b.roleArn(value));
        }

        @POST
        public FormValidation doCheckExternalId(@AncestorInPath Item item, @QueryParameter String value, @QueryParameter String roleArn) {
            return SyncForms.spec(item, "externalId", b -> b.roleArn(roleArn).externalId(value));
        }

        @POST
        public FormValidation doCheckAwsCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
            return SyncForms.checkCredentials(item, value, true);
        }

        @POST
        public FormValidation doCheckSourceAwsCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
            return SyncForms.checkSourceCredentials(item, value);
        }

        @POST
        public ListBoxModel doFillSourceAwsCredentialsIdItems(@AncestorInPath Item item,
                @QueryParameter String sourceAwsCredentialsId) {
            return SyncForms.awsCredentialItems(item, sourceAwsCredentialsId);
        }

        @POST
        public FormValidation doCheckSourceRoleArn(@AncestorInPath Item item, @QueryParameter String value) {
            return SyncForms.spec(item, "sourceRoleArn", b -> b.sourceRoleArn(value));
        }

        @POST
        public FormValidation doCheckSourceExternalId(@AncestorInPath Item item, @QueryParameter String value,
                @QueryParameter String sourceRoleArn) {
            return SyncForms.spec(item, "sourceExternalId", b -> b.sourceRoleArn(sourceRoleArn)
                    .sourceExternalId(value));
        }

        @POST
        public FormValidation doCheckSourceRegion(@AncestorInPath Item item, @QueryParameter String value) {
            return SyncForms.spec(item, "sourceRegion", b -> b.sourceRegion(value));
        }

        @POST
        public FormValidation doCheckSourceEndpointUrl(@AncestorInPath Item item, @QueryParameter String value) {
            return SyncForms.spec(item, "sourceEndpointUrl", b -> b.sourceEndpointUrl(value));
        }

        @POST
        public FormValidation doCheckMysqlCredentialsId(@AncestorInPath Item item, @QueryParameter String value) {
            return SyncForms.checkCredentials(item, value, false);
        }

        @POST
        public ListBoxModel doFillAwsCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String awsCredentialsId) {
            return SyncForms.awsCredentialItems(item, awsCredentialsId);
        }

        @POST
        public ListBoxModel doFillMysqlCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String mysqlCredentialsId) {
            return SyncForms.dbCredentialItems(item, mysqlCredentialsId);
        }

        @POST
        public FormValidation doCheckDatabases(@AncestorInPath Item item, @QueryParameter String value) {
            return SyncForms.spec(item, "databases", b -> b.databases(SpecText.lines(value)));
        }

        @POST
        public FormValidation doCheckDbPort(@AncestorInPath Item item, @QueryParameter String value) {
            return SyncForms.integer(item, "dbPort", value, (b, v) -> b.dbHost("db-host").dbPort(v));
        }

        @POST
        public ListBoxModel doFillDbTlsItems() {
            return SyncForms.tlsModes();
        }

        @POST
        public ListBoxModel doFillSnapshotModeItems() {
            return SyncForms.snapshotModes();
        }

        @POST
        public FormValidation doCheckSnapshotName(@AncestorInPath Item item, @QueryParameter String value, @QueryParameter String snapshotMode) {
            return SyncForms.spec(item, "snapshotName", b -> b.snapshotMode(snapshotMode).snapshotName(value));
        }

        @POST
        public FormValidation doCheckSnapshotKeep(@AncestorInPath Item item, @QueryParameter String value) {
            return SyncForms.integer(item, "snapshotKeep", value, (b, v) -> b.snapshotMode("new").snapshotKeep(v));
        }

        @POST
        public ListBoxModel doFillStrategyItems() {
            return SyncForms.strategies();
        }

        @POST
        public ListBoxModel doFillOldTargetItems() {
            return SyncForms.oldTargets();
        }

        @POST
        public FormValidation doCheckOldTargetKeepHours(@AncestorInPath Item item, @QueryParameter String value,
                @QueryParameter String oldTarget) {
            return SyncForms.integer(item, "oldTargetKeepHours", value, (b, v) -> b.oldTarget(oldTarget)
                    .oldTargetKeepHours(v));
        }

        @POST
        public FormValidation doCheckInstanceClass(@AncestorInPath Item item, @QueryParameter String value) {
            return SyncForms.spec(item, "instanceClass", b -> b.instanceClass(value));
        }

        @POST
        public FormValidation doCheckSecurityGroups(@AncestorInPath Item item, @QueryParameter String value) {
            return SyncForms.spec(item, "securityGroups", b -> b.securityGroups(SpecText.lines(value)));
        }

        @POST
        public FormValidation doCheckTags(@AncestorInPath Item item, @QueryParameter String value) {
            return SyncForms.tags(item, value);
        }

        @POST
        public FormValidation doCheckOffset(@AncestorInPath Item item, @QueryParameter String value) {
            return SyncForms.spec(item, "offset", b -> b.offset(value));
        }

        @POST
        public FormValidation doCheckPreserveTables(@AncestorInPath Item item, @QueryParameter String value) {
            return SyncForms.spec(item, "preserveTables", b -> b.preserveTablesText(SpecText.lines(value)));
        }

        @POST
        public FormValidation doCheckPreserveColumns(@AncestorInPath Item item, @QueryParameter String value) {
            return SyncForms.spec(item, "preserveColumns", b -> b.preserveColumnsText(SpecText.lines(value)));
        }

        @POST
        public FormValidation doCheckMigrationsTable(@AncestorInPath Item item, @QueryParameter String value) {
            return SyncForms.spec(item, "migrationsTable", b -> b.migrationsTable(value));
        }

        @POST
        public FormValidation doCheckRoleSessionName(@AncestorInPath Item item, @QueryParameter String value) {
            return SyncForms.spec(item, "roleSessionName", b -> b.roleSessionName(value));
        }

        @POST
        public FormValidation doCheckInstancePort(@AncestorInPath Item item, @QueryParameter String value) {
            return SyncForms.integer(item, "instancePort", value, (b, v) -> b.instancePort(v));
        }

        @POST
        public FormValidation doCheckStorageType(@AncestorInPath Item item, @QueryParameter String value) {
            return SyncForms.spec(item, "storageType", b -> b.storageType(value));
        }

        @POST
        public ListBoxModel doFillMultiAzItems() {
            return SyncForms.keepOrChoose();
        }

        @POST
        public ListBoxModel doFillPubliclyAccessibleItems() {
            return SyncForms.keepOrChoose();
        }

        @POST
        public FormValidation doCheckBackupRetention(@AncestorInPath Item item, @QueryParameter String value) {
            return SyncForms.integer(item, "backupRetention", value, (b, v) -> b.backupRetention(v));
        }

        @POST
        public FormValidation doCheckIncludeTables(@AncestorInPath Item item, @QueryParameter String value) {
            return SyncForms.spec(item, "includeTables", b -> b.includeTables(SpecText.lines(value)));
        }

        @POST
        public FormValidation doCheckExcludeTables(@AncestorInPath Item item, @QueryParameter String value) {
            return SyncForms.spec(item, "excludeTables", b -> b.excludeTables(SpecText.lines(value)));
        }

        @POST
        public FormValidation doCheckMigrationsColumn(@AncestorInPath Item item, @QueryParameter String value) {
            return SyncForms.spec(item, "migrationsColumn", b -> b.migrationsColumn(value));
        }

        @POST
        public FormValidation doCheckAllowTargets(@AncestorInPath Item item, @QueryParameter String value, @QueryParameter String target) {
            return SyncForms.spec(item, "allowTargets", b -> b.target(SyncForms.blankTo(target, "target-instance"))
                    .allowTargets(SpecText.lines(value)));
        }

        @POST
        public FormValidation doCheckDenyTargets(@AncestorInPath Item item, @QueryParameter String value, @QueryParameter String target) {
            return SyncForms.spec(item, "denyTargets", b -> b.target(SyncForms.blankTo(target, "target-instance"))
                    .denyTargets(SpecText.lines(value)));
        }

        @POST
        public FormValidation doCheckProtectedTag(@AncestorInPath Item item, @QueryParameter String value) {
            return SyncForms.spec(item, "protectedTag", b -> b.protectedTag(value));
        }

        @POST
        public FormValidation doCheckStageTimeoutMinutes(@AncestorInPath Item item, @QueryParameter String value) {
            return SyncForms.spec(item, "stageTimeoutMinutes", b -> SpecValues.of(Map.of("stageTimeoutMinutes",
                    value == null ? "" : value)).applyTo(b, null, ""));
        }

        @POST
        public FormValidation doCheckTimeoutMinutes(@AncestorInPath Item item, @QueryParameter String value) {
            return SyncForms.integer(item, "timeoutMinutes", value, (b, v) -> b.timeoutMinutes(v));
        }

        @POST
        public FormValidation doTestAwsAccess(@AncestorInPath Item item, @QueryParameter String source, @QueryParameter String target, @QueryParameter String region,
                @QueryParameter String endpointUrl, @QueryParameter String awsCredentialsId, @QueryParameter String roleArn,
                @QueryParameter String externalId) {
            return SyncForms.testAwsAccess(item, SyncForms.testSettings(source, target, region, endpointUrl, roleArn,
                    externalId, null, null, null), awsCredentialsId);
        }

        @POST
        public FormValidation doTestDatabaseLogin(@AncestorInPath Item item, @QueryParameter String source, @QueryParameter String target, @QueryParameter String region,
                @QueryParameter String endpointUrl, @QueryParameter String awsCredentialsId, @QueryParameter String roleArn,
                @QueryParameter String externalId, @QueryParameter String mysqlCredentialsId, @QueryParameter String dbHost,
                @QueryParameter String dbPort, @QueryParameter String dbTls) {
            return SyncForms.testDatabaseLogin(item, SyncForms.testSettings(source, target, region, endpointUrl,
                    roleArn, externalId, dbHost, dbPort, dbTls), awsCredentialsId, mysqlCredentialsId);
        }
    }
}
