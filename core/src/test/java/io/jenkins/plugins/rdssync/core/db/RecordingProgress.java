package io.jenkins.plugins.rdssync.core.db;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Collects what the database side reports (and echoes it when -Drdssync.verbose=true). */
class RecordingProgress implements DbProgress {
    final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    private final boolean echo = Boolean.getBoolean("rdssync.verbose");

    @Override
    public void log(String line) {
        lines.add(line);
        if (echo) {
            System.out.println("  | " + line);
        }
    }

    @Override
    public void warn(String line) {
        warnings.add(line);
        if (echo) {
            System.out.println("  ! " + line);
        }
    }

    @Override
    public void progress(String message, int percent) {
    }

    String all() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }
}
