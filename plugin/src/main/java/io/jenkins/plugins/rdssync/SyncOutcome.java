package io.jenkins.plugins.rdssync;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a sync ended, as plain values that travel back from the agent: the result's plain map on success, otherwise
 * the stage it stopped in, what happened and what to do next. Never contains an SDK object or a secret.
 */
public final class SyncOutcome implements Serializable {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** Finished (or, with dryRun, planned). */
        SUCCESS,
        /** Stopped by an error; the journal allows a resume. */
        FAILED,
        /** Stopped at a safe point on request (Abort, Jenkins shutting down, lost controller). */
        CANCELLED,
        /** Refused before anything was touched: bad configuration. */
        INVALID
    }

    private final Kind kind;
    private final LinkedHashMap<String, Object> result;
    private final String stage;
    private final String message;
    private final String hint;

    private SyncOutcome(Kind kind, Map<String, Object> result, String stage, String message, String hint) {
        this.kind = kind;
        this.result = result == null ? null : new LinkedHashMap<>(result);
        this.stage = stage;
        this.message = message;
        this.hint = hint;
    }

    static SyncOutcome success(Map<String, Object> plainResult) {
        return new SyncOutcome(Kind.SUCCESS, plainResult, null, null, null);
    }

    static SyncOutcome failed(String stage, String message, String hint) {
        return new SyncOutcome(Kind.FAILED, null, stage, message, hint);
    }

    static SyncOutcome cancelled(String stage, String message, String hint) {
        return new SyncOutcome(Kind.CANCELLED, null, stage, message, hint);
    }

    static SyncOutcome invalid(String message) {
        return new SyncOutcome(Kind.INVALID, null, null, message, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The run's plain result ({@code SyncResult.toPlainMap()}), or {@code null} unless {@link Kind#SUCCESS}. */
    public Map<String, Object> result() {
        return result;
    }

    /** Title of the stage the run stopped in, or {@code null}. */
    public String stage() {
        return stage;
    }

    public String message() {
        return message;
    }

    public String hint() {
        return hint;
    }

    @Override
    public String toString() {
        return kind + (stage != null ? " in " + stage : "") + (message != null ? ": " + message : "");
    }
}
