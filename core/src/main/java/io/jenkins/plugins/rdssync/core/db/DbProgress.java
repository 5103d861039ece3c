package io.jenkins.plugins.rdssync.core.db;

/**
 * Where the database operations report to: the lines the user sees in the build log (rows copied, durations) and
 * progress of long operations.
 */
public interface DbProgress {

    /** Reports nothing (tests, dry runs). */
    DbProgress NONE = new DbProgress() {
        @Override
        public void log(String line) {
        }

        @Override
        public void progress(String message, int percent) {
        }
    };

    /** One line for the build log. */
    void log(String line);

    /**
     * Progress of a long operation.
     *
     * @param percent 0-100, or -1 when unknown
     */
    void progress(String message, int percent);

    /** Something the user should look at, though the operation goes on. */
    default void warn(String line) {
        log("WARNING: " + line);
    }
}
