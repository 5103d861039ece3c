package io.jenkins.plugins.rdssync.core.run;

/**
 * A request to stop, honoured at the next safe point (between AWS calls, between batches of rows). The CLI cancels
 * on Ctrl-C, the Jenkins plugin on Abort.
 */
public final class Cancellation {
    private volatile String reason;

    public void cancel(String why) {
        if (reason == null) {
            reason = why == null ? "cancelled" : why;
        }
    }

    public boolean isCancelled() {
        return reason != null;
    }

    public String reason() {
        return reason;
    }

    /** @throws CancelledException when a stop was requested */
    public void check() {
        if (reason != null) {
            throw new CancelledException(reason);
        }
    }

    /** Thrown at a safe point after {@link #cancel(String)}. */
    public static final class CancelledException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public CancelledException(String reason) {
            super(reason);
        }
    }
}
