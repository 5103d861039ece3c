package io.jenkins.plugins.rdssync.cli;

/** The documented exit codes of {@code rds-sync} (docs/cli.md). */
public final class ExitCodes {
    /** The sync (or plan, or demo) succeeded. */
    public static final int OK = 0;
    /** The sync failed (or the demo's checks failed); the output names the stage and how to resume. */
    public static final int FAILED = 1;
    /** Bad configuration file or command-line usage; nothing was changed. */
    public static final int CONFIG = 2;
    /** Cancelled (Ctrl-C, SIGTERM): the run stopped at a safe point and can be resumed with {@code --resume}. */
    public static final int CANCELLED = 3;

    private ExitCodes() {
    }
}
