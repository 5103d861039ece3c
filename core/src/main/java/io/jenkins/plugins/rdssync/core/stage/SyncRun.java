package io.jenkins.plugins.rdssync.core.stage;

import io.jenkins.plugins.rdssync.core.EngineOptions;
import io.jenkins.plugins.rdssync.core.aws.AwsFailure;
import io.jenkins.plugins.rdssync.core.aws.AwsSides;
import io.jenkins.plugins.rdssync.core.aws.RdsGateway;
import io.jenkins.plugins.rdssync.core.aws.WaitFailedException;
import io.jenkins.plugins.rdssync.core.aws.WaitTimeoutException;
import io.jenkins.plugins.rdssync.core.db.DbConnector;
import io.jenkins.plugins.rdssync.core.db.DbException;
import io.jenkins.plugins.rdssync.core.run.Cancellation;
import io.jenkins.plugins.rdssync.core.run.Journal;
import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.run.StageOutcome;
import io.jenkins.plugins.rdssync.core.run.StageStatus;
import io.jenkins.plugins.rdssync.core.run.SyncException;
import io.jenkins.plugins.rdssync.core.run.SyncListener;
import io.jenkins.plugins.rdssync.core.run.SyncResult;
import io.jenkins.plugins.rdssync.core.spec.InvalidSpecException;
import io.jenkins.plugins.rdssync.core.spec.Strategy;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * One run: the stages of the strategy in order, each started, skipped, found already done (resume), planned (dry
 * run) or executed, and recorded in the journal. The snapshot is made while the preserved rows are backed up.
 * A run that stops reports exactly one failure: what failed, and what to do next given where acceptance stands.
 */
public final class SyncRun {
    private final SyncSpec spec;
    private final SyncListener listener;
    private final RunContext ctx;
    private final List<StageOutcome> outcomes = new ArrayList<>();

    public SyncRun(SyncSpec spec, SyncListener listener, RdsGateway rds, EngineOptions options,
            Cancellation cancellation) {
        this(spec, listener, AwsSides.single(rds), options, cancellation);
    }

    /** A run whose source may have its own side (credentials, account, region): see {@link AwsSides}. */
    public SyncRun(SyncSpec spec, SyncListener listener, AwsSides sides, EngineOptions options,
            Cancellation cancellation) {
        this.spec = spec;
        this.listener = listener;
        DbConnector db = spec.mysqlUser().isPresent()
                ? new DbConnector(spec.mysqlUser().get(), spec.mysqlPassword().orElse(null), spec.dbTls(),
                        spec.dbTlsCaBundle().orElse(null))
                : null;
        // the engine's own child: it can stop the snapshot when the backup fails without the caller's
        // cancellation (Ctrl-C, Abort) saying that the user stopped the run
        this.ctx = new RunContext(spec, sides, db, Journal.open(spec.workDir()), options, cancellation.child(),
                listener, Instant.now().plus(spec.timeout()));
    }

    /** The stages of a strategy, in order. */
    public static List<Stage> stages(Strategy strategy) {
        List<Stage> s = new ArrayList<>(List.of(new PreflightStage(), new SnapshotStage(), new BackupStage()));
        if (strategy == Strategy.REPLACE) {
            s.add(new DeleteTargetStage());
        }
        s.addAll(List.of(new RestoreStage(), new PostSqlStage(), new OffsetStage(), new MigrationsStage(),
                new ReloadStage()));
        if (strategy == Strategy.SWAP) {
            s.add(new SwitchStage());
        }
        s.add(new CleanupStage());
        return s;
    }

    /**
     * The stages of a spec: those of its strategy and, when the source has a side of its own, Share and copy after
     * the backup (before anything changes on acceptance).
     */
    public static List<Stage> stages(SyncSpec spec) {
        List<Stage> s = stages(spec.strategy());
        if (spec.hasSourceSide()) {
            s.add(s.indexOf(s.stream().filter(x -> x.name() == StageName.BACKUP).findFirst().orElseThrow()) + 1,
                    new CopyStage());
        }
        return s;
    }

    public SyncResult execute() throws SyncException {
        List<Stage> stages = stages(spec);
        listener.runStarted(stages.stream().map(Stage::name).toList(), spec.dryRun());
        boolean resuming = spec.resume() && ctx.journal.hasUnfinishedRun();
        ctx.resuming = resuming;
        try {
            for (int i = 0; i < stages.size(); i++) {
                Stage stage = stages.get(i);
                if (stage.name() == StageName.SNAPSHOT && i + 1 < stages.size()
                        && stages.get(i + 1).name() == StageName.BACKUP && !spec.dryRun()) {
                    runOverlapped(stage, i + 1, stages.get(i + 1), i + 2, stages.size(), resuming);
                    i++;
                } else {
                    runStage(stage, i + 1, stages.size(), resuming);
                }
            }
            if (!spec.dryRun()) {
                ctx.journal.markFinished();
            }
        } catch (SyncException e) {
            listener.runFailed(e);
            throw e;
        } catch (RuntimeException e) {
            // the journal could not be written at the end of the run, or a bug
            SyncException failure = new SyncException(null, "the run stopped: "
                    + ctx.redaction.apply(plainMessage(e)), null, ctx.redaction.apply((Throwable) e));
            listener.runFailed(failure);
            throw failure;
        }
        SyncResult result = result();
        listener.runFinished(result);
        return result;
    }

    /** Snapshot creation takes minutes to hours; the backup of the current target runs meanwhile. */
    private void runOverlapped(Stage snapshot, int snapshotNo, Stage backup, int backupNo, int total,
            boolean resuming) throws SyncException {
        CountDownLatch snapshotStarted = new CountDownLatch(1);
        CompletableFuture<Void> snap = CompletableFuture.runAsync(() -> {
            try {
                runStage(snapshot, snapshotNo, total, resuming, snapshotStarted::countDown);
            } catch (SyncException e) {
                throw new CompletionException(e);
            } finally {
                snapshotStarted.countDown();
            }
        });
        try {
            // the console then reads in stage order: Snapshot starts, Backup starts, ...
            snapshotStarted.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        SyncException backupFailure = null;
        boolean backupEnded = false;
        try {
            runStage(backup, backupNo, total, resuming);
            backupEnded = true;
        } catch (SyncException e) {
            backupFailure = e;
            backupEnded = true;
            // no reason to go on making a snapshot for a run that cannot continue (the caller's cancellation is
            // left alone: the user did not stop this run)
            ctx.cancellation.cancel("stopped because the backup failed");
        } finally {
            if (!backupEnded) {
                // an Error got through the backup: the snapshot must not go on alone after this method returns
                ctx.cancellation.cancel("stopped because the backup failed");
                awaitQuietly(snap);
            }
        }
        SyncException snapshotFailure = null;
        try {
            snap.get();
        } catch (InterruptedException e) {
            ctx.cancellation.cancel("interrupted");
            // the snapshot stops at its next safe point; it must not write the journal after we have returned
            awaitQuietly(snap);
            Thread.currentThread().interrupt();
            snapshotFailure = new SyncException(StageName.SNAPSHOT, "Cancelled in stage "
                    + StageName.SNAPSHOT.title() + ": interrupted", resumeHint(StageName.SNAPSHOT));
        } catch (ExecutionException e) {
            // get() unwraps the CompletionException the task threw; be safe with either shape
            Throwable cause = e.getCause() instanceof CompletionException ce && ce.getCause() != null
                    ? ce.getCause() : e.getCause();
            snapshotFailure = cause instanceof SyncException se ? se
                    : new SyncException(StageName.SNAPSHOT, StageName.SNAPSHOT.title() + " failed: "
                            + ctx.redaction.apply(plainMessage(cause)), resumeHint(StageName.SNAPSHOT),
                            ctx.redaction.apply(cause));
        }
        // one failure for the run: the backup's when it failed on its own (the snapshot only stopped because of
        // it), else the snapshot's (the earlier stage, where a resume continues)
        if (backupFailure != null && !cancelled(backupFailure)) {
            throw backupFailure;
        }
        if (snapshotFailure != null) {
            throw snapshotFailure;
        }
        if (backupFailure != null) {
            throw backupFailure;
        }
    }

    /** Waits for the task to end, whatever the outcome, keeping an interrupt for the caller. */
    private static void awaitQuietly(CompletableFuture<Void> task) {
        boolean interrupted = false;
        while (!task.isDone()) {
            try {
                task.get();
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean cancelled(SyncException e) {
        return e.getMessage() != null && e.getMessage().startsWith("Cancelled");
    }

    private void runStage(Stage stage, int number, int total, boolean resuming) throws SyncException {
        runStage(stage, number, total, resuming, () -> { });
    }

    private void runStage(Stage stage, int number, int total, boolean resuming, Runnable started)
            throws SyncException {
        StageName name = stage.name();
        Instant start = Instant.now();
        if (ctx.cancellation.isCancelled()) {
            // stopped between two stages: this one never started
            finish(name, StageStatus.CANCELLED, start, "not started: " + ctx.cancellation.reason());
            started.run();
            throw new SyncException(name, "Cancelled before stage " + name.title() + ": "
                    + ctx.cancellation.reason(), resumeHint(name));
        }
        try {
            listener.stageStarted(name, number, total);
            started.run();
            if (!spec.dryRun() && name != StageName.PREFLIGHT) {
                // (Preflight only reads; marking it would overwrite where an unfinished run stopped)
                ctx.journal.markStarted(name);
            }
            String skip = stage.skipReason(ctx);
            if (skip != null) {
                finish(name, StageStatus.SKIPPED, start, skip);
                return;
            }
            if (resuming && stage.alreadyDone(ctx)) {
                finish(name, StageStatus.ALREADY_DONE, start, "done by the interrupted run");
                return;
            }
            if (spec.dryRun() && name != StageName.PREFLIGHT) {
                stage.plan(ctx);
                // the status says "planned"; a summary saying it again read "planned: planned"
                finish(name, StageStatus.PLANNED, start, null);
                return;
            }
            String summary = stage.run(ctx);
            if (!spec.dryRun()) {
                if (name == StageName.PREFLIGHT && !resuming) {
                    ctx.journal.startRun(spec.source(), spec.target(), spec.strategy().id());
                    ctx.targetSettings.ifPresent(t -> TargetSettings.save(ctx.journal, t));
                }
                ctx.journal.markDone(name);
            }
            finish(name, spec.dryRun() ? StageStatus.PLANNED : StageStatus.DONE, start, summary);
        } catch (Cancellation.CancelledException e) {
            finish(name, StageStatus.CANCELLED, start, e.getMessage());
            throw new SyncException(name, "Cancelled in stage " + name.title() + ": " + e.getMessage(),
                    resumeHint(name));
        } catch (Exception e) {
            String message = ctx.redaction.apply(message(name, e));
            finish(name, StageStatus.FAILED, start, message);
            // the cause stays for debugging, with any secret in its messages masked
            throw new SyncException(name, name.title() + " failed: " + message,
                    ctx.redaction.apply(hint(name, e)), ctx.redaction.apply((Throwable) e));
        }
    }

    private void finish(StageName name, StageStatus status, Instant start, String summary) {
        double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        StageOutcome outcome = new StageOutcome(name, status, seconds, ctx.redaction.apply(summary));
        synchronized (outcomes) {
            outcomes.add(outcome);
        }
        listener.stageFinished(outcome);
    }

    /** A message for the user: what failed, with the field to fix where the configuration is the cause. */
    String message(StageName stage, Throwable e) {
        if (e instanceof WaitTimeoutException) {
            return e.getMessage() + " (" + limit(stage) + ")";
        }
        return plainMessage(e);
    }

    /** The limit a wait of this stage had: its own stage timeout, or what was left of the run's. */
    private String limit(StageName stage) {
        Integer own = spec.stageTimeoutMinutes().get(stage.id());
        return own != null ? "the limit is stageTimeoutMinutes." + stage.id() + " = " + own + " min"
                : "the limit is what was left of timeoutMinutes = " + spec.timeoutMinutes() + " min";
    }

    static String plainMessage(Throwable e) {
        if (e instanceof AwsFailure a) {
            return a.field() != null ? a.field() + ": " + a.getMessage() : a.getMessage();
        }
        if (e instanceof StageFailure f && f.field() != null) {
            return f.field() + ": " + f.getMessage();
        }
        if (e instanceof DbException d && d.field() != null) {
            return d.field() + ": " + d.getMessage();
        }
        if (e instanceof InvalidSpecException || e instanceof StageFailure || e instanceof DbException
                || e instanceof WaitTimeoutException || e instanceof WaitFailedException) {
            return e.getMessage();
        }
        if (e instanceof AwsServiceException a) {
            return "AWS " + a.awsErrorDetails().errorCode() + ": " + a.awsErrorDetails().errorMessage();
        }
        if (e instanceof SdkClientException c) {
            return "cannot reach AWS: " + c.getMessage();
        }
        if (e instanceof SQLException s) {
            return "database error " + s.getErrorCode() + " (" + s.getSQLState() + "): " + s.getMessage();
        }
        if (e instanceof IOException || e instanceof UncheckedIOException) {
            return "file error: " + e.getMessage();
        }
        return e.toString();
    }

    /** What to do next: nothing was changed yet, or how to resume, given where acceptance stands. */
    private String hint(StageName stage, Exception e) {
        boolean configuration = e instanceof InvalidSpecException || (e instanceof StageFailure f && f.field() != null)
                || (e instanceof DbException d && d.field() != null) || (e instanceof AwsFailure a && a.field() != null);
        String again = ctx.resuming ? " with resume: true" : "";
        if (stage == StageName.PREFLIGHT) {
            return configuration ? "Nothing was changed. Fix the configuration and run again" + again + "."
                    : "Nothing was changed. Run again" + again + " once the cause is gone.";
        }
        String advice = "";
        if (e instanceof WaitTimeoutException) {
            Integer own = spec.stageTimeoutMinutes().get(stage.id());
            advice = "RDS may still finish on its own: the resume waits for it again. If this step needs longer, raise "
                    + (own != null ? "stageTimeoutMinutes." + stage.id() : "timeoutMinutes") + ". ";
        } else if (e instanceof WaitFailedException && stage == StageName.RESTORE) {
            advice = "A restore ends like this when the snapshot does not fit the restore settings: check"
                    + " instanceClass, parameterGroup, optionGroup and subnetGroup (and the account's RDS limits);"
                    + " the resume deletes the failed instance and restores again. ";
        } else if (e instanceof AwsFailure a && a.retryable()) {
            advice = "AWS may answer again in a while. ";
        }
        return advice + (configuration ? "Fix the configuration, then resume" : "Resume") + resumeHintTail(stage);
    }

    private String resumeHint(StageName stage) {
        return stage == StageName.PREFLIGHT ? "Nothing was changed; run again." : "Resume" + resumeHintTail(stage);
    }

    private String resumeHintTail(StageName stage) {
        String target = spec.target();
        String state;
        if (ctx.acceptanceDown != null) {
            state = " Acceptance is unavailable: " + ctx.acceptanceDown + ". The resume finishes the switch"
                    + " (to bring the old target back instead, rename " + ctx.oldId() + " to " + target + ").";
        } else if (spec.strategy() == Strategy.SWAP) {
            state = stage == StageName.CLEANUP
                    ? " Acceptance already answers from the new instance; only " + ctx.oldId() + " is left to delete."
                    : stage == StageName.SWITCH && ctx.switched
                            ? " Acceptance already answers from the new instance."
                            : " The acceptance target was not changed.";
        } else if (ctx.journal.get(RunContext.J_DOWNTIME_START).isEmpty()) {
            // replace changes acceptance only by deleting it
            state = " The acceptance target was not changed.";
        } else if (stage != StageName.CLEANUP) {
            state = " Acceptance is unavailable until the resume has restored " + target + ".";
        } else {
            state = "";
        }
        String file = ctx.backupFile == null ? "" : " The preserved rows are safe in " + ctx.backupFile + ".";
        return " with resume: true (CLI: rds-sync run -c FILE --resume) to continue from stage " + stage.title()
                + "." + state + file;
    }

    private SyncResult result() {
        var restored = ctx.restored;
        double downtime = ctx.downtimeStart != null && ctx.downtimeEnd != null
                ? Math.round(Duration.between(ctx.downtimeStart, ctx.downtimeEnd).toMillis() / 100.0) / 10.0
                : 0.0;
        return new SyncResult(restored == null ? null : restored.endpointHost(),
                restored == null || restored.endpointPort() == null ? 0 : restored.endpointPort(),
                spec.target(), ctx.snapshotId, ctx.preservedRows,
                outcomes.stream().sorted(java.util.Comparator.comparing(StageOutcome::stage)).toList(), downtime,
                spec.dryRun());
    }
}
