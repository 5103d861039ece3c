package io.jenkins.plugins.rdssync.core.run;

/**
 * A run that stopped: which stage, what failed, and what the user can do next (fix and resume, or nothing to do).
 * Messages never contain secrets.
 */
public class SyncException extends Exception {
    private static final long serialVersionUID = 1L;

    private final StageName stage;
    private final String hint;

    public SyncException(StageName stage, String message, String hint, Throwable cause) {
        super(message, cause);
        this.stage = stage;
        this.hint = hint;
    }

    public SyncException(StageName stage, String message, String hint) {
        this(stage, message, hint, null);
    }

    /** The stage that failed, or null when the run failed before its first stage. */
    public StageName stage() {
        return stage;
    }

    /** What to do next, for example how to resume; may be null. */
    public String hint() {
        return hint;
    }
}
