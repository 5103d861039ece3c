package io.jenkins.plugins.rdssync.core.stage;

/**
 * An expected failure a stage detected itself, with the field of the public interface to fix when the cause is
 * the configuration.
 */
public class StageFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public StageFailure(String field, String message) {
        super(message);
        this.field = field;
    }

    public StageFailure(String message) {
        this(null, message);
    }

    /** The configuration field to fix, or null when the cause is not the configuration. */
    public String field() {
        return field;
    }
}
