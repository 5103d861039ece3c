package io.jenkins.plugins.rdssync;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.FilePath;
import hudson.model.Computer;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import hudson.security.ACL;
import hudson.slaves.WorkspaceList;
import hudson.util.DaemonThreadFactory;
import hudson.util.NamingThreadFactory;
import io.jenkins.plugins.rdssync.core.spec.SpecValidator;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.security.ImpersonatingExecutorService;
import jenkins.util.ContextResettingExecutorService;

/**
 * The one implementation behind the Pipeline step and the freestyle builder (as warnings-ng's {@code IssuesRecorder}
 * and {@code RecordIssuesStep} share one scanner): resolve credentials on the controller, take the target lock,
 * run {@link SyncCallable} on the workspace's machine (or on the controller when there is no workspace), keep the
 * build's {@link SyncAction} current, and turn the outcome into a return value or a clean failure.
 *
 * <p>Blocking; callers run it on a background thread (the step) or an executor thread (freestyle), never on the
 * Pipeline CPS thread. An interrupt of the calling thread asks the sync to stop at its next safe point and keeps
 * waiting for it; a second interrupt stops waiting.
 */
public final class SyncRunner {
    private static final Logger LOGGER = Logger.getLogger(SyncRunner.class.getName());

    /** Engine timings of the test kit's RDS emulator, for tests and demos (milliseconds of one "RDS minute"). */
    static final String EMULATOR_PROPERTY = SyncRunner.class.getName() + ".emulatorRdsMinuteMillis";

    /** Runs the agent call, so the thread that waits for it can be interrupted on its own (abort handling). */
    private static final ExecutorService CALLS = new ContextResettingExecutorService(new ImpersonatingExecutorService(
            Executors.newCachedThreadPool(new NamingThreadFactory(new DaemonThreadFactory(), "RDS Sync call")),
            ACL.SYSTEM2));

    private SyncRunner() {
    }

    /**
     * Thrown when Jenkins shut down while the sync ran: it stopped at a safe point and a Pipeline step resumes it
     * from the journal after the restart, so the step must not fail.
     */
    static final class StoppedForShutdown extends AbortException {
        private static final long serialVersionUID = 1L;

        StoppedForShutdown(String message) {
            super(message);
        }
    }

    /**
     * Runs one sync to its end.
     *
     * @param workspace the workspace to run in (its machine runs the sync), or {@code null} to run on the controller
     *        without workspace files
     * @param resumeFromJournal continue from the journal even if the settings do not say {@code resume}
     *        (a Pipeline step picking up after a restart)
     * @param lockToken identifies this sync to {@link TargetLock} (stable across a restart of the same step)
     * @param resumesAfterRestart the caller continues the sync after a controller restart (the Pipeline step): on
     *        shutdown the console says so here, before the shutdown goes on (a line printed after
     *        {@link RunMonitor#done()} would race Jenkins closing the build's log)
     * @return the plain result ({@code SyncResult.toPlainMap()})
     * @throws AbortException expected failures, with a message naming the field or the stage and what to do
     * @throws InterruptedException the build was aborted (after the sync stopped at a safe point)
     */
    static Map<String, Object> run(Run<?, ?> run, @CheckForNull FilePath workspace, TaskListener listener,
            SyncSettings settings, boolean resumeFromJournal, String lockToken, RunMonitor monitor,
            boolean resumesAfterRestart) throws IOException, InterruptedException {
        PrintStream log = listener.getLogger();
        String target = settings.getTarget();
        String targetProblem = SpecValidator.instanceIdProblem(target);
        if (targetProblem != null) {
            throw new AbortException("target: " + targetProblem);
        }
        try {
            ResolvedCredentials credentials = CredentialResolver.resolve(run, settings);
            SyncAction action = SyncAction.attach(run, settings, resumeFromJournal);
            monitor.register(action);
            try (TargetLock.Lease lease = lock(run, listener, settings, lockToken, monitor, action,
                    resumesAfterRestart)) {
                boolean resume = resumeFromJournal || settings.isResume();
                log.println(Messages.Runner_Starting(settings.getSource(), target, where(workspace),
                        resume ? Messages.Runner_ResumeNote() : ""));
                Future<SyncOutcome> call;
                if (workspace != null) {
                    VirtualChannel channel = workspace.getChannel();
                    if (channel == null) {
                        throw new AbortException(Messages.Runner_AgentLost(workspace.getRemote()));
                    }
                    SyncMonitor remote = channel.export(SyncMonitor.class, monitor);
                    SyncCallable callable = new SyncCallable(settings, credentials, workDir(workspace, target), resume,
                            emulatorRdsMinuteMillis(), listener, remote);
                    call = CALLS.submit(() -> workspace.act(callable));
                } else {
                    File dir = new File(run.getParent().getRootDir(), "rds-sync" + File.separator + target);
                    SyncCallable callable = new SyncCallable(settings, credentials, dir.getAbsolutePath(), resume,
                            emulatorRdsMinuteMillis(), listener, monitor);
                    call = CALLS.submit(() -> callable.execute(null));
                }
                SyncOutcome outcome;
                try {
                    outcome = await(call, monitor, log);
                } catch (IOException | InterruptedException | RuntimeException e) {
                    // a second Abort (stopped waiting), a lost agent, a bug
                    action.finished(e instanceof InterruptedException
                            ? SyncOutcome.cancelled(monitor.currentStage(), e.getMessage(), null)
                            : SyncOutcome.failed(monitor.currentStage(), e.getMessage(), null));
                    saveQuietly(run);
                    throw e;
                }
                action.finished(outcome);
                saveQuietly(run);
                return handle(outcome, monitor, log, resumesAfterRestart);
            }
        } finally {
            monitor.done();
        }
    }

    private static TargetLock.Lease lock(Run<?, ?> run, TaskListener listener, SyncSettings settings,
            String lockToken, RunMonitor monitor, SyncAction action, boolean resumesAfterRestart)
            throws AbortException, InterruptedException {
        try {
            return TargetLock.acquire(settings.lockKey(), settings.getTarget(), lockToken, run.getFullDisplayName(),
                    listener, monitor);
        } catch (InterruptedException e) {
            if (monitor.isShutdown()) {
                throw shutdown(Messages.Runner_ShutdownWhileWaiting(settings.getTarget()), listener.getLogger(),
                        resumesAfterRestart);
            }
            action.finished(SyncOutcome.cancelled(null, e.getMessage(), null));
            throw e;
        }
    }

    private static SyncOutcome await(Future<SyncOutcome> call, RunMonitor monitor, PrintStream log)
            throws IOException, InterruptedException {
        while (true) {
            try {
                return call.get();
            } catch (InterruptedException e) {
                if (monitor.isStopRequested()) {
                    // asked before (a second Abort, or shutdown): stop waiting for the safe point
                    call.cancel(true);
                    throw e;
                }
                monitor.requestStop(Messages.Runner_AbortReason(), true);
                log.println(Messages.Runner_AbortRequested());
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof IOException io) {
                    // the channel to the agent broke (disconnect, agent restart); the agent stops the engine itself
                    throw new AbortException(Messages.Runner_AgentLost(io.getMessage()));
                }
                if (cause instanceof InterruptedException ie) {
                    throw ie;
                }
                throw new IOException(cause);
            }
        }
    }

    /**
     * The console already shows the engine's failure block (message, stage table, hint, how to resume); what is
     * thrown here is the one line Jenkins prints at the end of the build.
     */
    private static Map<String, Object> handle(SyncOutcome outcome, RunMonitor monitor, PrintStream log,
            boolean resumesAfterRestart) throws AbortException, InterruptedException {
        String stage = outcome.stage() != null ? outcome.stage() : monitor.currentStage();
        String stageText = stage != null ? stage : "-";
        switch (outcome.kind()) {
            case SUCCESS:
                return outcome.result();
            case INVALID:
                throw new AbortException(outcome.message());
            case FAILED:
                throw new AbortException(Messages.Runner_Failed(stageText, outcome.message()));
            default: // CANCELLED
                if (monitor.isShutdown()) {
                    throw shutdown(Messages.Runner_ShutdownStop(stageText), log, resumesAfterRestart);
                }
                String stopped = Messages.Runner_Cancelled(stageText);
                if (monitor.isUserAbort()) {
                    log.println(stopped);
                    throw new InterruptedException(stopped);
                }
                throw new AbortException(stopped);
        }
    }

    /** Says on the console that the sync stopped for the shutdown (when the caller resumes it), while it still can. */
    private static StoppedForShutdown shutdown(String line, PrintStream log, boolean resumesAfterRestart) {
        if (resumesAfterRestart) {
            log.println(line);
            log.flush();
        }
        return new StoppedForShutdown(line);
    }

    /**
     * Journal and preserved-rows file: beside the workspace ({@code <workspace>@tmp/rds-sync/<target>}), so that
     * {@code deleteDir()} or a fresh checkout keeps them and a later build on the same agent can resume.
     */
    static String workDir(FilePath workspace, String target) throws IOException, InterruptedException {
        FilePath tmp = WorkspaceList.tempDir(workspace);
        FilePath base = tmp != null ? tmp : workspace.child(".rds-sync");
        FilePath dir = base.child("rds-sync").child(target);
        dir.mkdirs();
        return dir.getRemote();
    }

    private static String where(FilePath workspace) {
        if (workspace == null) {
            return Messages.Runner_OnController();
        }
        Computer c = workspace.toComputer();
        String name = c == null ? "" : c.getDisplayName();
        return Messages.Runner_OnNode(name, workspace.getRemote());
    }

    static long emulatorRdsMinuteMillis() {
        return Long.getLong(EMULATOR_PROPERTY, 0L);
    }

    private static void saveQuietly(Run<?, ?> run) {
        try {
            run.save();
        } catch (IOException e) {
            // the action is saved with the build at its end anyway
            LOGGER.log(Level.FINE, "could not save " + run, e);
        }
    }
}
