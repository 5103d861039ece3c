package io.jenkins.plugins.rdssync.core.run;

/**
 * A request to stop, honoured at the next safe point (between AWS calls, between batches of rows). The CLI cancels
 * on Ctrl-C, the Jenkins plugin on Abort.
 * <p>
 * The engine works with a {@link #child()} of the caller's cancellation: it sees the caller's stop, and the engine
 * can stop its own parallel work (the snapshot, when the backup failed) without the caller's cancellation saying
 * that the user stopped the run.
 */
public final class Cancellation {
    private final Cancellation parent;
    private volatile String reason;

    public Cancellation() {
        this(null);
    }

    private Cancellation(Cancellation parent) {
        this.parent = parent;
    }

    /** A cancellation that is cancelled when this one is; cancelling it leaves this one alone. */
    public Cancellation child() {
        return new Cancellation(this);
    }

    public void cancel(String why) {
        if (!isCancelled()) {
            reason = why == null ? "cancelled" : why;
        }
    }

    public boolean isCancelled() {
        return reason != null || (parent != null && parent.isCancelled());
    }

    /** Why it was cancelled (the first reason given), or null. */
    public String reason() {
        String own = reason;
        return own != null ? own : parent == null ? null : parent.reason();
    }

    /** Was it the caller (the user, through the parent) who cancelled, rather than the engine itself? */
    public boolean cancelledByCaller() {
        return parent == null ? reason != null : parent.isCancelled();
    }

    /** @throws CancelledException when a stop was requested */
    public void check() {
        String r = reason();
        if (r != null) {
            throw new CancelledException(r);
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
