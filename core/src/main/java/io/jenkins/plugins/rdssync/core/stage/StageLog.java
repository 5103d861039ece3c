package io.jenkins.plugins.rdssync.core.stage;

import io.jenkins.plugins.rdssync.core.db.DbProgress;
import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.run.SyncListener;

/**
 * A stage's voice: its log lines, warnings and progress go to the listener under the stage's name, through the run's
 * {@link Redaction} (no secret leaves the engine in a log line, whichever code wrote it).
 */
public final class StageLog implements DbProgress {
    private final SyncListener listener;
    private final StageName stage;
    private final Redaction redaction;
    private int lastPercent = -2;
    private String lastMessage;

    StageLog(SyncListener listener, StageName stage, Redaction redaction) {
        this.listener = listener;
        this.stage = stage;
        this.redaction = redaction;
    }

    @Override
    public void log(String line) {
        listener.log(stage, redaction.apply(line));
    }

    @Override
    public void warn(String line) {
        listener.warn(stage, redaction.apply(line));
    }

    /** Reports progress, dropping repeats so that polling does not flood the log. */
    @Override
    public synchronized void progress(String message, int percent) {
        if (percent == lastPercent && message.equals(lastMessage)) {
            return;
        }
        lastPercent = percent;
        lastMessage = message;
        listener.progress(stage, redaction.apply(message), percent);
    }
}
