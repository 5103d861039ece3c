package io.jenkins.plugins.rdssync.core.run;

import java.io.Serializable;

/** One stage's end: status, duration and a one-line summary. */
public record StageOutcome(StageName stage, StageStatus status, double seconds, String summary)
        implements Serializable {
}
