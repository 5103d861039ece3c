package io.jenkins.plugins.rdssync;

import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.security.ACL;
import hudson.util.DaemonThreadFactory;
import hudson.util.NamingThreadFactory;
import io.jenkins.plugins.rdssync.core.run.StageName;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.security.ImpersonatingExecutorService;
import jenkins.util.ContextResettingExecutorService;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * A running {@code syncRdsInstance} that can outlive a controller restart (the SleepStep pattern; a
 * {@code SynchronousNonBlockingStepExecution} cannot resume):
 * <ul>
 * <li>{@link #start()} only hands the work to a background thread and returns: no network, no waiting on the CPS
 * thread.</li>
 * <li>Persisted with the Pipeline program: the settings (plain values, no secrets), the lock token, whether the sync
 * had begun (its journal records this run) and the stage it was in. The thread, its {@link Future} and the
 * {@link RunMonitor} are transient.</li>
 * <li>{@link #onResume()} starts the sync again after a restart; if it had begun, with {@code resume} so core
 * continues from the journal in the work folder. Credentials are resolved again, never saved.</li>
 * <li>{@link #stop(Throwable)} (Abort) asks the sync to stop at its next safe point and finishes the step with the
 * abort once it has; a second Abort stops waiting.</li>
 * <li>{@link #getStatus()} says what it is doing: waiting for another build, the stage, stopping.</li>
 * </ul>
 */
@SuppressFBWarnings(value = "SE_TRANSIENT_FIELD_NOT_RESTORED",
        justification = "the thread, its future and the monitor are re-created by onResume()")
public final class RdsSyncStepExecution extends StepExecution {
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(RdsSyncStepExecution.class.getName());

    private static final ExecutorService THREADS = new ContextResettingExecutorService(
            new ImpersonatingExecutorService(Executors.newCachedThreadPool(
                    new NamingThreadFactory(new DaemonThreadFactory(), "RDS Sync step")), ACL.SYSTEM2));

    private final SyncSettings settings;
    private final String lockToken = UUID.randomUUID().toString();
    /**
     * True once a stage after Preflight started, that is once core's journal records this run: from then on a
     * restart resumes from the journal (before, a journal there may belong to an earlier run).
     */
    private volatile boolean begun;
    /** Title of the stage last started, for the status and the resume message. */
    private volatile String stage;

    private transient volatile RunMonitor monitor;
    private transient volatile Future<?> task;
    private transient volatile Throwable stopCause;

    RdsSyncStepExecution(StepContext context, SyncSettings settings) {
        super(context);
        this.settings = settings;
    }

    @Override
    public boolean start() {
        launch(false);
        return false;
    }

    @Override
    public void onResume() {
        launch(true);
    }

    private void launch(boolean afterRestart) {
        RunMonitor m = new RunMonitor(title -> {
            stage = title;
            if (!StageName.PREFLIGHT.title().equals(title)) {
                begun = true;
            }
        });
        monitor = m;
        task = THREADS.submit(() -> work(m, afterRestart));
    }

    private void work(RunMonitor m, boolean afterRestart) {
        StepContext context = getContext();
        try {
            Run<?, ?> run = context.get(Run.class);
            TaskListener listener = context.get(TaskListener.class);
            FilePath workspace = context.get(FilePath.class);
            boolean resume = afterRestart && begun;
            if (afterRestart) {
                listener.getLogger().println(resume
                        ? Messages.Step_Resuming(settings.getTarget(), stage == null ? "-" : stage)
                        : Messages.Step_Restarting(settings.getTarget()));
            }
            Map<String, Object> result = SyncRunner.run(run, workspace, listener, settings, resume, lockToken, m,
                    true);
            context.onSuccess(result);
        } catch (SyncRunner.StoppedForShutdown e) {
            // Jenkins is going down: leave the step running; onResume() picks it up from the journal. SyncRunner
            // printed the line while the shutdown still waited for it.
            LOGGER.log(Level.FINE, "RDS sync of {0} paused for shutdown", settings.getTarget());
        } catch (Throwable t) {
            Throwable abort = stopCause;
            context.onFailure(abort != null ? abort : t);
        }
    }

    private void printQuietly(String line) {
        try {
            TaskListener listener = getContext().get(TaskListener.class);
            if (listener != null) {
                listener.getLogger().println(line);
            }
        } catch (Exception e) { // IOException, InterruptedException: the line is a nicety
            LOGGER.log(Level.FINE, null, e);
        }
    }

    @Override
    public void stop(Throwable cause) throws Exception {
        if (stopCause == null) {
            stopCause = cause;
        }
        RunMonitor m = monitor;
        Future<?> t = task;
        if (m == null || t == null || t.isDone()) {
            getContext().onFailure(cause);
            return;
        }
        if (m.isStopRequested()) {
            // a second Abort: stop waiting for the safe point (the sync still stops there, unobserved)
            t.cancel(true);
        } else {
            m.requestStop(Messages.Runner_AbortReason(), true);
            printQuietly(Messages.Runner_AbortRequested());
        }
    }

    @Override
    public String getStatus() {
        RunMonitor m = monitor;
        if (m != null) {
            return settings.getSource() + " \u2192 " + settings.getTarget() + ": " + m.describe();
        }
        return stage != null ? "about to resume in stage " + stage : "not started";
    }
}
