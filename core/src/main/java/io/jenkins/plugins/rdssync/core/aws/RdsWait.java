package io.jenkins.plugins.rdssync.core.aws;

import io.jenkins.plugins.rdssync.core.run.Cancellation;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.waiters.Waiter;
import software.amazon.awssdk.core.waiters.WaiterAcceptor;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.DbSnapshotNotFoundException;

/**
 * Waits on RDS with the SDK's waiter machinery (backoff, overall timeout) and our own acceptors, because the SDK's
 * ready-made RDS waiters give up after 30 minutes, cannot report progress and do not know the traps we wait
 * through (a restored instance turning available, then backing-up; a renamed instance being briefly not found).
 * Every poll reports what it saw and honours cancellation. A poll that fails the way a later one may not (throttling
 * beyond the SDK's own retries, a 5xx, a network error) counts as "not yet": a nightly job would rather wait than
 * fail on a describe call.
 */
public final class RdsWait {
    /** Is this a state from which an instance never becomes available by waiting? ({@link RdsStates}) */
    public static boolean isDeadEnd(String status) {
        return RdsStates.isDeadEnd(status);
    }

    /** Waiting for "usable" ends at once in these: a dead end, stopped (nobody starts it), or being deleted. */
    private static boolean hopeless(InstanceInfo i, boolean stoppedPasses) {
        RdsStates.Kind kind = RdsStates.kindOf(i.status());
        return kind == RdsStates.Kind.DEAD_END || kind == RdsStates.Kind.STOPPED && !stoppedPasses
                || RdsStates.DELETING.equals(i.status());
    }

    private static String hopelessMessage(String id, InstanceInfo i) {
        return "DB instance " + id + " is " + i.status() + (i.isStopped()
                ? "; it stays so until it is started (StartDBInstance, or Start in the RDS console)"
                : "; it will not become available by waiting");
    }

    private final RdsGateway rds;
    private final Polling polling;
    private final Cancellation cancellation;

    public RdsWait(RdsGateway rds, Polling polling, Cancellation cancellation) {
        this.rds = rds;
        this.polling = polling;
        this.cancellation = cancellation;
    }

    /**
     * The same waits, deaf to cancellation: for the few moments where stopping would do more harm than finishing
     * (between the two renames of a swap, acceptance has no instance under its name).
     */
    public RdsWait ignoringCancellation() {
        return new RdsWait(rds, polling, new Cancellation());
    }

    /**
     * The same waits polling at the shortest interval throughout, without backoff: for the minutes while acceptance
     * does not answer, where a poll that comes 30 s late is 30 s more downtime (a few dozen more Describe calls).
     */
    public RdsWait steady() {
        return new RdsWait(rds, new Polling(polling.first(), polling.first()), cancellation);
    }

    /**
     * Until the instance is available. "Not found" is waited through (a rename in progress); a dead-end state fails
     * at once, naming it.
     */
    public InstanceInfo untilAvailable(String id, Duration timeout, Consumer<InstanceInfo> onPoll) {
        return untilUsable(id, timeout, onPoll, false);
    }

    /** Until an instance that StartDBInstance was just called for is available (stopped may show for a moment). */
    public InstanceInfo untilStarted(String id, Duration timeout, Consumer<InstanceInfo> onPoll) {
        return untilUsable(id, timeout, onPoll, true);
    }

    private InstanceInfo untilUsable(String id, Duration timeout, Consumer<InstanceInfo> onPoll,
            boolean stoppedPasses) {
        AtomicReference<InstanceInfo> last = new AtomicReference<>();
        InstanceInfo info = run(InstanceInfo.class, () -> {
            cancellation.check();
            InstanceInfo i = rds.instance(id).orElseThrow(() -> DbInstanceNotFoundException.builder()
                    .message("DB instance " + id + " not found").build());
            last.set(i);
            onPoll.accept(i);
            return i;
        }, new Acceptors<InstanceInfo>()
                .success(InstanceInfo::isAvailable)
                .failure(i -> hopeless(i, stoppedPasses), i -> hopelessMessage(id, i))
                .retryOn(DbInstanceNotFoundException.class),
                timeout, () -> "DB instance " + id + " to become available (last status: "
                        + (last.get() == null ? "not found" : last.get().status()) + ")");
        return info;
    }

    /**
     * Until the instance has stayed available for {@code settle}: RDS reports a fresh restore (or a modification)
     * as available, then moves it to backing-up or modifying a moment later.
     */
    public InstanceInfo untilSettled(String id, Duration settle, Duration timeout, Consumer<InstanceInfo> onPoll) {
        return untilBackAvailable(id, settle, false, timeout, onPoll, "to become available and stay so");
    }

    /**
     * Until a modification (a password reset, a retention change) has been applied: the instance left "available"
     * and came back, or, if no poll saw it leave (RDS may apply a small change between two polls, or report the old
     * status for a moment after the call), it stayed available for {@code settle}. Unlike a fresh restore, a
     * modification that does not turn on backups is not followed by a backup, so one return to available suffices.
     */
    public InstanceInfo untilModified(String id, Duration settle, Duration timeout, Consumer<InstanceInfo> onPoll) {
        return untilBackAvailable(id, settle, true, timeout, onPoll, "to apply the modification");
    }

    /** Available for {@code settle}, or, with {@code returnSuffices}, available again after a poll saw it leave. */
    private InstanceInfo untilBackAvailable(String id, Duration settle, boolean returnSuffices, Duration timeout,
            Consumer<InstanceInfo> onPoll, String what) {
        AtomicReference<Boolean> left = new AtomicReference<>(false);
        AtomicReference<java.time.Instant> availableSince = new AtomicReference<>();
        AtomicReference<InstanceInfo> last = new AtomicReference<>();
        return run(InstanceInfo.class, () -> {
            cancellation.check();
            InstanceInfo i = rds.instance(id).orElseThrow(() -> DbInstanceNotFoundException.builder()
                    .message("DB instance " + id + " not found").build());
            last.set(i);
            onPoll.accept(i);
            if (!i.isAvailable()) {
                left.set(true);
                availableSince.set(null);
            } else if (availableSince.get() == null) {
                availableSince.set(java.time.Instant.now());
            }
            return i;
        }, new Acceptors<InstanceInfo>()
                .success(i -> i.isAvailable() && availableSince.get() != null && (returnSuffices && left.get()
                        || !java.time.Instant.now().isBefore(availableSince.get().plus(settle))))
                .failure(i -> hopeless(i, false), i -> hopelessMessage(id, i))
                .retryOn(DbInstanceNotFoundException.class),
                timeout, () -> "DB instance " + id + " " + what + " (last status: "
                        + (last.get() == null ? "not found" : last.get().status()) + ")");
    }

    /**
     * Until the instance is usable and its parameter group is applied: ParameterApplyStatus {@code in-sync} or
     * {@code pending-reboot}; a restore or a modification reads {@code applying} first (shared/RDS-FACTS.md,
     * aws-controllers-k8s/community#1949), so one look at it right after proves nothing.
     */
    public InstanceInfo untilParametersApplied(String id, Duration timeout, Consumer<InstanceInfo> onPoll) {
        AtomicReference<InstanceInfo> last = new AtomicReference<>();
        return run(InstanceInfo.class, () -> {
            cancellation.check();
            InstanceInfo i = rds.instance(id).orElseThrow(() -> DbInstanceNotFoundException.builder()
                    .message("DB instance " + id + " not found").build());
            last.set(i);
            onPoll.accept(i);
            return i;
        }, new Acceptors<InstanceInfo>()
                .success(i -> i.isAvailable() && !i.applyingParameters())
                .failure(i -> hopeless(i, false), i -> hopelessMessage(id, i))
                .retryOn(DbInstanceNotFoundException.class),
                timeout, () -> "the parameter group of " + id + " to be applied (last: "
                        + (last.get() == null ? "not found" : last.get().status() + ", parameters "
                                + last.get().parameterApplyStatus()) + ")");
    }

    /** Until a stopping instance is stopped (StartDBInstance is refused while it is stopping). */
    public InstanceInfo untilStopped(String id, Duration timeout, Consumer<InstanceInfo> onPoll) {
        return run(InstanceInfo.class, () -> {
            cancellation.check();
            InstanceInfo i = rds.instance(id).orElseThrow(() -> DbInstanceNotFoundException.builder()
                    .message("DB instance " + id + " not found").build());
            onPoll.accept(i);
            return i;
        }, new Acceptors<InstanceInfo>().success(InstanceInfo::isStopped)
                .failure(i -> RdsStates.isDeadEnd(i.status()), i -> hopelessMessage(id, i)),
                timeout, () -> "DB instance " + id + " to be stopped");
    }

    /** Until {@code check} answers true (for example: a database login succeeds at a new endpoint). */
    public void until(String what, Duration timeout, java.util.function.BooleanSupplier check) {
        run(Boolean.class, () -> {
            cancellation.check();
            return check.getAsBoolean();
        }, new Acceptors<Boolean>().success(Boolean::booleanValue), timeout, () -> what);
    }

    /** Until the instance no longer exists. */
    public void untilGone(String id, Duration timeout, Consumer<InstanceInfo> onPoll) {
        untilNotFound(id, timeout, onPoll, "DB instance " + id + " to be deleted");
    }

    /**
     * Until no instance answers to {@code id} any more: a rename away from it has taken effect, so another instance
     * may take the name. The renamed instance may still be rebooting under its new name.
     */
    public void untilNameFree(String id, Duration timeout, Consumer<InstanceInfo> onPoll) {
        untilNotFound(id, timeout, onPoll, "the name " + id + " to be free after its rename");
    }

    private void untilNotFound(String id, Duration timeout, Consumer<InstanceInfo> onPoll, String what) {
        AtomicReference<String> last = new AtomicReference<>("unknown");
        run(InstanceInfo.class, () -> {
            cancellation.check();
            InstanceInfo i = rds.instance(id).orElseThrow(() -> DbInstanceNotFoundException.builder()
                    .message("not found").build());
            last.set(i.status());
            onPoll.accept(i);
            return i;
        }, new Acceptors<InstanceInfo>().successOn(DbInstanceNotFoundException.class), timeout,
                () -> what + " (last status: " + last.get() + ")");
    }

    /** Until the snapshot is available, reporting its progress. */
    public SnapshotInfo untilSnapshotAvailable(String id, Duration timeout, Consumer<SnapshotInfo> onPoll) {
        AtomicReference<SnapshotInfo> last = new AtomicReference<>();
        return run(SnapshotInfo.class, () -> {
            cancellation.check();
            SnapshotInfo s = rds.snapshot(id).orElseThrow(() -> DbSnapshotNotFoundException.builder()
                    .message("DB snapshot " + id + " not found").build());
            last.set(s);
            onPoll.accept(s);
            return s;
        }, new Acceptors<SnapshotInfo>()
                .success(SnapshotInfo::isAvailable)
                .failure(s -> Set.of("failed", "deleting", "deleted", "incompatible-restore").contains(s.status()),
                        s -> "DB snapshot " + id + " is " + s.status())
                .retryOn(DbSnapshotNotFoundException.class),
                timeout, () -> "DB snapshot " + id + " to become available (last: "
                        + (last.get() == null ? "not found" : last.get().status() + " " + last.get().percentProgress()
                                + "%") + ")");
    }

    /** Until the snapshot no longer exists. */
    public void untilSnapshotGone(String id, Duration timeout) {
        run(SnapshotInfo.class, () -> {
            cancellation.check();
            return rds.snapshot(id).orElseThrow(() -> DbSnapshotNotFoundException.builder().message("gone").build());
        }, new Acceptors<SnapshotInfo>().successOn(DbSnapshotNotFoundException.class), timeout,
                () -> "DB snapshot " + id + " to be deleted");
    }

    private <T> T run(Class<T> type, Supplier<T> poll, Acceptors<T> acceptors, Duration timeout,
            Supplier<String> what) {
        Waiter.Builder<T> builder = Waiter.builder(type);
        acceptors.list.forEach(builder::addAcceptor);
        // a describe that failed for a passing reason: try again at the next poll
        builder.addAcceptor(WaiterAcceptor.retryOnExceptionAcceptor(e -> e instanceof AwsFailure f && f.retryable()));
        // any other answer means "not yet" (the generic waiter, unlike the generated ones, fails on no match)
        builder.addAcceptor(WaiterAcceptor.retryOnResponseAcceptor(r -> true));
        // anything else thrown by a poll (cancellation, access denied, ...) ends the wait as it is
        Waiter<T> waiter = builder.overrideConfiguration(WaiterOverrideConfiguration.builder()
                .maxAttempts(Integer.MAX_VALUE)
                .waitTimeout(timeout)
                .backoffStrategyV2(BackoffStrategy.exponentialDelayWithoutJitter(polling.first(), polling.max()))
                .build()).build();
        try {
            var response = waiter.run(poll);
            if (response.matched().response().isPresent()) {
                return response.matched().response().get();
            }
            return null; // success on an exception ("gone")
        } catch (SdkClientException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Cancellation.CancelledException c) {
                throw c;
            }
            if (cause instanceof RuntimeException r && !(cause instanceof SdkClientException)) {
                throw r;
            }
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("max wait time") || msg.contains("max retry attempts")) {
                throw new WaitTimeoutException("Timed out after " + format(timeout) + " waiting for " + what.get());
            }
            if (acceptors.failureMessage.get() != null) {
                throw new WaitFailedException(acceptors.failureMessage.get());
            }
            throw e;
        }
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        return s >= 120 ? (s / 60) + " min" : s >= 1 ? s + " s" : d.toMillis() + " ms";
    }

    /** Acceptors with the failure message remembered (the SDK's message for a failure state is generic). */
    private static final class Acceptors<T> {
        final java.util.List<WaiterAcceptor<? super T>> list = new java.util.ArrayList<>();
        final AtomicReference<String> failureMessage = new AtomicReference<>();

        Acceptors<T> success(java.util.function.Predicate<T> p) {
            list.add(WaiterAcceptor.successOnResponseAcceptor(p));
            return this;
        }

        Acceptors<T> failure(java.util.function.Predicate<T> p, java.util.function.Function<T, String> message) {
            list.add(WaiterAcceptor.errorOnResponseAcceptor(t -> {
                if (p.test(t)) {
                    failureMessage.set(message.apply(t));
                    return true;
                }
                return false;
            }));
            return this;
        }

        Acceptors<T> retryOn(Class<? extends Throwable> type) {
            list.add(WaiterAcceptor.retryOnExceptionAcceptor(type::isInstance));
            return this;
        }

        Acceptors<T> successOn(Class<? extends Throwable> type) {
            list.add(WaiterAcceptor.successOnExceptionAcceptor(type::isInstance));
            return this;
        }
    }
}
