package io.jenkins.plugins.rdssync.core.stage;

import io.jenkins.plugins.rdssync.core.aws.AwsFailure;
import io.jenkins.plugins.rdssync.core.aws.InstanceInfo;
import io.jenkins.plugins.rdssync.core.aws.RdsWait;
import io.jenkins.plugins.rdssync.core.aws.WaitTimeoutException;
import io.jenkins.plugins.rdssync.core.db.AutoIncrementOffset;
import io.jenkins.plugins.rdssync.core.db.PreservedRowsBackup;
import io.jenkins.plugins.rdssync.core.db.PreservedRowsReload;
import io.jenkins.plugins.rdssync.core.db.PreservedTable;
import io.jenkins.plugins.rdssync.core.db.SwitchMarker;
import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.spec.OldTarget;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * swap strategy: stops testers' writes on the old target, copies what they changed since the backup, then renames
 * the old target away and the new instance in. Acceptance is unavailable between the first rename and the moment a
 * login through the target's name reaches the new instance.
 * <p>
 * Why the fence: RDS keeps serving a renaming instance at its old endpoint until the rename's reboot, and resolvers
 * may cache the old DNS record for minutes after (RDS User Guide, "Renaming a DB instance"). A write accepted there
 * after the catch-up would be lost with the old instance, so the catch-up reads only once no tester can write.
 * <p>
 * Each step is recognised from the instances' names and states, so a resume continues wherever the interrupted run
 * stopped: before the first rename (the old target still serves, perhaps fenced), with the first rename in flight
 * ({@code renaming}), between the renames (the target's name is free), with the second rename in flight, or after
 * it. Once the first rename is asked for, cancellation waits until the target's name answers again.
 */
final class SwitchStage implements Stage {
    /** How long the instances may take to be ready for the renames (a backup window, a modification). */
    private static final int READY_WAIT_MINUTES = 30;
    /** How long, and at least how often, a refused second rename is retried before the old target gets its name back. */
    private static final int RENAME_RETRY_MINUTES = 10;
    private static final int RENAME_MIN_ATTEMPTS = 5;
    private static final int CATCH_UP_ATTEMPTS = 3;

    @Override
    public StageName name() {
        return StageName.SWITCH;
    }

    @Override
    public boolean alreadyDone(RunContext ctx) {
        Optional<InstanceInfo> target = ctx.rds.instance(ctx.spec.target());
        if (target.isPresent() && ctx.restoredByThisRun(target.get()) && ctx.rds.instance(ctx.newId()).isEmpty()
                && target.get().isAvailable() && answersFromNew(ctx, target.get())) {
            ctx.restored = target.get();
            ctx.switched = true;
            return true;
        }
        return false;
    }

    @Override
    public String run(RunContext ctx) throws Exception {
        StageLog log = ctx.log(name());
        Instant start = Instant.now();
        String target = ctx.spec.target();
        // from the first rename until the new instance answers, acceptance is down: poll often, ignore stop requests
        RdsWait critical = ctx.await.ignoringCancellation().steady();
        Optional<InstanceInfo> current = ctx.rds.instance(target);
        ctx.journal.get(RunContext.J_DOWNTIME_START).ifPresent(t -> ctx.downtimeStart = Instant.parse(t));
        ctx.journal.get(RunContext.J_FENCE_START).ifPresent(t -> ctx.fenceStart = Instant.parse(t));

        if (current.isPresent() && !ctx.restoredByThisRun(current.get()) && !"renaming".equals(current.get().status())) {
            if (ctx.restored == null) {
                ctx.restored = ctx.rds.instance(ctx.newId()).orElseThrow(() -> new StageFailure(
                        "the new instance " + ctx.newId() + " is gone; resume runs the restore again"));
            }
            removeExpiredKeptOld(ctx, log, start);
            fenceCatchUpAndRenameAway(ctx, log, start);
            awaitNameFree(ctx, critical, start, log);
        } else if (current.isPresent() && !ctx.restoredByThisRun(current.get())) {
            // resumed with the first rename in flight: no catch-up from an instance that is going away
            log.log(target + " is being renamed to " + ctx.oldId() + " by the interrupted run; waiting for it");
            ctx.acceptanceDown = target + " is being renamed to " + ctx.oldId();
            awaitNameFree(ctx, critical, start, log);
        }

        Optional<InstanceInfo> fresh = ctx.rds.instance(ctx.newId());
        if (fresh.isPresent() && "renaming".equals(fresh.get().status())) {
            log.log(ctx.newId() + " is being renamed to " + target + " by the interrupted run; waiting for it");
        } else if (fresh.isPresent()) {
            if (ctx.rds.instance(ctx.oldId()).isPresent()) {
                ctx.acceptanceDown = target + " was renamed to " + ctx.oldId() + " (the old target, its testers'"
                        + " accounts locked) and " + ctx.newId() + " is not yet renamed to " + target;
            }
            renameInOrRollBack(ctx, critical, log, start);
        } else if (ctx.rds.instance(target).filter(ctx::restoredByThisRun).isEmpty()) {
            throw new StageFailure("neither " + target + " nor " + ctx.newId() + " is the instance restored from "
                    + ctx.snapshotId + "; check the instances in the RDS console"
                    + (ctx.rds.instance(ctx.oldId()).isPresent() ? " (" + ctx.oldId() + " holds the old target)" : ""));
        }
        InstanceInfo ready = critical.untilAvailable(target, ctx.timeLeft(name(), start),
                i -> log.progress(target + ": " + i.status(), -1));
        awaitAnswersFromNew(ctx, critical, ready, log, start);
        ctx.acceptanceDown = null;
        ctx.switched = true;
        ctx.restored = ready;
        if (ctx.downtimeStart != null) {
            ctx.downtimeEnd = Instant.now();
            log.log(target + " answers again at " + ready.endpointHost() + ":" + ready.endpointPort() + ", from the"
                    + " new instance, after " + RunContext.seconds(ctx.downtimeStart, ctx.downtimeEnd) + " (renames)"
                    + (ctx.fenceStart == null ? "" : "; testers' writes were refused for "
                            + RunContext.seconds(ctx.fenceStart, ctx.downtimeEnd) + " (fence, catch-up and renames)")
                    + ". Clients whose DNS cache still holds the old address may take a few minutes more.");
        }
        ctx.cancellation.check();
        if (ctx.spec.preserveRows()) {
            checkOffset(ctx, ready, log);
        }
        return "acceptance is now the restore of " + ctx.snapshotId;
    }

    /**
     * Until both instances can be renamed, then the fence, the catch-up and the first rename. Anything that stops
     * the switch before RDS has taken the first rename lets testers write on the old target again.
     */
    private static void fenceCatchUpAndRenameAway(RunContext ctx, StageLog log, Instant start) throws Exception {
        String target = ctx.spec.target();
        for (int attempt = 1; ; attempt++) {
            InstanceInfo old = awaitReadyForRenames(ctx, log, start);
            boolean renameAccepted = false;
            try {
                if (ctx.catchesUp()) {
                    SwitchMarker.write(ctx.db, ctx.address(ctx.restored), ctx.runId());
                    ctx.raiseFence(old, log);
                }
                catchUp(ctx, old, log);
                checkOffset(ctx, ctx.restored, log);
                Optional<String> notReady = notReady(ctx);
                if (notReady.isPresent()) {
                    if (attempt == CATCH_UP_ATTEMPTS) {
                        throw new StageFailure(notReady.get() + " again after " + attempt + " catch-ups; acceptance"
                                + " was not changed and testers may write again; resume when the instances are idle");
                    }
                    log.log(notReady.get() + " during the catch-up: letting testers write again until both"
                            + " instances can be renamed");
                    ctx.lowerFenceQuietly(old, log);
                    continue;
                }
                ctx.cancellation.check(); // the last moment to stop with acceptance untouched
                log.log("Renaming " + target + " to " + ctx.oldId() + " (acceptance is unavailable from now)");
                ctx.downtimeStart = Instant.now();
                ctx.journal.putAll(Map.of(RunContext.J_DOWNTIME_START, ctx.downtimeStart.toString(),
                        RunContext.J_SWITCH_OLD, ctx.oldId()));
                ctx.rds.rename(target, ctx.oldId());
                renameAccepted = true;
                ctx.acceptanceDown = target + " was renamed to " + ctx.oldId() + " (the old target, its testers'"
                        + " accounts locked) and " + ctx.newId() + " is not yet renamed to " + target;
                return;
            } finally {
                if (!renameAccepted && !firstRenameInFlight(ctx)) {
                    ctx.downtimeStart = null;
                    ctx.journal.put(RunContext.J_DOWNTIME_START, null);
                    ctx.journal.put(RunContext.J_SWITCH_OLD, null);
                    ctx.lowerFenceQuietly(old, log);
                }
            }
        }
    }

    /** After a failed rename call: did RDS take it anyway (a lost answer)? */
    private static boolean firstRenameInFlight(RunContext ctx) {
        try {
            Optional<InstanceInfo> t = ctx.rds.instance(ctx.spec.target());
            return t.isEmpty() || "renaming".equals(t.get().status());
        } catch (RuntimeException e) {
            return true; // cannot tell: leave the fence up, the resume sorts it out
        }
    }

    /**
     * Both instances available with nothing pending: RDS refuses ModifyDBInstance otherwise (InvalidDBInstanceState),
     * and a rename with ApplyImmediately also applies every pending modification (ModifyDBInstance API reference),
     * which could hold acceptance's name for much longer. Waited for within a bound; a pending modification of the
     * old target stops the run at once, acceptance untouched.
     */
    private static InstanceInfo awaitReadyForRenames(RunContext ctx, StageLog log, Instant start) {
        Duration bound = min(ctx.options.stageMinute().multipliedBy(READY_WAIT_MINUTES), ctx.timeLeft(StageName.SWITCH,
                start));
        try {
            ctx.await.until("the old target and the new instance to be available for the renames", bound, () -> {
                InstanceInfo old = ctx.rds.instance(ctx.spec.target()).orElseThrow(() -> new StageFailure(
                        ctx.spec.target() + " is gone; resume to restore it"));
                if (old.hasPendingModifications()) {
                    throw new StageFailure("target", old.id() + " has modifications waiting for its maintenance"
                            + " window (" + String.join(", ", old.pendingModifications()) + "); the rename would apply"
                            + " them at once and could hold acceptance's name far longer. Acceptance was not changed:"
                            + " apply them now (modify-db-instance --apply-immediately) or cancel them, then resume");
                }
                Optional<String> notReady = notReady(ctx);
                notReady.ifPresent(r -> log.progress("waiting: " + r, -1));
                return notReady.isEmpty();
            });
        } catch (WaitTimeoutException e) {
            throw new StageFailure(e.getMessage() + "; acceptance was not changed, resume when both are available");
        }
        return ctx.rds.instance(ctx.spec.target()).orElseThrow();
    }

    /** Why the instances cannot be renamed right now, if they cannot. */
    private static Optional<String> notReady(RunContext ctx) {
        for (String id : List.of(ctx.spec.target(), ctx.newId())) {
            Optional<InstanceInfo> i = ctx.rds.instance(id);
            if (i.isEmpty()) {
                return Optional.of(id + " is not there");
            }
            if (!i.get().isAvailable()) {
                return Optional.of(id + " is " + i.get().status());
            }
            if (!id.equals(ctx.spec.target()) && i.get().hasPendingModifications()) {
                return Optional.of(id + " has pending modifications (" + String.join(", ",
                        i.get().pendingModifications()) + ")");
            }
        }
        return Optional.empty();
    }

    /**
     * The second rename, retried while RDS refuses it for the instance's state (a backup window that just began,
     * a maintenance action). If it is still refused at the bound, the old target gets its name back: acceptance is
     * never left without an instance under its name.
     */
    private static void renameInOrRollBack(RunContext ctx, RdsWait critical, StageLog log, Instant start) {
        String target = ctx.spec.target();
        Instant giveUp = Instant.now().plus(min(ctx.options.stageMinute().multipliedBy(RENAME_RETRY_MINUTES),
                ctx.timeLeft(StageName.SWITCH, start)));
        int refusals = 0;
        log.log("Renaming " + ctx.newId() + " to " + target);
        ctx.journal.put(RunContext.J_SWITCH_NEW, target);
        while (true) {
            try {
                ctx.rds.rename(ctx.newId(), target);
                if (refusals > 0) {
                    log.log(ctx.newId() + " took the rename after " + refusals + " refusals");
                }
                return;
            } catch (AwsFailure e) {
                if (!"InvalidDBInstanceState".equals(e.errorCode())) {
                    throw e;
                }
                refusals++;
                log.warn("RDS refused to rename " + ctx.newId() + " (" + e.getMessage() + "); trying again");
                try {
                    if (!Instant.now().isBefore(giveUp) && refusals >= RENAME_MIN_ATTEMPTS) {
                        throw new WaitTimeoutException("still refused after " + refusals + " attempts");
                    }
                    Duration left = later(Duration.between(Instant.now(), giveUp),
                            ctx.options.polling().first().multipliedBy(4));
                    Instant next = Instant.now().plus(ctx.options.polling().first());
                    critical.until("a moment before renaming again", left, () -> !Instant.now().isBefore(next));
                    critical.untilAvailable(ctx.newId(), left, i -> log.progress(ctx.newId() + ": " + i.status(), -1));
                } catch (WaitTimeoutException timedOut) {
                    rollBack(ctx, critical, log, start, e, refusals);
                }
            }
        }
    }

    /** Gives the old target its name back and lets testers write on it again; then fails saying so. */
    private static void rollBack(RunContext ctx, RdsWait critical, StageLog log, Instant start, AwsFailure refusal,
            int refusals) {
        String target = ctx.spec.target();
        log.warn(ctx.newId() + " still refuses the rename after " + refusals + " attempts; giving " + ctx.oldId()
                + " its name " + target + " back");
        critical.untilAvailable(ctx.oldId(), ctx.timeLeft(StageName.SWITCH, start),
                i -> log.progress(ctx.oldId() + ": " + i.status(), -1));
        ctx.rds.rename(ctx.oldId(), target);
        critical.untilNameFree(ctx.oldId(), ctx.timeLeft(StageName.SWITCH, start), i -> { });
        InstanceInfo back = critical.untilAvailable(target, ctx.timeLeft(StageName.SWITCH, start),
                i -> log.progress(target + ": " + i.status(), -1));
        if (ctx.catchesUp()) {
            critical.until("the databases to answer at " + ctx.address(back), ctx.timeLeft(StageName.SWITCH, start),
                    () -> RestoreStage.canLogIn(ctx, back));
            ctx.lowerFenceQuietly(back, log);
        }
        ctx.acceptanceDown = null;
        ctx.downtimeStart = null;
        ctx.journal.put(RunContext.J_DOWNTIME_START, null);
        ctx.journal.put(RunContext.J_SWITCH_OLD, null);
        ctx.journal.put(RunContext.J_SWITCH_NEW, null);
        throw new StageFailure("RDS kept refusing to rename " + ctx.newId() + " to " + target + " ("
                + refusal.getMessage() + "), so the old target is back under the name " + target + " with its data,"
                + " and testers may write on it again; " + ctx.newId() + " is kept. Resume (resume: true) to try"
                + " the switch again once " + ctx.newId() + " is available");
    }

    /**
     * "Acceptance answers again" only when a login through the target's name reaches the new instance, proven by
     * its marker: a stale DNS record may still lead to the old one, which answers a login alike.
     */
    private static void awaitAnswersFromNew(RunContext ctx, RdsWait critical, InstanceInfo ready, StageLog log,
            Instant start) {
        if (!ctx.spec.needsDatabaseLogin()) {
            return;
        }
        boolean[] warned = {false};
        critical.until("the databases at " + ctx.address(ready) + " to answer from the new instance",
                ctx.timeLeft(StageName.SWITCH, start), () -> {
                    if (!RestoreStage.canLogIn(ctx, ready)) {
                        return false;
                    }
                    if (!ctx.catchesUp()) {
                        return true; // no marker was written: a login is all we can prove
                    }
                    Optional<Boolean> holds = SwitchMarker.holds(ctx.db, ctx.address(ready), ctx.runId());
                    if (holds.isPresent() && !holds.get() && !warned[0]) {
                        warned[0] = true;
                        log.log(ctx.address(ready) + " still leads to the old instance (a cached DNS record);"
                                + " waiting until it reaches the new one");
                    }
                    return holds.orElse(false);
                });
    }

    /** For a resume: does the target's name lead to the new instance (or was no marker needed)? */
    private static boolean answersFromNew(RunContext ctx, InstanceInfo target) {
        return ctx.journal.isDone(StageName.SWITCH) || !ctx.catchesUp()
                || SwitchMarker.holds(ctx.db, ctx.address(target), ctx.runId()).orElse(false);
    }

    /** An old target kept by an earlier run (oldTarget: keep) whose time is over is deleted to free its name. */
    private static void removeExpiredKeptOld(RunContext ctx, StageLog log, Instant start) {
        Optional<InstanceInfo> kept = ctx.rds.instance(ctx.oldId());
        if (kept.isEmpty()) {
            return;
        }
        String until = kept.get().tags().get(RunContext.TAG_KEPT_UNTIL);
        if (until == null || Instant.now().isBefore(Instant.parse(until))) {
            throw new StageFailure("target", ctx.oldId() + " is in the way of the first rename"
                    + (until == null ? "" : " (kept until " + until + ")") + "; delete it, then resume");
        }
        log.log("Deleting " + ctx.oldId() + ", the old target kept until " + until + " by an earlier run");
        ctx.deleteInstance(StageName.SWITCH, ctx.oldId(), start, log);
    }

    /**
     * Waits until the first rename has taken effect and the target's name is free for the new instance. Not until
     * the old instance is available again: its reboot under the new name would add minutes to the downtime.
     */
    private static void awaitNameFree(RunContext ctx, RdsWait critical, Instant start, StageLog log) {
        String target = ctx.spec.target();
        critical.untilNameFree(target, ctx.timeLeft(StageName.SWITCH, start),
                i -> log.progress(target + ": " + i.status(), -1));
    }

    /** Copies what testers changed on the old target since the backup, so that nothing they did is lost. */
    private static void catchUp(RunContext ctx, InstanceInfo old, StageLog log) throws Exception {
        if (!ctx.catchesUp()) {
            return;
        }
        log.log("Re-reading the preserved rows of " + old.id() + " changed since the backup");
        var manifest = new PreservedRowsBackup().write(ctx.db, ctx.address(old), ctx.tables, ctx.columns,
                ctx.spec.offset(), ctx.catchUpPath(), log, ctx.cancellation);
        PreservedRowsReload reload = new PreservedRowsReload();
        Map<String, Long> rows = reload.replaceRange(ctx.db, ctx.address(ctx.restored), ctx.catchUpPath(), log,
                ctx.cancellation, ctx.options.reloadParallelism());
        reload.restoreColumns(ctx.db, ctx.address(ctx.restored), ctx.catchUpPath(), log);
        ctx.preservedRows.clear();
        ctx.preservedRows.putAll(manifest.rowCounts());
        log.log("Caught up: " + rows.values().stream().mapToLong(Long::longValue).sum() + " preserved rows now on "
                + ctx.restored.id());
    }

    /** AUTO_INCREMENT must still be the offset (MySQL 5.7 recomputes it on restart) and no key may collide. */
    private static void checkOffset(RunContext ctx, InstanceInfo instance, StageLog log) throws Exception {
        if (!ctx.spec.preserveRows()) {
            return;
        }
        try (Connection c = ctx.db.open(ctx.address(instance), null)) {
            List<PreservedTable> tables = OffsetStage.tables(ctx, c);
            AutoIncrementOffset offset = new AutoIncrementOffset();
            if (!offset.isApplied(c, tables, ctx.spec.offset())) {
                log.warn("AUTO_INCREMENT was reset on " + instance.id() + " (a restart?); setting it again");
                offset.apply(c, tables, ctx.spec.offset(), log);
            }
        }
    }

    private static Duration later(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public void plan(RunContext ctx) {
        StageLog log = ctx.log(name());
        if (ctx.currentTarget.isPresent()) {
            log.log("Would wait until " + ctx.spec.target() + " and " + ctx.newId() + " are available with nothing"
                    + " pending (a pending modification of " + ctx.spec.target() + " stops the run)");
            if (ctx.spec.needsDatabaseLogin() && (ctx.spec.preserveRows() || !ctx.spec.preserveColumns().isEmpty())) {
                log.log("Would stop testers' writes on " + ctx.spec.target() + ": ALTER USER ... ACCOUNT LOCK for"
                        + " every account but " + ctx.currentTarget.get().masterUsername() + ", the engine's login and"
                        + " the system accounts, then end their sessions (CALL mysql.rds_kill)");
                log.log("Would re-copy preserved rows changed on " + ctx.spec.target() + " since the backup");
            }
            log.log("Would call ModifyDBInstance " + ctx.spec.target() + " NewDBInstanceIdentifier=" + ctx.oldId());
        }
        log.log("Would call ModifyDBInstance " + ctx.newId() + " NewDBInstanceIdentifier=" + ctx.spec.target()
                + " (retried while RDS refuses it for the instance's state; if it still refuses, "
                + ctx.oldId() + " gets its name back) and wait until the databases answer from the new instance");
        if (ctx.spec.oldTarget() == OldTarget.KEEP) {
            log.log("(oldTarget: keep) the old target stays as " + ctx.oldId() + ", its testers' accounts locked");
        }
    }
}
