package io.jenkins.plugins.rdssync;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.AbstractProject;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.BuildStepMonitor;
import hudson.tasks.Builder;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import jenkins.tasks.SimpleBuildStep;
import net.sf.json.JSONObject;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * The freestyle build step: the same fields as {@link RdsSyncStep} on a form with folded advanced sections, the same
 * {@link SyncRunner}. Later build steps see {@code RDS_SYNC_ENDPOINT}, {@code RDS_SYNC_PORT}, {@code RDS_SYNC_INSTANCE}
 * and {@code RDS_SYNC_SNAPSHOT} ({@link SyncAction}). {@code ${VARIABLE}} references in the text fields (for example
 * build parameters) are expanded from the build's environment; credential ids accept the credentials plugin's
 * {@code ${PARAMETER}} expressions.
 */
public final class RdsSyncBuilder extends Builder implements SimpleBuildStep {

    private final SyncSettings settings;

    @DataBoundConstructor
    public RdsSyncBuilder(String source, String target) {
        this.settings = new SyncSettings(source, target);
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
    public void perform(@NonNull Run<?, ?> run, @NonNull FilePath workspace, @NonNull EnvVars env,
            @NonNull Launcher launcher, @NonNull TaskListener listener) throws InterruptedException, IOException {
        SyncSettings effective = settings.copy().expand(env::expand);
        try {
            SyncRunner.run(run, workspace, listener, effective, false, UUID.randomUUID().toString(),
                    new RunMonitor(null));
        } catch (SyncRunner.StoppedForShutdown e) {
            // unlike a Pipeline step, a freestyle build does not survive the restart
            throw new AbortException(Messages.Builder_ShutdownStop(effective.getTarget()));
        }
    }

    @Override
    public BuildStepMonitor getRequiredMonitorService() {
        return BuildStepMonitor.NONE;
    }

    @Extension
    public static final class DescriptorImpl extends BuildStepDescriptor<Builder> {

        public DescriptorImpl() {
            // one set of help files, beside the Pipeline step
            for (String field : HELP_FIELDS) {
                addHelpFileRedirect(field, RdsSyncStep.class, field);
            }
        }

        @Override
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.RdsSyncBuilder_DisplayName();
        }

        @Override
        public Builder newInstance(StaplerRequest2 req, @NonNull JSONObject formData) throws FormException {
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

    static final List<String> HELP_FIELDS = List.of("source", "target", "region", "endpointUrl",
            "awsCredentialsId", "roleArn", "externalId", "mysqlCredentialsId", "databases", "dbHost", "dbPort", "dbTls", "dbTlsCaBundle", "snapshotMode", "snapshotName",
            "snapshotKeep", "strategy", "instanceClass", "subnetGroup", "availabilityZone", "securityGroups",
            "parameterGroup", "optionGroup", "tags", "preserveRows", "offset", "preserveTables",
            "preserveColumns", "postSql", "migrations", "migrationsTable", "resume", "dryRun", "timeoutMinutes");
}
