package io.jenkins.plugins.rdssync;

import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.run.StageOutcome;
import io.jenkins.plugins.rdssync.core.run.SyncException;
import io.jenkins.plugins.rdssync.core.run.SyncListener;
import io.jenkins.plugins.rdssync.core.run.SyncResult;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Passes every engine event to the console renderer and tells the controller about stage starts and ends. A lost
 * controller (restart, agent disconnect) must not break the run: failures to reach it are logged and ignored, and
 * the poll of {@link SyncMonitor#stopRequested()} turns them into a stop at the next safe point.
 */
final class MonitoringListener implements SyncListener {
    private static final Logger LOGGER = Logger.getLogger(MonitoringListener.class.getName());

    private final SyncListener console;
    private final SyncMonitor monitor;
    /** Stages started and not finished, in start order (Snapshot runs while Backup starts and ends). */
    private final Set<String> running = new LinkedHashSet<>();
    private String lastStarted;

    MonitoringListener(SyncListener console, SyncMonitor monitor) {
        this.console = console;
        this.monitor = monitor;
    }

    /** Title of the earliest stage running now (else the last one started), or {@code null} before the first. */
    synchronized String currentStage() {
        return running.isEmpty() ? lastStarted : running.iterator().next();
    }

    @Override
    public void runStarted(List<StageName> stages, boolean dryRun) {
        console.runStarted(stages, dryRun);
    }

    @Override
    public void stageStarted(StageName stage, int number, int total) {
        synchronized (this) {
            running.add(stage.title());
            lastStarted = stage.title();
        }
        console.stageStarted(stage, number, total);
        try {
            monitor.stageStarted(stage.title(), number, total);
        } catch (RuntimeException e) {
            LOGGER.log(Level.FINE, "could not report the start of " + stage + " to the controller", e);
        }
    }

    @Override
    public void log(StageName stage, String message) {
        console.log(stage, message);
    }

    @Override
    public void warn(StageName stage, String message) {
        console.warn(stage, message);
    }

    @Override
    public void progress(StageName stage, String message, int percent) {
        console.progress(stage, message, percent);
    }

    @Override
    public void stageFinished(StageOutcome outcome) {
        synchronized (this) {
            running.remove(outcome.stage().title());
        }
        console.stageFinished(outcome);
        try {
            monitor.stageFinished(outcome.stage().title(), outcome.status().name(), outcome.seconds(),
                    outcome.summary());
        } catch (RuntimeException e) {
            LOGGER.log(Level.FINE, "could not report the end of " + outcome.stage() + " to the controller", e);
        }
    }

    @Override
    public void runFinished(SyncResult result) {
        console.runFinished(result);
    }

    @Override
    public void runFailed(SyncException failure) {
        console.runFailed(failure);
    }
}
