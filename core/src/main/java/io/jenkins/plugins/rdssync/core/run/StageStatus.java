package io.jenkins.plugins.rdssync.core.run;

/** How a stage ended. */
public enum StageStatus {
    /** The stage did its work. */
    DONE,
    /** Its work was found already done (resume) and was not repeated. */
    ALREADY_DONE,
    /** Nothing to do with this configuration (for example no migrations folder). */
    SKIPPED,
    /** Dry run: described, not executed. */
    PLANNED,
    FAILED,
    CANCELLED
}
