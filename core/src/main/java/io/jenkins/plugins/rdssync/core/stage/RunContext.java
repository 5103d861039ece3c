package io.jenkins.plugins.rdssync.core.stage;

import io.jenkins.plugins.rdssync.core.EngineOptions;
import io.jenkins.plugins.rdssync.core.aws.AwsSides;
import io.jenkins.plugins.rdssync.core.aws.InstanceInfo;
import io.jenkins.plugins.rdssync.core.aws.ModifyRequest;
import io.jenkins.plugins.rdssync.core.aws.RdsGateway;
import io.jenkins.plugins.rdssync.core.aws.RdsStates;
import io.jenkins.plugins.rdssync.core.aws.RdsWait;
import io.jenkins.plugins.rdssync.core.db.DbAddress;
import io.jenkins.plugins.rdssync.core.db.DbConnector;
import io.jenkins.plugins.rdssync.core.db.DbException;
import io.jenkins.plugins.rdssync.core.db.WriteFence;
import io.jenkins.plugins.rdssync.core.db.PreservedTable;
import io.jenkins.plugins.rdssync.core.run.Cancellation;
import io.jenkins.plugins.rdssync.core.run.Journal;
import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.run.SyncListener;
import io.jenkins.plugins.rdssync.core.spec.ColumnKeep;
import io.jenkins.plugins.rdssync.core.spec.SpecValidator;
import io.jenkins.plugins.rdssync.core.spec.Strategy;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the stages of one run share: the spec, the AWS and database access, the journal, and the facts learnt on the
 * way (the current target, the snapshot, the preserved-rows file, the restored instance).
 */
public final class RunContext {
    public static final String TAG_MANAGED = "rds-sync:managed";
    public static final String TAG_RESTORED_FROM = "rds-sync:restored-from";
    /**
     * The run that restored an instance (the journal's run id). A rolling snapshot keeps its name from night to
     * night, so "restored from this snapshot" does not tell yesterday's restore from today's; this tag does.
     */
    public static final String TAG_RUN = "rds-sync:run";
    /** On an old target kept by {@code oldTarget: keep}: until when (ISO-8601); a later run deletes it after that. */
    public static final String TAG_KEPT_UNTIL = "rds-sync:kept-until";
    /** The final snapshot of an old target (oldTarget: snapshot). */
    public static final String FINAL_SNAPSHOT_SUFFIX = "-rds-sync-final";

    /** Journal keys of the artefacts a run produces (besides the stages' own). */
    static final String J_RESTORE_INSTANCE = "restore.instance";
    static final String J_SWITCH_OLD = "switch.old";
    static final String J_SWITCH_NEW = "switch.new";
    static final String J_DOWNTIME_START = "downtime.start";
    /** The source side's snapshot, the copy in the target's account, and the share the run added (CopyStage). */
    static final String J_COPY_SOURCE_ARN = "copy.source.arn";
    static final String J_COPY_ID = "copy.id";
    static final String J_COPY_SHARED_WITH = "copy.shared.with";
    /** The accounts the write fence locked on the old target (one per line), to unlock if the switch is abandoned. */
    static final String J_FENCE_ACCOUNTS = "fence.accounts";
    static final String J_FENCE_START = "fence.start";

    final SyncSpec spec;
    /** The target side: everything in acceptance's account (the copy, the restore, the target). */
    final RdsGateway rds;
    final RdsWait await;
    /** Both sides' access; {@link #sourceRds} is {@link #rds} when the source has no side of its own. */
    final AwsSides sides;
    /** The source side: snapshots of the source and their share, nothing else. */
    final RdsGateway sourceRds;
    final RdsWait sourceAwait;
    final DbConnector db;
    final Journal journal;
    final EngineOptions options;
    final Cancellation cancellation;
    final SyncListener listener;
    final Instant deadline;
    final Redaction redaction;
    /** Continuing an unfinished run of the journal. */
    boolean resuming;

    /** The target as found by Preflight; empty on a first run. */
    Optional<InstanceInfo> currentTarget = Optional.empty();
    /**
     * The settings the replacement copies (class, subnet group, security groups, ...): those of the target the run
     * started with, kept in the journal, so that a resume after the target was deleted restores it alike.
     */
    Optional<InstanceInfo> targetSettings = Optional.empty();
    /** Set while acceptance has no instance under its name (replace after the delete, swap between the renames). */
    String acceptanceDown;
    /** swap: the new instance answers under the target's name. */
    boolean switched;
    InstanceInfo source;
    /** Tables and columns whose data is preserved, as resolved on the current target. */
    List<PreservedTable> tables = new ArrayList<>();
    List<ColumnKeep> columns = new ArrayList<>();
    /** The snapshot the target is restored from (with two sides: the copy in the target's account). */
    String snapshotId;
    /** Its description, once known (engine version, storage). */
    io.jenkins.plugins.rdssync.core.aws.SnapshotInfo snapshotInfo;
    /** With two sides: the snapshot on the source side that was shared and copied. */
    String sourceSnapshotId;
    /** With two sides, found by Preflight: what has to cross from the source side to the target side. */
    CopyPlan copyPlan;
    /** The preserved-rows file, once written and verified. */
    Path backupFile;
    final Map<String, Long> preservedRows = new LinkedHashMap<>();
    /** The restored instance, once available. */
    InstanceInfo restored;
    Instant downtimeStart;
    Instant downtimeEnd;
    /** When testers' writes were stopped on the old target (the write fence), if they were. */
    Instant fenceStart;

    RunContext(SyncSpec spec, AwsSides sides, DbConnector db, Journal journal, EngineOptions options,
            Cancellation cancellation, SyncListener listener, Instant deadline) {
        this.spec = spec;
        this.sides = sides;
        this.rds = sides.target();
        this.await = new RdsWait(rds, options.polling(), cancellation);
        this.sourceRds = sides.source();
        this.sourceAwait = sourceRds == rds ? await : new RdsWait(sourceRds, options.polling(), cancellation);
        this.db = db;
        this.journal = journal;
        this.options = options;
        this.cancellation = cancellation;
        this.listener = listener;
        this.deadline = deadline;
        this.redaction = Redaction.of(spec);
    }

    /** The log of a stage. */
    StageLog log(StageName stage) {
        return new StageLog(listener, stage, redaction);
    }

    /** The identifier the restored instance is created under. */
    String restoreId() {
        return spec.strategy() == Strategy.SWAP ? newId() : spec.target();
    }

    /** swap: the temporary identifier of the new instance. */
    String newId() {
        return spec.target() + SpecValidator.NEW_SUFFIX;
    }

    /** swap: the identifier the old target is renamed to. */
    String oldId() {
        return spec.target() + SpecValidator.OLD_SUFFIX;
    }

    /** Where to reach an instance's databases: the RDS endpoint, or the configured tunnel/proxy. */
    DbAddress address(InstanceInfo instance) {
        if (spec.dbHost().isPresent()) {
            return new DbAddress(spec.dbHost().get(), spec.dbPort().orElse(instance.endpointPort()));
        }
        return new DbAddress(instance.endpointHost(), instance.endpointPort());
    }

    /** Time left for a wait in a stage: its own limit if configured, never past the run's deadline. */
    Duration timeLeft(StageName stage, Instant stageStart) {
        Duration overall = Duration.between(Instant.now(), deadline);
        Integer minutes = spec.stageTimeoutMinutes().get(stage.id());
        if (minutes == null) {
            return positive(overall);
        }
        Duration own = Duration.between(Instant.now(), stageStart.plus(options.stageMinute().multipliedBy(minutes)));
        return positive(own.compareTo(overall) < 0 ? own : overall);
    }

    private static Duration positive(Duration d) {
        return d.isNegative() || d.isZero() ? Duration.ofMillis(1) : d;
    }

    /** Has the swap begun renaming (recorded before the first rename is asked for)? */
    boolean switchBegan() {
        return journal.get(J_SWITCH_OLD).isPresent();
    }

    /** This run's id: when its journal started (the tag {@link #TAG_RUN} of the instance it restores). */
    String runId() {
        return journal.get("run.started").orElse(null);
    }

    /** Was this instance restored by this run (whatever its name now)? */
    boolean restoredByThisRun(InstanceInfo i) {
        String run = runId();
        return run != null && run.equals(i.tags().get(TAG_RUN)) && snapshotId != null
                && snapshotId.equals(i.tags().get(TAG_RESTORED_FROM));
    }

    /**
     * Deletes an instance without a final snapshot and waits until it is gone: deletion protection is turned off
     * first (waiting until the instance can be modified), an instance already being deleted is only waited for.
     */
    void deleteInstance(StageName stage, String id, Instant start, StageLog log) {
        deleteInstance(stage, id, start, log, () -> { });
    }

    /**
     * As {@link #deleteInstance(StageName, String, Instant, StageLog)}; {@code accepted} runs as soon as RDS has
     * accepted the delete (not when the call failed: then nothing was deleted).
     */
    void deleteInstance(StageName stage, String id, Instant start, StageLog log, Runnable accepted) {
        deleteInstance(stage, id, null, start, log, accepted);
    }

    /**
     * As {@link #deleteInstance(StageName, String, Instant, StageLog, Runnable)}, with a final snapshot of this
     * name unless null (a snapshot of that name left by an earlier run is deleted first: RDS refuses the delete
     * otherwise). The wait includes the final snapshot, which RDS takes before the instance goes.
     */
    void deleteInstance(StageName stage, String id, String finalSnapshot, Instant start, StageLog log,
            Runnable accepted) {
        Optional<InstanceInfo> now = rds.instance(id);
        if (now.isEmpty()) {
            return;
        }
        InstanceInfo i = now.get();
        if (!"deleting".equals(i.status())) {
            if (i.deletionProtection()) {
                // ModifyDBInstance needs it available: a stopped instance is started first
                startIfStopped(stage, id, start, log, "its deletion protection can be turned off");
                log.log("Turning off deletion protection on " + id);
                await.untilAvailable(id, timeLeft(stage, start), x -> { });
                rds.modify(ModifyRequest.of(id).deletionProtection(false));
                await.untilSettled(id, options.settle(), timeLeft(stage, start), x -> { });
            } else if (!i.isAvailable() && !RdsWait.isDeadEnd(i.status()) && !i.isStopped()) {
                // (a stopped instance can be deleted as it is)
                log.log(id + " is " + i.status() + "; waiting until it can be deleted");
                await.untilStarted(id, timeLeft(stage, start), x -> { });
            }
            cancellation.check();
            if (finalSnapshot == null) {
                log.log("Deleting " + id + " (no final snapshot)" + (i.isStopped() ? "; it is stopped" : ""));
                rds.delete(id);
            } else {
                if (rds.snapshot(finalSnapshot).isPresent()) {
                    log.log("Deleting the previous final snapshot " + finalSnapshot);
                    await.untilSnapshotAvailable(finalSnapshot, timeLeft(stage, start), x -> { });
                    rds.deleteSnapshot(finalSnapshot);
                    await.untilSnapshotGone(finalSnapshot, timeLeft(stage, start));
                }
                log.log("Deleting " + id + " with a final snapshot " + finalSnapshot
                        + (i.isStopped() ? "; it is stopped" : ""));
                rds.deleteWithFinalSnapshot(id, finalSnapshot);
            }
            accepted.run();
        } else {
            log.log(id + " is already being deleted");
        }
        await.untilGone(id, timeLeft(stage, start), x -> log.progress(id + ": " + x.status(), -1));
    }

    /** The final snapshot of the old target. */
    String finalSnapshotId() {
        return spec.target() + FINAL_SNAPSHOT_SUFFIX;
    }

    /** Would the old target hold testers' writes worth a last read (rows or column values are preserved)? */
    boolean catchesUp() {
        return backupFile != null && spec.needsDatabaseLogin();
    }

    /** The accounts a write fence of this run locked and has not unlocked. */
    List<String> fencedAccounts() {
        return journal.get(J_FENCE_ACCOUNTS).filter(v -> !v.isBlank()).map(v -> List.of(v.split("\n")))
                .orElse(List.of());
    }

    /**
     * Stops testers' writes on the instance (see {@link WriteFence}): afterwards no write of a locked account is
     * acknowledged, so a consistent read from then on holds every acknowledged write. Journalled before anything is
     * locked is unlocked, so an abandoned switch, even after a crash, can unlock exactly what it locked.
     */
    void raiseFence(InstanceInfo on, StageLog log) throws DbException {
        WriteFence.Raised r = new WriteFence().raise(db, address(on), List.of(
                on.masterUsername() == null ? "" : on.masterUsername(), db.user()));
        Set<String> all = new LinkedHashSet<>(fencedAccounts());
        all.addAll(r.locked());
        if (fenceStart == null) {
            fenceStart = journal.get(J_FENCE_START).map(Instant::parse).orElse(Instant.now());
        }
        journal.putAll(Map.of(J_FENCE_ACCOUNTS, String.join("\n", all), J_FENCE_START, fenceStart.toString()));
        log.log("Testers' writes stopped on " + on.id() + ": " + (all.isEmpty() ? "no account to lock"
                : "locked " + all.size() + " accounts (" + String.join(", ", all) + ")") + ", ended "
                + r.sessionsEnded() + " sessions" + (r.alreadyLocked().isEmpty() ? ""
                        : "; already locked before: " + String.join(", ", r.alreadyLocked())));
        List<String> open = r.unfenced().stream().filter(u -> !u.isEmpty()).distinct().toList();
        if (!open.isEmpty()) {
            log.log("Not locked (the engine logs in with them): " + String.join(", ", open) + "; what they write on "
                    + on.id() + " from now on is copied by the last catch-up in Cleanup");
        }
    }

    /** Lets testers write again on the instance (the switch was abandoned before the first rename took effect). */
    void lowerFence(InstanceInfo on, StageLog log) throws DbException {
        List<String> accounts = fencedAccounts();
        if (accounts.isEmpty() && journal.get(J_FENCE_START).isEmpty()) {
            return;
        }
        new WriteFence().lower(db, address(on), accounts);
        Instant since = fenceStart != null ? fenceStart : journal.get(J_FENCE_START).map(Instant::parse)
                .orElse(Instant.now());
        journal.put(J_FENCE_ACCOUNTS, null);
        journal.put(J_FENCE_START, null);
        fenceStart = null;
        log.log("Testers may write on " + on.id() + " again (" + accounts.size() + " accounts unlocked after "
                + seconds(since, Instant.now()) + ")");
    }

    /** Lowers the fence, or says in the log how to do it by hand when that fails too. */
    void lowerFenceQuietly(InstanceInfo on, StageLog log) {
        try {
            lowerFence(on, log);
        } catch (DbException | RuntimeException e) {
            log.warn("could not unlock the testers' accounts on " + on.id() + " (" + e.getMessage() + "); unlock "
                    + String.join(", ", fencedAccounts()) + " with ALTER USER ... ACCOUNT UNLOCK");
        }
    }

    static String seconds(Instant from, Instant to) {
        return String.format(java.util.Locale.ROOT, "%.1f s", (to.toEpochMilli() - from.toEpochMilli()) / 1000.0);
    }

    /**
     * Starts the instance when it is stopped (or stopping) and waits until it is available: reading its rows,
     * renaming or modifying it needs a running instance. Returns whether it had to be started.
     */
    boolean startIfStopped(StageName stage, String id, Instant start, StageLog log, String why) {
        Optional<InstanceInfo> now = rds.instance(id);
        if (now.isEmpty() || !RdsStates.isStoppedOrStopping(now.get().status())) {
            return false;
        }
        if (RdsStates.STOPPING.equals(now.get().status())) {
            log.log(id + " is stopping; waiting until it is stopped to start it again");
            await.untilStopped(id, timeLeft(stage, start), x -> log.progress(id + ": " + x.status(), -1));
        }
        cancellation.check();
        log.log("Starting " + id + ", which is stopped, so that " + why);
        Instant began = Instant.now();
        rds.start(id);
        InstanceInfo i = await.untilStarted(id, timeLeft(stage, start), x -> log.progress(id + ": " + x.status(), -1));
        log.log(id + " is available again after " + Duration.between(began, Instant.now()).toSeconds() + " s");
        if (id.equalsIgnoreCase(spec.target())) {
            currentTarget = Optional.of(i);
        }
        return true;
    }

    /** The preserved-rows file of this run. */
    Path backupPath() {
        return spec.workDir().resolve("preserved-rows.zip");
    }

    /** The old target's preserved data read for the last catch-up, after the switch. */
    Path lastReadPath() {
        return spec.workDir().resolve("preserved-rows-old.zip");
    }

    /** The catch-up copy taken just before a swap. */
    Path catchUpPath() {
        return spec.workDir().resolve("preserved-rows-final.zip");
    }

    /** The schema SQL runs in by default: the first configured database, if any. */
    String defaultSchema() {
        return spec.databases().isEmpty() ? null : spec.databases().get(0);
    }
}
