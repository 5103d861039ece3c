package io.jenkins.plugins.rdssync.core.aws;

import java.time.Duration;

/**
 * How often the engine asks RDS while waiting: exponential backoff from {@code first} to {@code max}. The defaults
 * cost about two Describe calls per waited minute; tests against the emulator use milliseconds.
 */
public record Polling(Duration first, Duration max) {
    public static final Polling DEFAULT = new Polling(Duration.ofSeconds(5), Duration.ofSeconds(30));

    public Polling {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("polling needs 0 < first <= max");
        }
    }
}
