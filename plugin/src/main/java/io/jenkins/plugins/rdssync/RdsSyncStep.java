package io.jenkins.plugins.rdssync;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
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
 * <p>The freestyle {@link RdsSyncBuilder} holds one of these as a nested describable, so this class and its
 * descriptor are the only place the fields, the form ({@code config.jelly}, help files) and the form methods live.
 */
public final class RdsSyncStep extends Step {

    private final SyncSettings settings;

    @DataBoundConstructor
    public RdsSyncStep(String source, String target) {
        this.settings = new SyncSettings(source, target);
    }

    /** A step over existing settings (the freestyle builder's earlier saved layout). */
    RdsSyncStep(SyncSettings settings) {
        this.settings = settings;
    }

    /** The settings behind the getters, for the freestyle builder that holds this step. */
    SyncSettings settings() {
        return settings;
    }

    public String getSource() {
        return settings.getSource();
    }

    public String getTarget() {
        return settings.getTarget();
    }

    public String getRegion() {
        return settings.getRegion();
    }

    @DataBoundSetter
    public void setRegion(String region) {
        settings.setRegion(region);
    }

    public String getEndpointUrl() {
        return settings.getEndpointUrl();
    }

    @DataBoundSetter
    public void setEndpointUrl(String endpointUrl) {
        settings.setEndpointUrl(endpointUrl);
    }

    public String getAwsCredentialsId() {
        return settings.getAwsCredentialsId();
    }

    @DataBoundSetter
    public void setAwsCredentialsId(String awsCredentialsId) {
        settings.setAwsCredentialsId(awsCredentialsId);
    }

    public String getRoleArn() {
        return settings.getRoleArn();
    }

    @DataBoundSetter
    public void setRoleArn(String roleArn) {
        settings.setRoleArn(roleArn);
    }

    public String getExternalId() {
        return settings.getExternalId();
    }

    @DataBoundSetter
    public void setExternalId(String externalId) {
        settings.setExternalId(externalId);
    }

    public String getSourceAwsCredentialsId() {
        return settings.getSourceAwsCredentialsId();
    }

    /** Production in another account: the source side's own AWS credentials (blank: the target side's). */
    @DataBoundSetter
    public void setSourceAwsCredentialsId(String sourceAwsCredentialsId) {
        settings.setSourceAwsCredentialsId(sourceAwsCredentialsId);
    }

    public String getSourceRoleArn() {
        return settings.getSourceRoleArn();
    }

    @DataBoundSetter
    public void setSourceRoleArn(String sourceRoleArn) {
        settings.setSourceRoleArn(sourceRoleArn);
    }

    public String getSourceExternalId() {
        return settings.getSourceExternalId();
    }

    @DataBoundSetter
    public void setSourceExternalId(String sourceExternalId) {
        settings.setSourceExternalId(sourceExternalId);
    }

    public String getSourceRegion() {
        return settings.getSourceRegion();
    }

    @DataBoundSetter
    public void setSourceRegion(String sourceRegion) {
        settings.setSourceRegion(sourceRegion);
    }

    public String getSourceEndpointUrl() {
        return settings.getSourceEndpointUrl();
    }

    @DataBoundSetter
    public void setSourceEndpointUrl(String sourceEndpointUrl) {
        settings.setSourceEndpointUrl(sourceEndpointUrl);
    }

    public String getSnapshotCopyKmsKeyId() {
        return settings.getSnapshotCopyKmsKeyId();
    }

    @DataBoundSetter
    public void setSnapshotCopyKmsKeyId(String snapshotCopyKmsKeyId) {
        settings.setSnapshotCopyKmsKeyId(snapshotCopyKmsKeyId);
    }

    public String getMysqlCredentialsId() {
        return settings.getMysqlCredentialsId();
    }

    @DataBoundSetter
    public void setMysqlCredentialsId(String mysqlCredentialsId) {
        settings.setMysqlCredentialsId(mysqlCredentialsId);
    }

    public List<String> getDatabases() {
        return settings.getDatabases();
    }

    @DataBoundSetter
    public void setDatabases(List<String> databases) {
        settings.setDatabases(databases);
    }

    /** databases one per line, for the form. */
    public String getDatabasesText() {
        return SyncSettings.joinLines(settings.getDatabases());
    }

    public String getDbHost() {
        return settings.getDbHost();
    }

    @DataBoundSetter
    public void setDbHost(String dbHost) {
        settings.setDbHost(dbHost);
    }

    public Integer getDbPort() {
        return settings.getDbPort();
    }

    @DataBoundSetter
    public void setDbPort(Integer dbPort) {
        settings.setDbPort(dbPort);
    }

    public String getDbTls() {
        return settings.getDbTls();
    }

    @DataBoundSetter
    public void setDbTls(String dbTls) {
        settings.setDbTls(dbTls);
    }

    public String getDbTlsCaBundle() {
        return settings.getDbTlsCaBundle();
    }

    @DataBoundSetter
    public void setDbTlsCaBundle(String dbTlsCaBundle) {
        settings.setDbTlsCaBundle(dbTlsCaBundle);
    }

    public String getSnapshotMode() {
        return settings.getSnapshotMode();
    }

    @DataBoundSetter
    public void setSnapshotMode(String snapshotMode) {
        settings.setSnapshotMode(snapshotMode);
    }

    public String getSnapshotName() {
        return settings.getSnapshotName();
    }

    @DataBoundSetter
    public void setSnapshotName(String snapshotName) {
        settings.setSnapshotName(snapshotName);
    }

    public Integer getSnapshotKeep() {
        return settings.getSnapshotKeep();
    }

    @DataBoundSetter
    public void setSnapshotKeep(Integer snapshotKeep) {
        settings.setSnapshotKeep(snapshotKeep);
    }

    public String getStrategy() {
        return settings.getStrategy();
    }

    @DataBoundSetter
    public void setStrategy(String strategy) {
        settings.setStrategy(strategy);
    }

    public String getInstanceClass() {
        return settings.getInstanceClass();
    }

    @DataBoundSetter
    public void setInstanceClass(String instanceClass) {
        settings.setInstanceClass(instanceClass);
    }

    public String getSubnetGroup() {
        return settings.getSubnetGroup();
    }

    @DataBoundSetter
    public void setSubnetGroup(String subnetGroup) {
        settings.setSubnetGroup(subnetGroup);
    }

    public String getAvailabilityZone() {
        return settings.getAvailabilityZone();
    }

    @DataBoundSetter
    public void setAvailabilityZone(String availabilityZone) {
        settings.setAvailabilityZone(availabilityZone);
    }

    public List<String> getSecurityGroups() {
        return settings.getSecurityGroups();
    }

    @DataBoundSetter
    public void setSecurityGroups(List<String> securityGroups) {
        settings.setSecurityGroups(securityGroups);
    }

    /** securityGroups one per line, for the form. */
    public String getSecurityGroupsText() {
        return SyncSettings.joinLines(settings.getSecurityGroups());
    }

    public String getParameterGroup() {
        return settings.getParameterGroup();
    }

    @DataBoundSetter
    public void setParameterGroup(String parameterGroup) {
        settings.setParameterGroup(parameterGroup);
    }

    public String getOptionGroup() {
        return settings.getOptionGroup();
    }

    @DataBoundSetter
    public void setOptionGroup(String optionGroup) {
        settings.setOptionGroup(optionGroup);
    }

    public List<String> getTags() {
        return settings.getTags();
    }

    @DataBoundSetter
    public void setTags(List<String> tags) {
        settings.setTags(tags);
    }

    /** tags one per line, for the form. */
    public String getTagsText() {
        return SyncSettings.joinLines(settings.getTags());
    }

    public boolean isPreserveRows() {
        return settings.isPreserveRows();
    }

    @DataBoundSetter
    public void setPreserveRows(boolean preserveRows) {
        settings.setPreserveRows(preserveRows);
    }

    public Long getOffset() {
        return settings.getOffset();
    }

    @DataBoundSetter
    public void setOffset(Long offset) {
        settings.setOffset(offset);
    }

    public List<String> getPreserveTables() {
        return settings.getPreserveTables();
    }

    @DataBoundSetter
    public void setPreserveTables(List<String> preserveTables) {
        settings.setPreserveTables(preserveTables);
    }

    /** preserveTables one per line, for the form. */
    public String getPreserveTablesText() {
        return SyncSettings.joinLines(settings.getPreserveTables());
    }

    public List<String> getPreserveColumns() {
        return settings.getPreserveColumns();
    }

    @DataBoundSetter
    public void setPreserveColumns(List<String> preserveColumns) {
        settings.setPreserveColumns(preserveColumns);
    }

    /** preserveColumns one per line, for the form. */
    public String getPreserveColumnsText() {
        return SyncSettings.joinLines(settings.getPreserveColumns());
    }

    public List<String> getPostSql() {
        return settings.getPostSql();
    }

    @DataBoundSetter
    public void setPostSql(List<String> postSql) {
        settings.setPostSql(postSql);
    }

    /** postSql one per line, for the form. */
    public String getPostSqlText() {
        return SyncSettings.joinLines(settings.getPostSql());
    }

    public String getMigrations() {
        return settings.getMigrations();
    }

    @DataBoundSetter
    public void setMigrations(String migrations) {
        settings.setMigrations(migrations);
    }

    public String getMigrationsTable() {
        return settings.getMigrationsTable();
    }

    @DataBoundSetter
    public void setMigrationsTable(String migrationsTable) {
        settings.setMigrationsTable(migrationsTable);
    }

    public boolean isResume() {
        return settings.isResume();
    }

    @DataBoundSetter
    public void setResume(boolean resume) {
        settings.setResume(resume);
    }

    public boolean isDryRun() {
        return settings.isDryRun();
    }

    @DataBoundSetter
    public void setDryRun(boolean dryRun) {
        settings.setDryRun(dryRun);
    }

    public Integer getTimeoutMinutes() {
        return settings.getTimeoutMinutes();
    }

    @DataBoundSetter
    public void setTimeoutMinutes(Integer timeoutMinutes) {
        settings.setTimeoutMinutes(timeoutMinutes);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new RdsSyncStepExecution(context, settings.copy());
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
            return SyncForms.spec(item, "databases", b -> b.databases(SyncSettings.splitLines(value)));
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
        public FormValidation doCheckInstanceClass(@AncestorInPath Item item, @QueryParameter String value) {
            return SyncForms.spec(item, "instanceClass", b -> b.instanceClass(value));
        }

        @POST
        public FormValidation doCheckSecurityGroups(@AncestorInPath Item item, @QueryParameter String value) {
            return SyncForms.spec(item, "securityGroups", b -> b.securityGroups(SyncSettings.splitLines(value)));
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
            return SyncForms.spec(item, "preserveTables", b -> b.preserveTablesText(SyncSettings.splitLines(value)));
        }

        @POST
        public FormValidation doCheckPreserveColumns(@AncestorInPath Item item, @QueryParameter String value) {
            return SyncForms.spec(item, "preserveColumns", b -> b.preserveColumnsText(SyncSettings.splitLines(value)));
        }

        @POST
        public FormValidation doCheckMigrationsTable(@AncestorInPath Item item, @QueryParameter String value) {
            return SyncForms.spec(item, "migrationsTable", b -> b.migrationsTable(value));
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
