package io.jenkins.plugins.rdssync.core.stage;

import io.jenkins.plugins.rdssync.core.EngineOptions;
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
 */
public final class SyncRun {
    private final SyncSpec spec;
    private final SyncListener listener;
    private final RunContext ctx;
    private final List<StageOutcome> outcomes = new ArrayList<>();

    public SyncRun(SyncSpec spec, SyncListener listener, RdsGateway rds, EngineOptions options,
            Cancellation cancellation) {
        this.spec = spec;
        this.listener = listener;
        DbConnector db = spec.mysqlUser().isPresent()
                ? new DbConnector(spec.mysqlUser().get(), spec.mysqlPassword().orElse(null), spec.dbTls(),
                        spec.dbTlsCaBundle().orElse(null))
                : null;
        this.ctx = new RunContext(spec, rds, db, Journal.open(spec.workDir()), options, cancellation, listener,
                Instant.now().plus(spec.timeout()));
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

    public SyncResult execute() throws SyncException {
        List<Stage> stages = stages(spec.strategy());
        listener.runStarted(stages.stream().map(Stage::name).toList(), spec.dryRun());
        boolean resuming = spec.resume() && ctx.journal.hasUnfinishedRun();
        for (int i = 0; i < stages.size(); i++) {
            Stage stage = stages.get(i);
            if (stage.name() == StageName.SNAPSHOT && i + 1 < stages.size()
                    && stages.get(i + 1).name() == StageName.BACKUP && !spec.dryRun()) {
                runOverlapped(stage, i + 1, stages.get(i + 1), i + 2, stages.size(), resuming);
                i++;
            } else {
                runStage(stage, i + 1, stages.size(), resuming);
            }
            if (stage.name() == StageName.PREFLIGHT && !spec.dryRun() && !resuming) {
                ctx.journal.startRun(spec.source(), spec.target(), spec.strategy().id());
            }
        }
        if (!spec.dryRun()) {
            ctx.journal.markFinished();
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
        try {
            runStage(backup, backupNo, total, resuming);
        } catch (SyncException e) {
            backupFailure = e;
            ctx.cancellation.cancel("the backup failed");
        }
        try {
            snap.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ctx.cancellation.cancel("interrupted");
            throw new SyncException(StageName.SNAPSHOT, "interrupted", resumeHint(StageName.SNAPSHOT));
        } catch (ExecutionException e) {
            if (backupFailure == null && e.getCause() instanceof CompletionException ce
                    && ce.getCause() instanceof SyncException se) {
                throw se;
            }
            if (backupFailure == null) {
                throw new SyncException(StageName.SNAPSHOT, String.valueOf(e.getCause()), resumeHint(
                        StageName.SNAPSHOT), e.getCause());
            }
        }
        if (backupFailure != null) {
            throw backupFailure;
        }
    }

    private void runStage(Stage stage, int number, int total, boolean resuming) throws SyncException {
        runStage(stage, number, total, resuming, () -> { });
    }

    private void runStage(Stage stage, int number, int total, boolean resuming, Runnable started)
            throws SyncException {
        StageName name = stage.name();
        Instant start = Instant.now();
        try {
            ctx.cancellation.check();
            listener.stageStarted(name, number, total);
            started.run();
            if (!spec.dryRun()) {
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
                finish(name, StageStatus.PLANNED, start, "planned");
                return;
            }
            String summary = stage.run(ctx);
            if (!spec.dryRun()) {
                ctx.journal.markDone(name);
            }
            finish(name, spec.dryRun() ? StageStatus.PLANNED : StageStatus.DONE, start, summary);
        } catch (Cancellation.CancelledException e) {
            finish(name, StageStatus.CANCELLED, start, e.getMessage());
            SyncException failure = new SyncException(name, "Cancelled in stage " + name.title() + ": "
                    + e.getMessage(), resumeHint(name));
            listener.runFailed(failure);
            throw failure;
        } catch (Exception e) {
            finish(name, StageStatus.FAILED, start, message(e));
            SyncException failure = new SyncException(name, name.title() + " failed: " + message(e), hint(name, e), e);
            listener.runFailed(failure);
            throw failure;
        }
    }

    private void finish(StageName name, StageStatus status, Instant start, String summary) {
        double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        StageOutcome outcome = new StageOutcome(name, status, seconds, summary);
        synchronized (outcomes) {
            outcomes.add(outcome);
        }
        listener.stageFinished(outcome);
    }

    /** A message for the user: what failed, with the field to fix where the configuration is the cause. */
    static String message(Throwable e) {
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

    /** What to do next: nothing was changed yet, or resume. */
    private String hint(StageName stage, Exception e) {
        boolean configuration = e instanceof InvalidSpecException || (e instanceof StageFailure f && f.field() != null)
                || (e instanceof DbException d && d.field() != null);
        if (stage == StageName.PREFLIGHT) {
            return "Nothing was changed. Fix the configuration and run again.";
        }
        return (configuration ? "Fix the configuration, then resume" : "Resume") + resumeHintTail(stage);
    }

    private String resumeHint(StageName stage) {
        return stage == StageName.PREFLIGHT ? "Nothing was changed; run again." : "Resume" + resumeHintTail(stage);
    }

    private String resumeHintTail(StageName stage) {
        boolean targetTouched = stage.ordinal() >= StageName.DELETE_TARGET.ordinal()
                && (spec.strategy() == Strategy.REPLACE || stage.ordinal() >= StageName.SWITCH.ordinal());
        String state = spec.strategy() == Strategy.SWAP && !targetTouched
                ? " The acceptance target was not changed."
                : "";
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
