package io.jenkins.plugins.rdssync.testkit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Fault switches, set from tests. Every method returns {@code this} for chaining; {@link #reset()} clears all.
 * Action names are Query API action names ({@code "RestoreDBInstanceFromDBSnapshot"}); {@code "*"} means any action.
 */
public final class RdsFaults {
    private static final String ANY = "*";

    private final RdsBackend backend;
    private final Object lock = new Object();
    private final Map<String, Integer> throttles = new HashMap<>();
    private final Map<String, Deque<Failure>> failures = new HashMap<>();
    private final Map<String, Set<String>> holds = new HashMap<>();
    private final Map<String, List<Runnable>> parked = new HashMap<>();
    private final Map<String, Double> slow = new HashMap<>();
    private final Deque<String> restoreOutcomes = new ArrayDeque<>();
    private final Deque<Long> recent = new ArrayDeque<>();
    private double maxRequestsPerSecond;
    private double dnsPropagationMinutes;
    private double staleDnsCacheMinutes;

    private static final class Failure {
        final int status;
        final String code;
        final String message;
        int remaining;

        Failure(int status, String code, String message, int remaining) {
            this.status = status;
            this.code = code;
            this.message = message;
            this.remaining = remaining;
        }
    }

    RdsFaults(RdsBackend backend) {
        this.backend = backend;
    }

    /** The next {@code n} requests (any action) are answered {@code Throttling} (HTTP 400), which the SDK retries. */
    public RdsFaults throttleNext(int n) {
        return throttleNext(ANY, n);
    }

    /** The next {@code n} requests of this action are answered {@code Throttling} (HTTP 400). */
    public RdsFaults throttleNext(String action, int n) {
        synchronized (lock) {
            throttles.merge(action, n, Integer::sum);
        }
        return this;
    }

    /**
     * The next {@code n} requests of this action fail with a server error: 500 answers
     * {@code InternalFailure}, 503 answers {@code ServiceUnavailable} (both Type Receiver; the SDK retries them).
     */
    public RdsFaults failNext(String action, int n, int httpStatus) {
        RdsApiException e = RdsApiException.serverError(httpStatus);
        return failNext(action, n, httpStatus, e.code, e.getMessage());
    }

    /** The next {@code n} requests of this action fail with this status, error code and message. */
    public RdsFaults failNext(String action, int n, int httpStatus, String errorCode, String message) {
        synchronized (lock) {
            failures.computeIfAbsent(action, k -> new ArrayDeque<>())
                    .add(new Failure(httpStatus, errorCode, message, n));
        }
        return this;
    }

    /**
     * The next {@code n} requests of this action that name this DB instance or snapshot identifier (as
     * {@code DBInstanceIdentifier} or {@code DBSnapshotIdentifier}) fail with this status, error code and message;
     * requests naming other resources pass.
     */
    public RdsFaults failNext(String action, String identifier, int n, int httpStatus, String errorCode,
            String message) {
        return failNext(action + "@" + key(identifier), n, httpStatus, errorCode, message);
    }

    /**
     * Above this many requests per second (over the last second), requests are answered {@code Throttling}.
     * 0 (the default) turns the limit off.
     */
    public RdsFaults maxRequestsPerSecond(double perSecond) {
        synchronized (lock) {
            maxRequestsPerSecond = perSecond;
            recent.clear();
        }
        return this;
    }

    /**
     * Keeps the DB instance or snapshot with this identifier in {@code status} once it gets there (or now, if it
     * is there): it does not move on until {@link #release(String)}.
     */
    public RdsFaults hold(String id, String status) {
        synchronized (lock) {
            holds.computeIfAbsent(key(id), k -> new HashSet<>()).add(status);
        }
        return this;
    }

    /**
     * Puts a DB instance into {@code status} now (e.g. {@code "storage-full"}, {@code "modifying"}) and keeps it
     * there until {@link #release(String)}: Describe shows it, and actions check it, like RDS would.
     */
    public RdsFaults forceStatus(String instanceId, String status) {
        backend.forceStatus(instanceId, status);
        return this;
    }

    /** Ends every {@link #hold} and {@link #forceStatus} for this identifier; held transitions go on. */
    public RdsFaults release(String id) {
        List<Runnable> run;
        synchronized (lock) {
            holds.remove(key(id));
            run = parked.remove(key(id));
        }
        backend.forceStatus(id, null);
        if (run != null) {
            run.forEach(backend::runAsync);
        }
        return this;
    }

    /**
     * The next RestoreDBInstanceFromDBSnapshot ends in this status instead of {@code available}:
     * {@code "incompatible-restore"} or {@code "failed"} (the restored server is not reachable).
     */
    public RdsFaults failNextRestore(String finalStatus) {
        synchronized (lock) {
            restoreOutcomes.add(finalStatus);
        }
        return this;
    }

    /** Makes every timed phase shown as this status (e.g. {@code "creating"}) last {@code factor} times longer. */
    public RdsFaults slow(String status, double factor) {
        synchronized (lock) {
            slow.put(status, factor);
        }
        return this;
    }

    /** Cuts every live MySQL connection to this DB instance now (its endpoint keeps accepting new ones). */
    public RdsFaults dropConnections(String instanceId) {
        backend.dropConnections(instanceId);
        return this;
    }

    /**
     * After a rename takes effect, the new name answers only this many RDS minutes later: DNS propagation (RDS User
     * Guide, "Renaming a DB instance": the new DNS name becomes effective after about 10 minutes). Default 0.
     */
    public RdsFaults dnsPropagation(double rdsMinutes) {
        synchronized (lock) {
            dnsPropagationMinutes = rdsMinutes;
        }
        return this;
    }

    /**
     * After a rename takes effect, the old name keeps reaching the renamed instance for this many RDS minutes: a
     * resolver that cached the deleted DNS record (same page: it may stay cached for a few minutes). While it lasts
     * it wins over a newer record of the name, as it does for the clients that cached it. Default 0.
     */
    public RdsFaults staleDnsCache(double rdsMinutes) {
        synchronized (lock) {
            staleDnsCacheMinutes = rdsMinutes;
        }
        return this;
    }

    /** Clears every switch (and releases every hold). */
    public RdsFaults reset() {
        List<String> ids;
        synchronized (lock) {
            throttles.clear();
            failures.clear();
            slow.clear();
            restoreOutcomes.clear();
            maxRequestsPerSecond = 0;
            dnsPropagationMinutes = 0;
            staleDnsCacheMinutes = 0;
            recent.clear();
            ids = new ArrayList<>(holds.keySet());
            ids.addAll(parked.keySet());
        }
        ids.forEach(this::release);
        backend.releaseAllForced();
        return this;
    }

    // ---- used by the emulator ----

    /** Throws the fault this request gets, if any. */
    void beforeRequest(String action, Params params) {
        synchronized (lock) {
            if (maxRequestsPerSecond > 0) {
                long now = System.nanoTime();
                while (!recent.isEmpty() && now - recent.peekFirst() > 1_000_000_000L) {
                    recent.pollFirst();
                }
                recent.addLast(now);
                if (recent.size() > maxRequestsPerSecond) {
                    throw RdsApiException.throttling();
                }
            }
            for (String k : new String[] {action, ANY}) {
                Integer n = throttles.get(k);
                if (n != null && n > 0) {
                    if (n == 1) {
                        throttles.remove(k);
                    } else {
                        throttles.put(k, n - 1);
                    }
                    throw RdsApiException.throttling();
                }
            }
            String named = params.str("DBInstanceIdentifier") != null ? params.str("DBInstanceIdentifier")
                    : params.str("DBSnapshotIdentifier");
            String targeted = named == null ? null : action + "@" + key(named);
            for (String k : new String[] {targeted, action, ANY}) {
                Deque<Failure> q = k == null ? null : failures.get(k);
                if (q == null) {
                    continue;
                }
                for (Iterator<Failure> it = q.iterator(); it.hasNext(); ) {
                    Failure f = it.next();
                    if (f.remaining <= 0) {
                        it.remove();
                        continue;
                    }
                    f.remaining--;
                    if (f.remaining == 0) {
                        it.remove();
                    }
                    throw new RdsApiException(f.status, f.code, f.message);
                }
            }
        }
    }

    long dnsPropagationNanos() {
        synchronized (lock) {
            return (long) (dnsPropagationMinutes * backend.cfg.rdsMinuteNanos);
        }
    }

    long staleDnsCacheNanos() {
        synchronized (lock) {
            return (long) (staleDnsCacheMinutes * backend.cfg.rdsMinuteNanos);
        }
    }

    double slowFactor(String status) {
        synchronized (lock) {
            return status == null ? 1.0 : slow.getOrDefault(status, 1.0);
        }
    }

    String takeRestoreOutcome() {
        synchronized (lock) {
            return restoreOutcomes.pollFirst();
        }
    }

    /** Runs {@code next} now, or parks it until the hold on (id, status) is released. */
    void whenReleased(String id, String status, Runnable next) {
        synchronized (lock) {
            Set<String> s = holds.get(key(id));
            if (s != null && s.contains(status)) {
                parked.computeIfAbsent(key(id), k -> new ArrayList<>()).add(next);
                return;
            }
        }
        next.run();
    }

    private static String key(String id) {
        return id.toLowerCase(Locale.ROOT);
    }
}
