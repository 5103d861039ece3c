package io.jenkins.plugins.rdssync.core.run;

import java.util.List;

/**
 * Receives a run's events as they happen: the CLI prints them, the Jenkins plugin writes them to the build console.
 * The engine delivers events one at a time (never concurrently), even when stages overlap.
 */
public interface SyncListener {
    /** The stages this run will go through, in order. */
    default void runStarted(List<StageName> stages, boolean dryRun) {
    }

    default void stageStarted(StageName stage, int number, int total) {
    }

    /** A line of the stage's log. */
    default void log(StageName stage, String message) {
    }

    /** Something the user should look at, which does not stop the run. */
    default void warn(StageName stage, String message) {
    }

    /**
     * Progress of long work.
     *
     * @param percent 0–100, or -1 when the total is unknown
     */
    default void progress(StageName stage, String message, int percent) {
    }

    default void stageFinished(StageOutcome outcome) {
    }

    default void runFinished(SyncResult result) {
    }

    default void runFailed(SyncException failure) {
    }

    /** A listener that ignores everything. */
    SyncListener NONE = new SyncListener() {
    };
}
