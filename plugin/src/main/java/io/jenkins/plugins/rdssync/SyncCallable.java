package io.jenkins.plugins.rdssync;

import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.rdssync.core.EngineOptions;
import io.jenkins.plugins.rdssync.core.SyncEngine;
import io.jenkins.plugins.rdssync.core.run.Cancellation;
import io.jenkins.plugins.rdssync.core.run.SecretMaskingOutputStream;
import io.jenkins.plugins.rdssync.core.run.SyncAttempt;
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
 * intact, and a later run with {@code resume: true} continues from there. The loop and how a run ended are core's
 * {@link SyncAttempt}, shared with the CLI.
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

    /**
     * Runs the engine with core's {@link SyncAttempt#runWatched} (the same classification as the CLI), asking the
     * controller every {@value #POLL_SECONDS} seconds whether to stop; a controller that cannot be reached is a stop.
     */
    private SyncOutcome runAndWatch(SyncEngine engine, TextListener console, MonitoringListener events) {
        SyncAttempt.Outcome o = SyncAttempt.runWatched(engine::run, console, new Cancellation(),
                events::currentStage, true, this::stopRequested, Duration.ofSeconds(POLL_SECONDS),
                "the build was aborted", "RDS Sync " + settings.getTarget());
        return switch (o.kind()) {
            case SUCCESS -> SyncOutcome.success(o.result().toPlainMap());
            case FAILED -> SyncOutcome.failed(o.stage(), o.message(), o.hint());
            case CANCELLED -> SyncOutcome.cancelled(o.stage(), o.message(), o.hint());
            case INVALID -> SyncOutcome.invalid(o.message());
        };
    }

    private String stopRequested() {
        try {
            return monitor.stopRequested();
        } catch (RuntimeException lost) {
            return "lost contact with the Jenkins controller";
        }
    }
}
