package io.jenkins.plugins.rdssync;

import hudson.init.Terminator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The controller's monitor of one running sync (see {@link SyncMonitor}). Lives only in memory: it records stage
 * changes on the build's {@link SyncAction} and in the Pipeline step's status, and holds the stop request that the
 * running sync polls. On Jenkins shutdown every running sync is asked to stop at its next safe point, so its journal
 * is consistent when the Pipeline step resumes it after the restart.
 */
final class RunMonitor implements SyncMonitor {
    private static final Logger LOGGER = Logger.getLogger(RunMonitor.class.getName());
    /** How long shutdown waits for running syncs to reach a safe point. */
    static final long SHUTDOWN_WAIT_SECONDS = Long.getLong(RunMonitor.class.getName() + ".shutdownWaitSeconds", 60);

    private static final Set<RunMonitor> ACTIVE = ConcurrentHashMap.newKeySet();

    private final Consumer<String> stageSink;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile SyncAction action;
    private volatile String stopReason;
    private volatile boolean shutdown;
    private volatile boolean userAbort;
    /** Stages started and not finished, in start order (Snapshot runs while Backup starts and ends). */
    private final Map<String, Integer> running = new LinkedHashMap<>();
    private volatile String stage;
    private volatile int stageNumber;
    private volatile int stageTotal;
    private volatile String waitingFor;

    /**
     * @param stageSink told the {@linkplain #currentStage() current stage} whenever a stage starts or ends (the
     *        Pipeline step persists it), may be {@code null}
     */
    RunMonitor(Consumer<String> stageSink) {
        this.stageSink = stageSink;
    }

    void register(SyncAction a) {
        this.action = a;
        ACTIVE.add(this);
    }

    /** Called once the sync has ended, whatever the outcome. */
    void done() {
        ACTIVE.remove(this);
        finished.countDown();
    }

    /** Asks the running sync to stop at its next safe point (Abort). The first reason given wins. */
    void requestStop(String reason, boolean byUser) {
        if (stopReason == null) {
            stopReason = reason;
            userAbort = byUser;
        }
    }

    boolean isStopRequested() {
        return stopReason != null;
    }

    boolean isShutdown() {
        return shutdown;
    }

    boolean isUserAbort() {
        return userAbort;
    }

    void waitingFor(String holder) {
        waitingFor = holder;
        SyncAction a = action;
        if (a != null) {
            a.waiting(holder);
        }
    }

    void lockAcquired() {
        waitingFor = null;
        SyncAction a = action;
        if (a != null) {
            a.running();
        }
    }

    /** For {@code StepExecution.getStatus()}. */
    String describe() {
        if (waitingFor != null) {
            return "waiting for " + waitingFor + " to finish with the same target";
        }
        if (stopReason != null) {
            return "stopping at the next safe point (" + stopReason + ")" + (stage != null ? ", in stage " + stage : "");
        }
        if (stage != null) {
            return "stage " + stageNumber + "/" + stageTotal + ": " + stage;
        }
        return "starting";
    }

    /** The earliest stage still running, else the last one started; {@code null} before the first. */
    String currentStage() {
        return stage;
    }

    @Override
    public String stopRequested() {
        return stopReason;
    }

    @Override
    public void stageStarted(String title, int number, int total) {
        synchronized (running) {
            running.put(title, number);
            showEarliestRunning();
        }
        stageTotal = total;
        SyncAction a = action;
        if (a != null) {
            a.stageStarted(title, number, total);
            save(a);
        }
        tellSink();
    }

    private void tellSink() {
        if (stageSink != null) {
            stageSink.accept(stage);
        }
    }

    @Override
    public void stageFinished(String title, String status, double seconds, String summary) {
        synchronized (running) {
            running.remove(title);
            showEarliestRunning();
        }
        SyncAction a = action;
        if (a != null) {
            a.stageFinished(title, status, seconds, summary);
            save(a);
        }
        tellSink();
    }

    /** With no stage running (between stages, after the last) the last one shown stays. */
    private void showEarliestRunning() {
        if (!running.isEmpty()) {
            Map.Entry<String, Integer> first = running.entrySet().iterator().next();
            stage = first.getKey();
            stageNumber = first.getValue();
        }
    }

    private static void save(SyncAction a) {
        try {
            if (a.getRun() != null) {
                a.getRun().save();
            }
        } catch (java.io.IOException e) {
            LOGGER.log(Level.FINE, "could not save the build with its RDS Sync page", e);
        }
    }

    /**
     * On shutdown, ask every running sync to stop at a safe point and give them a moment: a Pipeline step resumes
     * its sync from the journal after the restart ({@code RdsSyncStepExecution.onResume}).
     */
    @Terminator
    public static void stopAllForShutdown() throws InterruptedException {
        if (ACTIVE.isEmpty()) {
            return;
        }
        LOGGER.info(() -> "Asking " + ACTIVE.size() + " running RDS sync(s) to stop at a safe point before shutdown");
        for (RunMonitor m : ACTIVE) {
            m.shutdown = true;
            m.requestStop("Jenkins is shutting down", false);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SHUTDOWN_WAIT_SECONDS);
        for (RunMonitor m : ACTIVE) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !m.finished.await(left, TimeUnit.NANOSECONDS)) {
                LOGGER.warning("An RDS sync did not reach a safe point before shutdown; it resumes from its journal");
                return;
            }
        }
    }
}
