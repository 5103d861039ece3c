package io.jenkins.plugins.rdssync.core.e2e;

import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.run.StageOutcome;
import io.jenkins.plugins.rdssync.core.run.SyncException;
import io.jenkins.plugins.rdssync.core.run.SyncListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps every event as a line, for assertions on what a user would read. Hooks ({@link #when}) run an action the
 * first time a line containing a text is recorded, in the engine's thread: a test can inject a fault or cancel at an
 * exact point of a run.
 */
public final class RecordingListener implements SyncListener {
    public final List<String> lines = new CopyOnWriteArrayList<>();
    public final List<StageOutcome> outcomes = new CopyOnWriteArrayList<>();
    public final List<SyncException> failures = new CopyOnWriteArrayList<>();
    private final List<Hook> hooks = new ArrayList<>();

    private record Hook(String text, Runnable action, boolean[] fired) {
    }

    /** Runs {@code action} once, the first time a recorded line contains {@code text}. */
    public synchronized RecordingListener when(String text, Runnable action) {
        hooks.add(new Hook(text, action, new boolean[1]));
        return this;
    }

    private void add(String line) {
        lines.add(line);
        List<Runnable> due = new ArrayList<>();
        synchronized (this) {
            for (Hook h : hooks) {
                if (!h.fired()[0] && line.contains(h.text())) {
                    h.fired()[0] = true;
                    due.add(h.action());
                }
            }
        }
        due.forEach(Runnable::run);
    }

    @Override
    public void stageStarted(StageName stage, int number, int total) {
        add("[" + number + "/" + total + " " + stage + "] started");
    }

    @Override
    public void log(StageName stage, String message) {
        add("[" + stage + "] " + message);
    }

    @Override
    public void warn(StageName stage, String message) {
        add("[" + stage + "] WARNING " + message);
    }

    @Override
    public void progress(StageName stage, String message, int percent) {
        add("[" + stage + "] " + message + " (" + percent + "%)");
    }

    @Override
    public void stageFinished(StageOutcome outcome) {
        outcomes.add(outcome);
        add("[" + outcome.stage() + "] " + outcome.status() + " " + outcome.summary());
    }

    @Override
    public void runFailed(SyncException failure) {
        failures.add(failure);
        add("FAILED " + failure.getMessage() + " / " + failure.hint());
    }

    public String text() {
        return String.join("\n", lines);
    }
}
