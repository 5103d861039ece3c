package io.jenkins.plugins.rdssync.core.e2e;

import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.run.StageOutcome;
import io.jenkins.plugins.rdssync.core.run.SyncException;
import io.jenkins.plugins.rdssync.core.run.SyncListener;
import java.util.ArrayList;
import java.util.List;

/** Keeps every event as a line, for assertions on what a user would read. */
final class RecordingListener implements SyncListener {
    final List<String> lines = new ArrayList<>();
    final List<StageOutcome> outcomes = new ArrayList<>();

    @Override
    public void stageStarted(StageName stage, int number, int total) {
        lines.add("[" + number + "/" + total + " " + stage + "] started");
    }

    @Override
    public void log(StageName stage, String message) {
        lines.add("[" + stage + "] " + message);
    }

    @Override
    public void warn(StageName stage, String message) {
        lines.add("[" + stage + "] WARNING " + message);
    }

    @Override
    public void progress(StageName stage, String message, int percent) {
        lines.add("[" + stage + "] " + message + " (" + percent + "%)");
    }

    @Override
    public void stageFinished(StageOutcome outcome) {
        outcomes.add(outcome);
        lines.add("[" + outcome.stage() + "] " + outcome.status() + " " + outcome.summary());
    }

    @Override
    public void runFailed(SyncException failure) {
        lines.add("FAILED " + failure.getMessage() + " / " + failure.hint());
    }

    String text() {
        return String.join("\n", lines);
    }
}
