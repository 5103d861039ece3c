package io.jenkins.plugins.rdssync.core.db;

import java.util.Optional;

/**
 * Where a stopped or failed run left a script, kept across runs (the engine keeps it in the journal), so that a
 * resume continues after the last statement that ran instead of running the script's first statements twice.
 */
public interface SqlScriptCheckpoint {
    /** Nothing is kept: a resume runs the script from its first statement. */
    SqlScriptCheckpoint NONE = new SqlScriptCheckpoint() {
        @Override
        public Optional<String> load() {
            return Optional.empty();
        }

        @Override
        public void save(String value) {
        }

        @Override
        public boolean kept() {
            return false;
        }
    };

    /** What {@link #save} stored for this script, if anything. */
    Optional<String> load();

    void save(String value);

    /** Does a resume see what is saved? */
    default boolean kept() {
        return true;
    }
}
