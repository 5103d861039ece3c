package io.jenkins.plugins.rdssync.core.run;

import io.jenkins.plugins.rdssync.core.spec.InvalidSpecException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * One run of the engine as the CLI and the Jenkins plugin both drive it: run it, never throw, and say how it ended
 * (finished, failed, stopped on request, refused as invalid), showing on the console what the engine did not show
 * itself (the failure block, a stop, an unexpected error).
 *
 * <p>"Stopped on request" means the caller's {@link Cancellation} was cancelled (Ctrl-C, Abort, shutdown). The engine
 * works with a child of it, so its own internal stops (the snapshot, when the backup failed) still count as failures.
 */
public final class SyncAttempt {

    /** The engine's run ({@code SyncEngine::run}, or a scripted one in tests). */
    @FunctionalInterface
    public interface Engine {
        SyncResult run(Cancellation cancellation) throws SyncException;
    }

    /** How a run ended. */
    public enum Kind {
        /** Finished (or, with dryRun, planned). */
        SUCCESS,
        /** Stopped by an error; the journal allows a resume. */
        FAILED,
        /** Stopped at a safe point because the caller asked. */
        CANCELLED,
        /** Refused before anything was touched: the engine found the configuration invalid. */
        INVALID
    }

    /**
     * @param result the result when the engine returned one, else {@code null}
     * @param stage title of the stage the run stopped in, or {@code null}
     * @param failure the engine's failure, when it raised one
     * @param invalid the problems, for {@link Kind#INVALID}
     */
    public record Outcome(Kind kind, SyncResult result, String stage, String message, String hint,
            SyncException failure, InvalidSpecException invalid) {
    }

    private SyncAttempt() {
    }

    /**
     * Runs the engine on the calling thread.
     *
     * @param currentStage title of the stage running now, for failures that do not name one ({@code () -> null} when
     *        not tracked)
     * @param stackTraces print the stack trace of an unexpected error
     */
    public static Outcome run(Engine engine, TextListener console, Cancellation cancellation,
            Supplier<String> currentStage, boolean stackTraces) {
        SyncResult result;
        try {
            result = engine.run(cancellation);
        } catch (SyncException | RuntimeException | LinkageError e) {
            return ended(e, cancellation, console, currentStage.get(), stackTraces);
        }
        return finished(result, console);
    }

    /**
     * Runs the engine on a thread of its own while this one asks {@code stopRequests} every {@code poll} whether to
     * stop: a reason (not {@code null}) cancels {@code cancellation} with it, and an interrupt of this thread cancels
     * it with {@code interruptReason} (the interrupt is restored on return). Either way this method waits until the engine has stopped at its
     * next safe point, so the journal is consistent when it returns.
     *
     * @param stopRequests asked until it gives a reason; it should answer quickly and not throw
     * @param threadName name of the engine's (daemon) thread
     */
    public static Outcome runWatched(Engine engine, TextListener console, Cancellation cancellation,
            Supplier<String> currentStage, boolean stackTraces, Supplier<String> stopRequests, Duration poll,
            String interruptReason, String threadName) {
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        boolean interrupted = false;
        try {
            Future<SyncResult> run = thread.submit(() -> engine.run(cancellation));
            while (true) {
                try {
                    return finished(run.get(poll.toMillis(), TimeUnit.MILLISECONDS), console);
                } catch (TimeoutException e) {
                    if (!cancellation.isCancelled()) {
                        String why = stopRequests.get();
                        if (why != null) {
                            cancellation.cancel(why);
                        }
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                    cancellation.cancel(interruptReason);
                } catch (ExecutionException e) {
                    return ended(e.getCause(), cancellation, console, currentStage.get(), stackTraces);
                }
            }
        } finally {
            thread.shutdown();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The engine returned: finished, unless a stage says it was cancelled. */
    static Outcome finished(SyncResult result, TextListener console) {
        if (!console.finishedShown()) {
            console.runFinished(result);
        }
        for (StageOutcome o : result.stages()) {
            if (o.status() == StageStatus.CANCELLED) {
                return new Outcome(Kind.CANCELLED, result, o.stage().title(), o.summary(), null, null, null);
            }
        }
        return new Outcome(Kind.SUCCESS, result, null, null, null, null, null);
    }

    /** The engine threw: what it means, shown on the console unless the engine already showed it. */
    static Outcome ended(Throwable failure, Cancellation cancellation, TextListener console, String currentStage,
            boolean stackTraces) {
        if (failure instanceof SyncException se) {
            if (!console.failureShown()) {
                console.runFailed(se);
            }
            String stage = se.stage() != null ? se.stage().title() : currentStage;
            Kind kind = cancellation.isCancelled() ? Kind.CANCELLED : Kind.FAILED;
            return new Outcome(kind, null, stage, se.getMessage(), se.hint(), se, null);
        }
        if (failure instanceof Cancellation.CancelledException) {
            console.cancelled(null, failure.getMessage());
            return new Outcome(Kind.CANCELLED, null, currentStage, failure.getMessage(), null, null, null);
        }
        if (failure instanceof InvalidSpecException e) {
            // the engine re-validated and refused: a configuration problem after all (the caller shows it)
            return new Outcome(Kind.INVALID, null, null, e.getMessage(), null, null, e);
        }
        if (cancellation.isCancelled()) {
            console.cancelled(null, cancellation.reason());
            return new Outcome(Kind.CANCELLED, null, currentStage, cancellation.reason(), null, null, null);
        }
        // not an expected failure (a bug, or an SDK client that could not even be built)
        console.internalError(failure, stackTraces);
        return new Outcome(Kind.FAILED, null, currentStage, String.valueOf(failure), null, null, null);
    }
}
