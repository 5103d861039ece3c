package io.jenkins.plugins.rdssync;

import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import hudson.util.DaemonThreadFactory;
import hudson.util.NamingThreadFactory;
import io.jenkins.plugins.rdssync.core.EngineOptions;
import io.jenkins.plugins.rdssync.core.SyncEngine;
import io.jenkins.plugins.rdssync.core.run.Cancellation;
import io.jenkins.plugins.rdssync.core.run.SecretMaskingOutputStream;
import io.jenkins.plugins.rdssync.core.run.SyncException;
import io.jenkins.plugins.rdssync.core.run.SyncResult;
import io.jenkins.plugins.rdssync.core.run.TextListener;
import io.jenkins.plugins.rdssync.core.spec.InvalidSpecException;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.io.File;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jenkins.MasterToSlaveFileCallable;

/**
 * Runs one sync where the workspace is (pipeline-utility-steps {@code ComputeHashCallable} style: a small static
 * class whose fields are all plain and serializable). It builds the core {@code SyncSpec} there, because the spec
 * holds {@link Path}s of that machine, renders the engine's events with core's {@link TextListener} through a
 * {@link SecretMaskingOutputStream}, and returns a {@link SyncOutcome} of plain values.
 *
 * <p>The engine runs on its own thread while this one polls the controller every {@value #POLL_SECONDS} seconds
 * ({@link SyncMonitor#stopRequested()}); Abort, an interrupt of this thread, a controller shutting down or a lost
 * channel all become {@link Cancellation#cancel(String)}: the engine stops at its next safe point with its journal
 * intact, and a later run with {@code resume: true} continues from there.
 *
 * <p>Outside {@code node} (no workspace) the same code runs on the controller through {@link #execute(Path)}.
 */
final class SyncCallable extends MasterToSlaveFileCallable<SyncOutcome> {
    private static final long serialVersionUID = 1L;
    static final int POLL_SECONDS = 2;

    private final SyncSettings settings;
    private final ResolvedCredentials credentials;
    private final String workDir;
    private final boolean resume;
    private final long emulatorRdsMinuteMillis;
    private final TaskListener listener;
    @SuppressFBWarnings(value = "SE_BAD_FIELD",
            justification = "a remoting proxy (serializable) on agents; never serialized in the controller JVM")
    private final SyncMonitor monitor;

    /**
     * @param workDir absolute path, on the machine that runs the sync, of the folder for the journal and the
     *        preserved-rows file
     * @param resume continue from the journal (the user asked, or the run is picking up after a restart)
     * @param emulatorRdsMinuteMillis above zero: engine timings for the test kit's RDS emulator (tests and demos)
     * @param monitor the controller's monitor, exported over the channel when the sync runs on an agent
     */
    SyncCallable(SyncSettings settings, ResolvedCredentials credentials, String workDir, boolean resume,
            long emulatorRdsMinuteMillis, TaskListener listener, SyncMonitor monitor) {
        this.settings = settings;
        this.credentials = credentials;
        this.workDir = workDir;
        this.resume = resume;
        this.emulatorRdsMinuteMillis = emulatorRdsMinuteMillis;
        this.listener = listener;
        this.monitor = monitor;
    }

    @Override
    public SyncOutcome invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
        return execute(workspace.toPath());
    }

    /**
     * Runs the sync in this JVM.
     *
     * @param workspace the workspace that SQL paths are relative to, or {@code null} when there is none
     */
    SyncOutcome execute(Path workspace) throws IOException {
        SecretMaskingOutputStream masked = new SecretMaskingOutputStream(listener.getLogger(),
                credentials.valuesToMask());
        PrintStream log = new PrintStream(masked, true, StandardCharsets.UTF_8);
        try {
            SyncSpec spec;
            try {
                SyncSpec.Builder b = SyncSpec.builder();
                settings.applyTo(b, workspace);
                credentials.applyTo(b);
                b.resume(resume || settings.isResume());
                b.workDir(Path.of(workDir));
                spec = b.build();
            } catch (InvalidSpecException e) {
                return SyncOutcome.invalid(e.getMessage());
            }
            // core's console rendering, as the CLI's: opening lines, stage headers, progress, summary or failure block
            TextListener console = new TextListener(new PrintWriter(new OutputStreamWriter(log, StandardCharsets.UTF_8),
                    true), Clock.systemDefaultZone(), spec, Messages.Runner_ResumeCommand());
            MonitoringListener events = new MonitoringListener(console, monitor);
            SyncEngine engine = SyncEngine.create(spec, events);
            if (emulatorRdsMinuteMillis > 0) {
                engine = engine.options(EngineOptions.forEmulator(Duration.ofMillis(emulatorRdsMinuteMillis)));
            }
            return runAndWatch(engine, console, events);
        } finally {
            log.flush();
            masked.drain();
        }
    }

    private SyncOutcome runAndWatch(SyncEngine engine, TextListener console, MonitoringListener events) {
        Cancellation cancellation = new Cancellation();
        // why we asked the engine to stop; the engine also cancels internally (a failed backup stops the snapshot),
        // so cancellation.isCancelled() alone does not mean "stopped on request"
        String stopReason = null;
        ExecutorService thread = Executors.newSingleThreadExecutor(
                new NamingThreadFactory(new DaemonThreadFactory(), "RDS Sync " + settings.getTarget()));
        boolean interrupted = false;
        boolean controllerLost = false;
        try {
            Future<SyncResult> run = thread.submit(() -> engine.run(cancellation));
            while (true) {
                try {
                    SyncResult result = run.get(POLL_SECONDS, TimeUnit.SECONDS);
                    return SyncOutcome.success(result.toPlainMap());
                } catch (TimeoutException e) {
                    if (!controllerLost && stopReason == null) {
                        String why;
                        try {
                            why = monitor.stopRequested();
                        } catch (RuntimeException lost) {
                            controllerLost = true;
                            why = "lost contact with the Jenkins controller";
                        }
                        if (why != null) {
                            stopReason = why;
                            cancellation.cancel(why);
                        }
                    }
                } catch (InterruptedException e) {
                    // Abort of a freestyle build, or the channel cancelling this call: stop at the next safe point,
                    // and keep waiting so the journal is consistent when we return
                    interrupted = true;
                    if (stopReason == null) {
                        stopReason = "the build was aborted";
                        cancellation.cancel(stopReason);
                    }
                } catch (ExecutionException e) {
                    return outcomeOf(e.getCause(), stopReason, console, events);
                }
            }
        } finally {
            thread.shutdown();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static SyncOutcome outcomeOf(Throwable failure, String stopReason, TextListener console,
            MonitoringListener events) {
        if (failure instanceof SyncException se) {
            if (!console.failureShown()) {
                console.runFailed(se);
            }
            String stage = se.stage() != null ? se.stage().title() : events.currentStage();
            return stopReason != null
                    ? SyncOutcome.cancelled(stage, se.getMessage(), se.hint())
                    : SyncOutcome.failed(stage, se.getMessage(), se.hint());
        }
        if (failure instanceof Cancellation.CancelledException) {
            console.cancelled(null, failure.getMessage());
            return SyncOutcome.cancelled(events.currentStage(), failure.getMessage(), null);
        }
        if (failure instanceof InvalidSpecException) {
            return SyncOutcome.invalid(failure.getMessage());
        }
        if (stopReason != null) {
            console.cancelled(null, stopReason);
            return SyncOutcome.cancelled(events.currentStage(), stopReason, null);
        }
        // not an expected failure (a bug, or an SDK client that could not even be built): the stack trace goes to
        // the (masked) log for the bug report
        console.internalError(failure, true);
        return SyncOutcome.failed(events.currentStage(), String.valueOf(failure), null);
    }
}
