package io.jenkins.plugins.rdssync.core.run;

import java.util.List;

/** Delivers events one at a time, so listeners need not be thread-safe while stages overlap. */
public final class SerialListener implements SyncListener {
    private final SyncListener delegate;

    private SerialListener(SyncListener delegate) {
        this.delegate = delegate;
    }

    public static SyncListener of(SyncListener l) {
        return l instanceof SerialListener ? l : new SerialListener(l);
    }

    @Override
    public synchronized void runStarted(List<StageName> stages, boolean dryRun) {
        delegate.runStarted(stages, dryRun);
    }

    @Override
    public synchronized void stageStarted(StageName stage, int number, int total) {
        delegate.stageStarted(stage, number, total);
    }

    @Override
    public synchronized void log(StageName stage, String message) {
        delegate.log(stage, message);
    }

    @Override
    public synchronized void warn(StageName stage, String message) {
        delegate.warn(stage, message);
    }

    @Override
    public synchronized void progress(StageName stage, String message, int percent) {
        delegate.progress(stage, message, percent);
    }

    @Override
    public synchronized void stageFinished(StageOutcome outcome) {
        delegate.stageFinished(outcome);
    }

    @Override
    public synchronized void runFinished(SyncResult result) {
        delegate.runFinished(result);
    }

    @Override
    public synchronized void runFailed(SyncException failure) {
        delegate.runFailed(failure);
    }
}
