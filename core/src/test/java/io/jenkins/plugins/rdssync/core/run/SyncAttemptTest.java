package io.jenkins.plugins.rdssync.core.run;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.rdssync.core.spec.InvalidSpecException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.Test;

/** How a run ended, as the CLI and the Jenkins plugin both see it, with scripted engines. */
public class SyncAttemptTest {
    private final StringWriter sw = new StringWriter();
    private final TextListener console = new TextListener(new PrintWriter(sw, true), Clock.systemUTC(), null, null);
    private final Cancellation cancellation = new Cancellation();

    private static SyncResult result(StageStatus status) {
        return new SyncResult("acc.example", 3306, "acc", "prod-rds-sync", Map.of(),
                List.of(new StageOutcome(StageName.RESTORE, status, 1.0, "summary")), 2.0, false);
    }

    private SyncAttempt.Outcome run(SyncAttempt.Engine engine) {
        return SyncAttempt.run(engine, console, cancellation, () -> "Restore", false);
    }

    @Test
    public void finishedRunsSucceedAndTheSummaryIsShown() {
        SyncAttempt.Outcome o = run(c -> result(StageStatus.DONE));
        assertEquals(SyncAttempt.Kind.SUCCESS, o.kind());
        assertEquals("acc", o.result().instance());
        assertTrue(console.finishedShown());
    }

    @Test
    public void aCancelledStageInAResultIsACancelledRun() {
        SyncAttempt.Outcome o = run(c -> result(StageStatus.CANCELLED));
        assertEquals(SyncAttempt.Kind.CANCELLED, o.kind());
        assertEquals("Restore", o.stage());
        assertNotNull(o.result());
    }

    @Test
    public void anEngineFailureIsFailedUnlessTheCallerStoppedTheRun() {
        SyncException e = new SyncException(StageName.BACKUP, "Backup failed: disk full", "free space, then resume");
        SyncAttempt.Outcome o = run(c -> {
            throw e;
        });
        assertEquals(SyncAttempt.Kind.FAILED, o.kind());
        assertEquals("Backup", o.stage());
        assertEquals("free space, then resume", o.hint());
        assertSame(e, o.failure());
        assertTrue(console.failureShown());

        cancellation.cancel("Ctrl-C");
        assertEquals(SyncAttempt.Kind.CANCELLED, run(c -> {
            throw e;
        }).kind());
    }

    @Test
    public void theEnginesOwnStopIsStillAFailure() {
        // the engine cancels a child (the snapshot when the backup failed); the caller's cancellation is untouched
        SyncAttempt.Outcome o = run(c -> {
            c.child().cancel("stopped because the backup failed");
            throw new SyncException(StageName.SNAPSHOT, "Cancelled in stage Snapshot", null);
        });
        assertEquals(SyncAttempt.Kind.FAILED, o.kind());
    }

    @Test
    public void invalidSpecsAreInvalidAndLeftToTheCallerToShow() {
        SyncAttempt.Outcome o = run(c -> {
            throw new InvalidSpecException("target", "must differ from source");
        });
        assertEquals(SyncAttempt.Kind.INVALID, o.kind());
        assertNotNull(o.invalid());
        assertEquals("", sw.toString());
    }

    @Test
    public void unexpectedErrorsAreFailuresOrStopsWhenTheCallerAskedToStop() {
        SyncAttempt.Outcome o = run(c -> {
            throw new IllegalStateException("bug");
        });
        assertEquals(SyncAttempt.Kind.FAILED, o.kind());
        assertEquals("Restore", o.stage());
        assertTrue(o.message().contains("bug"));

        cancellation.cancel("the build was aborted");
        SyncAttempt.Outcome stopped = run(c -> {
            throw new IllegalStateException("interrupted I/O");
        });
        assertEquals(SyncAttempt.Kind.CANCELLED, stopped.kind());
        assertEquals("the build was aborted", stopped.message());
        assertNull(stopped.result());
    }

    /** An engine that works until it is cancelled, then stops at its "safe point". */
    private static SyncResult untilCancelled(Cancellation c, CountDownLatch started) throws SyncException {
        started.countDown();
        while (true) {
            try {
                c.check();
                Thread.sleep(5);
            } catch (Cancellation.CancelledException e) {
                throw new SyncException(StageName.SNAPSHOT, "Cancelled in stage Snapshot: " + e.getMessage(), null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SyncException(StageName.SNAPSHOT, "interrupted", null);
            }
        }
    }

    @Test
    public void aStopRequestIsPolledAndTheRunEndsAtItsSafePoint() {
        AtomicInteger polls = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        SyncAttempt.Outcome o = SyncAttempt.runWatched(c -> untilCancelled(c, started), console, cancellation,
                () -> null, false, () -> polls.incrementAndGet() < 3 ? null : "Jenkins is shutting down",
                Duration.ofMillis(10), "aborted", "engine");
        assertEquals(SyncAttempt.Kind.CANCELLED, o.kind());
        assertEquals("Snapshot", o.stage());
        assertEquals("Jenkins is shutting down", cancellation.reason());
        assertEquals(3, polls.get());
    }

    @Test
    public void anInterruptCancelsWaitsForTheSafePointAndIsKept() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<SyncAttempt.Outcome> outcome = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            outcome.set(SyncAttempt.runWatched(c -> untilCancelled(c, started), console, cancellation, () -> null,
                    false, () -> null, Duration.ofSeconds(5), "the build was aborted", "engine"));
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        caller.start();
        assertTrue(started.await(10, TimeUnit.SECONDS));
        caller.interrupt();
        caller.join(10_000);
        assertFalse(caller.isAlive());
        assertEquals(SyncAttempt.Kind.CANCELLED, outcome.get().kind());
        assertEquals("the build was aborted", cancellation.reason());
        assertTrue(stillInterrupted.get());
    }
}
