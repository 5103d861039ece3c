package io.jenkins.plugins.rdssync;

import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.AbstractProject;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.BuildStepMonitor;
import hudson.tasks.Builder;
import java.io.IOException;
import java.util.UUID;
import jenkins.model.Jenkins;
import jenkins.tasks.SimpleBuildStep;
import net.sf.json.JSONObject;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * The freestyle build step. It holds one {@link RdsSyncStep} as a nested describable ({@code <f:property field="sync"/>}
 * in its form), so the fields, their help, their {@code doCheck…}/{@code doFill…}/{@code doTest…} methods and the
 * form normalisation are the step's, written once; the same {@link SyncRunner} does the work.
 *
 * <p>Later build steps see {@code RDS_SYNC_ENDPOINT}, {@code RDS_SYNC_PORT}, {@code RDS_SYNC_INSTANCE} and
 * {@code RDS_SYNC_SNAPSHOT} ({@link SyncAction}). {@code ${VARIABLE}} references in the text fields (for example build
 * parameters) are expanded from the build's environment; credential ids accept the credentials plugin's
 * {@code ${PARAMETER}} expressions.
 */
public final class RdsSyncBuilder extends Builder implements SimpleBuildStep {

    private final RdsSyncStep sync;

    /** Where builders saved before the step was nested kept their values; read once, then saved as {@link #sync}. */
    @Deprecated
    @SuppressFBWarnings(value = "UWF_UNWRITTEN_FIELD", justification = "written by XStream when reading an old job")
    private SyncSettings settings;

    @DataBoundConstructor
    public RdsSyncBuilder(RdsSyncStep sync) {
        this.sync = sync;
    }

    /** Reads a builder saved in the earlier layout (its own {@code settings} field) into the nested step. */
    @SuppressWarnings("deprecation")
    protected Object readResolve() {
        return sync == null && settings != null ? new RdsSyncBuilder(RdsSyncStep.of(settings.values())) : this;
    }

    /** The sync's configuration: the same object, fields and form as the {@code syncRdsInstance} step. */
    public RdsSyncStep getSync() {
        return sync;
    }

    @Override
    public void perform(@NonNull Run<?, ?> run, @NonNull FilePath workspace, @NonNull EnvVars env,
            @NonNull Launcher launcher, @NonNull TaskListener listener) throws InterruptedException, IOException {
        if (sync == null) {
            throw new AbortException(Messages.Builder_NotConfigured());
        }
        SyncSettings effective = new SyncSettings(sync.values()).expand(env::expand);
        try {
            SyncRunner.run(run, workspace, listener, effective, false, UUID.randomUUID().toString(),
                    new RunMonitor(null), false);
        } catch (SyncRunner.StoppedForShutdown e) {
            // unlike a Pipeline step, a freestyle build does not survive the restart
            throw new AbortException(Messages.Builder_ShutdownStop(effective.getTarget()));
        }
    }

    @Override
    public BuildStepMonitor getRequiredMonitorService() {
        return BuildStepMonitor.NONE;
    }

    @Override
    public String toString() {
        return "RdsSyncBuilder{" + (sync == null ? null : sync.values()) + "}";
    }

    /** Display name, applicability and binding; every form method is on {@link RdsSyncStep.DescriptorImpl}. */
    @Extension
    public static final class DescriptorImpl extends BuildStepDescriptor<Builder> {

        /**
         * Binds the nested {@code sync} object through the step's descriptor, so the freestyle form gets the same
         * normalisation as the Snippet Generator (blank offset: the default, not 0; one database per line: a list).
         * Left to Stapler, the nested object reaches that normalisation only through Descriptor's bind interceptor,
         * which logs a failure there and falls back to binding the raw strings.
         */
        @Override
        public Builder newInstance(StaplerRequest2 req, @NonNull JSONObject formData) throws FormException {
            JSONObject sync = formData.optJSONObject("sync");
            if (sync == null || sync.isNullObject()) {
                return new RdsSyncBuilder(null);
            }
            RdsSyncStep.DescriptorImpl step = Jenkins.get().getDescriptorByType(RdsSyncStep.DescriptorImpl.class);
            return new RdsSyncBuilder((RdsSyncStep) step.newInstance(req, sync));
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
    }
}
