package io.jenkins.plugins.rdssync;

import hudson.model.TaskListener;
import java.util.HashMap;
import java.util.Map;

/**
 * One sync per target at a time on this controller: a second build that wants the same target waits, saying for
 * which build, until the first is done (or is aborted itself). In memory only; after a restart the resumed syncs
 * take their locks again. Syncs started by other controllers or by the CLI are not seen: use lockable-resources'
 * {@code lock} step around the sync for those (docs/jenkins.md).
 *
 * <p>The waiting thread is a background thread of the step or a freestyle executor, never the Pipeline CPS thread.
 */
final class TargetLock {
    /** How often a waiting build checks whether it was aborted. */
    static final long CHECK_MILLIS = 1000;

    private static final Map<String, Holder> HOLDERS = new HashMap<>();

    private record Holder(String token, String build) {
    }

    private TargetLock() {
    }

    /** Released with {@link #close()}; idempotent. */
    static final class Lease implements AutoCloseable {
        private final String key;
        private final String token;
        private boolean closed;

        private Lease(String key, String token) {
            this.key = key;
            this.token = token;
        }

        @Override
        public void close() {
            synchronized (HOLDERS) {
                if (!closed) {
                    closed = true;
                    Holder h = HOLDERS.get(key);
                    if (h != null && h.token().equals(token)) {
                        HOLDERS.remove(key);
                    }
                    HOLDERS.notifyAll();
                }
            }
        }
    }

    /**
     * Waits until no other sync holds {@code key}, then holds it.
     *
     * @param token identifies the holder across a restart of the same step execution (re-entrant for it)
     * @param build shown to the builds that wait, e.g. "nightly-refresh #42"
     * @throws InterruptedException when this build is aborted while it waits
     */
    static Lease acquire(String key, String target, String token, String build, TaskListener listener,
            RunMonitor monitor) throws InterruptedException {
        synchronized (HOLDERS) {
            boolean announced = false;
            while (true) {
                Holder h = HOLDERS.get(key);
                if (h == null || h.token().equals(token)) {
                    break;
                }
                if (!announced) {
                    listener.getLogger().println(Messages.TargetLock_Waiting(target, h.build()));
                    monitor.waitingFor(h.build());
                    announced = true;
                }
                if (monitor.isStopRequested()) {
                    throw new InterruptedException(monitor.stopRequested());
                }
                HOLDERS.wait(CHECK_MILLIS);
            }
            HOLDERS.put(key, new Holder(token, build));
            if (announced) {
                listener.getLogger().println(Messages.TargetLock_Acquired(target));
            }
            monitor.lockAcquired();
            return new Lease(key, token);
        }
    }
}
