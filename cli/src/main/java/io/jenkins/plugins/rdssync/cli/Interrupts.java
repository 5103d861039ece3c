package io.jenkins.plugins.rdssync.cli;

import io.jenkins.plugins.rdssync.core.run.Cancellation;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Turns Ctrl-C (SIGINT) and SIGTERM into {@link Cancellation#cancel(String)} through a JVM shutdown hook, then holds
 * the JVM until the engine has stopped at its next safe point, so that the journal is consistent and the run can be
 * resumed. When the work has stopped, the hook can end the process with the work's exit code
 * ({@link ExitCodes#CANCELLED}) rather than the shell's 130 — but only where no other shutdown hook must finish
 * (the emulator registers one that stops its MariaDB servers, so the demo and the emulator command do not halt).
 * <p>
 * Use one per command: {@code try (Interrupts i = Interrupts.install(...)) { ...; i.finished(code); }}.
 */
final class Interrupts implements AutoCloseable {
    static final String REASON = "interrupted by Ctrl-C or SIGTERM";
    /** How long the hook waits for the engine to reach a safe point before letting the JVM exit anyway. */
    static final long GRACE_SECONDS = 180;

    private final Cancellation cancellation;
    private final Consumer<String> onInterrupt;
    private final Runnable flush;
    private final boolean exitWithCode;
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;
    private volatile int exitCode = ExitCodes.CANCELLED;
    private volatile boolean interrupted;

    private Interrupts(Cancellation cancellation, Consumer<String> onInterrupt, Runnable flush,
            boolean exitWithCode) {
        this.cancellation = cancellation;
        this.exitWithCode = exitWithCode;
        this.onInterrupt = onInterrupt;
        this.flush = flush;
        this.hook = new Thread(this::onShutdown, "rds-sync-interrupt");
    }

    /**
     * @param onInterrupt told the reason when the interrupt arrives (prints "stopping at the next safe point")
     * @param flush flushes the console before the process ends
     * @param exitWithCode end the process with the work's exit code once it stopped (else the JVM's, 130)
     */
    static Interrupts install(Cancellation cancellation, Consumer<String> onInterrupt, Runnable flush,
            boolean exitWithCode) {
        Interrupts i = new Interrupts(cancellation, onInterrupt, flush, exitWithCode);
        Runtime.getRuntime().addShutdownHook(i.hook);
        return i;
    }

    /** The work has stopped (at the end, or at a safe point after an interrupt) with this exit code. */
    void finished(int code) {
        exitCode = code;
        done.countDown();
    }

    boolean interrupted() {
        return interrupted;
    }

    private void onShutdown() {
        if (done.getCount() == 0) {
            return; // a normal exit
        }
        interrupted = true;
        cancellation.cancel(REASON);
        try {
            onInterrupt.accept(REASON);
        } catch (RuntimeException e) {
            // printing must not keep us from waiting
        }
        try {
            if (done.await(GRACE_SECONDS, TimeUnit.SECONDS)) {
                flush.run();
                if (exitWithCode) {
                    Runtime.getRuntime().halt(exitCode);
                }
            } else {
                System.err.println("rds-sync: the run did not reach a safe point within " + GRACE_SECONDS
                        + " s; exiting now. Resume it with --resume.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        done.countDown();
        if (!interrupted) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down
            }
        }
    }
}
