package io.jenkins.plugins.rdssync.cli;

import java.util.HashMap;
import java.util.Map;

/**
 * Where the command reads environment variables. A seam: tests and the demo hand in their own values instead of
 * changing the real process environment.
 */
@FunctionalInterface
public interface Env {
    /** @return the variable's value, or null when it is not set */
    String get(String name);

    /** The process environment. */
    static Env system() {
        return System::getenv;
    }

    /** Exactly these variables. */
    static Env of(Map<String, String> values) {
        Map<String, String> copy = new HashMap<>(values);
        return copy::get;
    }

    /** These variables, falling back to {@code this} for the others. */
    default Env with(Map<String, String> overrides) {
        Map<String, String> copy = new HashMap<>(overrides);
        Env fallback = this;
        return name -> copy.containsKey(name) ? copy.get(name) : fallback.get(name);
    }
}
