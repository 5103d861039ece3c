package io.jenkins.plugins.rdssync.core.stage;

import io.jenkins.plugins.rdssync.core.run.StageName;

/**
 * One named step of a run. Each stage can tell from AWS and database state (and the journal) whether its work is
 * already done, so that a resumed run continues where the last one stopped.
 */
public interface Stage {
    StageName name();

    /** Nothing to do with this configuration (for example no migrations folder); the stage is shown as skipped. */
    default String skipReason(RunContext ctx) {
        return null;
    }

    /** On resume: is the work already done? Checked against AWS and the databases, not only the journal. */
    default boolean alreadyDone(RunContext ctx) throws Exception {
        return false;
    }

    /** Does the work. Returns a one-line summary for the stage table. */
    String run(RunContext ctx) throws Exception;

    /** Dry run: logs every AWS and SQL action the stage would take, changing nothing. */
    void plan(RunContext ctx) throws Exception;
}
