package io.jenkins.plugins.rdssync;

/**
 * The controller's side of a running sync, called from the machine that runs it (through a remoting proxy when that
 * is an agent, as workflow-durable-task-step's {@code ExecutionRemotable} is): it learns of stage changes, which it
 * shows on the build's "RDS Sync" page and in the step's status, and it answers whether the run must stop (Abort,
 * Jenkins shutting down). Only plain values cross the channel.
 */
public interface SyncMonitor {

    /**
     * Polled by the running sync every few seconds.
     *
     * @return why the run must stop at its next safe point, or {@code null} to go on
     */
    String stopRequested();

    void stageStarted(String stage, int number, int total);

    void stageFinished(String stage, String status, double seconds, String summary);
}
