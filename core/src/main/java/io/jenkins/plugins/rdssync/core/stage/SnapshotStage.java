package io.jenkins.plugins.rdssync.core.stage;

import io.jenkins.plugins.rdssync.core.aws.SnapshotInfo;
import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.spec.SnapshotMode;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Provides the snapshot to restore from: made anew (rolling name or timestamped), an existing one, or the source's
 * newest automated snapshot; optionally copied with a KMS key. The only stage that touches the source, and only by
 * snapshotting it. Its calls go to the source side ({@code ctx.sourceRds}), which with production in another account
 * or region is production's own.
 */
final class SnapshotStage implements Stage {
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    static final String JOURNAL_ID = "snapshot.id";

    @Override
    public StageName name() {
        return StageName.SNAPSHOT;
    }

    @Override
    public boolean alreadyDone(RunContext ctx) {
        Optional<String> id = ctx.journal.get(JOURNAL_ID);
        if (id.isEmpty() || !ctx.journal.isDone(name())) {
            return false;
        }
        Optional<SnapshotInfo> s = ctx.sourceRds.snapshot(id.get());
        if (s.isPresent() && s.get().isAvailable()) {
            ctx.snapshotId = id.get();
            ctx.snapshotInfo = s.get();
            ctx.log(name()).log("Snapshot " + ctx.snapshotId + " from the interrupted run is available");
            return true;
        }
        return false;
    }

    @Override
    public String run(RunContext ctx) {
        SyncSpec spec = ctx.spec;
        StageLog log = ctx.log(name());
        Instant start = Instant.now();
        String id = switch (spec.snapshotMode()) {
            case EXISTING -> spec.snapshotName();
            case LATEST_AUTOMATED -> latestAutomated(ctx);
            case ROLLING -> rolling(ctx, start, log);
            case NEW -> make(ctx, resumedNewSnapshot(ctx).orElse(spec.snapshotName() + "-" + STAMP.format(start)),
                    start, log);
        };
        if (spec.snapshotMode() == SnapshotMode.EXISTING || spec.snapshotMode() == SnapshotMode.LATEST_AUTOMATED) {
            await(ctx, id, start, log);
        }
        if (spec.snapshotCopyKmsKeyId().isPresent() && !ctx.sides.twoSides()) {
            // (with a source side of its own, Share and copy re-encrypts the copy in the target's account)
            id = copy(ctx, id, start, log);
        }
        ctx.snapshotId = id;
        ctx.journal.put(JOURNAL_ID, id);
        return "snapshot " + id;
    }

    private static String latestAutomated(RunContext ctx) {
        List<SnapshotInfo> automated = ctx.sourceRds.snapshotsOf(ctx.spec.source(), "automated").stream()
                .filter(SnapshotInfo::isAvailable).toList();
        if (automated.isEmpty()) {
            throw new StageFailure("snapshotMode", "'" + ctx.spec.source() + "' has no available automated snapshot");
        }
        ctx.log(StageName.SNAPSHOT).log("Using the newest automated snapshot " + automated.get(0).id());
        return automated.get(0).id();
    }

    /**
     * snapshotMode new, resumed: the timestamped snapshot the interrupted run asked for, if it still exists (a new
     * timestamp would make a second snapshot of production).
     */
    private static Optional<String> resumedNewSnapshot(RunContext ctx) {
        if (!ctx.resuming) {
            return Optional.empty();
        }
        return ctx.journal.get(JOURNAL_ID).filter(id -> lower(id).startsWith(lower(ctx.spec.snapshotName()) + "-"))
                .filter(id -> ctx.sourceRds.snapshot(id).filter(s -> usable(s.status())).isPresent());
    }

    /** A snapshot in this state becomes (or is) available without anyone's help. */
    private static boolean usable(String status) {
        return !"deleting".equals(status) && !"failed".equals(status) && !"deleted".equals(status);
    }

    /** Creates a snapshot of the source under {@code id}, replacing an older one of that name (rolling). */
    private String make(RunContext ctx, String id, Instant start, StageLog log) {
        Optional<SnapshotInfo> existing = ctx.sourceRds.snapshot(id);
        boolean ours = ctx.resuming && ctx.journal.get(JOURNAL_ID).filter(id::equalsIgnoreCase).isPresent();
        if (existing.isPresent() && ours && usable(existing.get().status())) {
            log.log("Snapshot " + id + " was started by the interrupted run (" + existing.get().status() + ", "
                    + existing.get().percentProgress() + "%); waiting for it");
        } else {
            if (existing.isPresent()) {
                if ("creating".equals(existing.get().status())) {
                    // RDS refuses to delete a snapshot still being made (InvalidDBSnapshotState): let it finish
                    log.log("The previous snapshot " + id + " is still being created; waiting to replace it");
                    ctx.sourceAwait.untilSnapshotAvailable(id, ctx.timeLeft(name(), start), snap -> { });
                }
                log.log("Deleting the previous snapshot " + id + " (taken " + existing.get().createdAt() + ")");
                if (!"deleting".equals(existing.get().status())) {
                    ctx.cancellation.check();
                    ctx.sourceRds.deleteSnapshot(id);
                }
                ctx.sourceAwait.untilSnapshotGone(id, ctx.timeLeft(name(), start));
            }
            awaitSource(ctx, start, log);
            log.log("Creating snapshot " + id + " of " + ctx.spec.source());
            ctx.sourceRds.createSnapshot(id, ctx.spec.source(), Map.of(RunContext.TAG_MANAGED, ctx.spec.target()));
            ctx.journal.put(JOURNAL_ID, id);
        }
        await(ctx, id, start, log);
        // RDS keeps identifiers in lower case: from now on, its spelling
        return ctx.snapshotInfo != null ? ctx.snapshotInfo.id() : id;
    }

    private void await(RunContext ctx, String id, Instant start, StageLog log) {
        SnapshotInfo s = ctx.sourceAwait.untilSnapshotAvailable(id, ctx.timeLeft(name(), start),
                snap -> log.progress("Snapshot " + id + ": " + snap.status() + " " + snap.percentProgress() + "%",
                        snap.percentProgress()));
        ctx.snapshotInfo = s;
        log.log("Snapshot " + id + " is available (" + s.percentProgress() + "%)");
    }

    /** The two names rolling mode alternates between: one always holds a complete snapshot. */
    static List<String> rollingNames(String base) {
        return List.of(base + "-a", base + "-b");
    }

    /**
     * Rolling: creates the new snapshot under whichever of the two names is free (or holds the older one, deleted
     * first), and only once it is available deletes the previous one, so that a failure never leaves no snapshot.
     * A snapshot under the plain name (the rolling name of earlier versions), made for this target, goes too.
     */
    private String rolling(RunContext ctx, Instant start, StageLog log) {
        String base = ctx.spec.snapshotName();
        List<String> names = rollingNames(base);
        Optional<String> resumed = ctx.resuming ? ctx.journal.get(JOURNAL_ID)
                .filter(j -> names.stream().anyMatch(j::equalsIgnoreCase)) : Optional.empty();
        String next;
        if (resumed.isPresent() && ctx.sourceRds.snapshot(resumed.get()).filter(x -> usable(x.status())).isPresent()) {
            next = resumed.get();
        } else {
            Optional<SnapshotInfo> a = ctx.sourceRds.snapshot(names.get(0));
            Optional<SnapshotInfo> b = ctx.sourceRds.snapshot(names.get(1));
            if (a.isEmpty()) {
                next = names.get(0);
            } else if (b.isEmpty()) {
                next = names.get(1);
            } else {
                // both there (an earlier run stopped between create and delete): replace the older
                next = older(a.get(), b.get()) == a.get() ? names.get(0) : names.get(1);
            }
        }
        String made = make(ctx, next, start, log);
        for (String other : List.of(names.get(0), names.get(1), base)) {
            if (!other.equalsIgnoreCase(made)) {
                deletePrevious(ctx, other, log);
            }
        }
        return made;
    }

    private static SnapshotInfo older(SnapshotInfo a, SnapshotInfo b) {
        if (a.createdAt() == null || b.createdAt() == null) {
            return a.createdAt() == null ? a : b;
        }
        return a.createdAt().isBefore(b.createdAt()) ? a : b;
    }

    /** Deletes the previous rolling snapshot of this target, if there is one and RDS lets it go now. */
    private static void deletePrevious(RunContext ctx, String id, StageLog log) {
        Optional<SnapshotInfo> s = ctx.sourceRds.snapshot(id);
        if (s.isEmpty() || s.get().isAutomated()
                || !ctx.spec.target().equalsIgnoreCase(s.get().tags().getOrDefault(RunContext.TAG_MANAGED, ""))) {
            return;
        }
        if (!s.get().isAvailable()) {
            log.warn("The previous snapshot " + id + " is " + s.get().status() + "; it is left for the next run");
            return;
        }
        log.log("Deleting the previous snapshot " + id + " (taken " + s.get().createdAt() + ")");
        ctx.sourceRds.deleteSnapshot(s.get().id());
    }

    /**
     * RDS refuses CreateDBSnapshot on an instance that is not available (InvalidDBInstanceState; e.g. backing-up in
     * its nightly backup window, fog/fog-aws#157): wait for it, within the stage's time.
     */
    private void awaitSource(RunContext ctx, Instant start, StageLog log) {
        String source = ctx.spec.source();
        Optional<io.jenkins.plugins.rdssync.core.aws.InstanceInfo> now = ctx.sourceRds.instance(source);
        if (now.isPresent() && !now.get().isAvailable()) {
            log.log("Source " + source + " is " + now.get().status() + " (its backup window?); waiting until it is"
                    + " available to snapshot it");
            Instant began = Instant.now();
            ctx.sourceAwait.untilAvailable(source, ctx.timeLeft(name(), start),
                    i -> log.progress("Source " + source + ": " + i.status(), -1));
            log.log("Source " + source + " is available after "
                    + java.time.Duration.between(began, Instant.now()).toSeconds() + " s");
        }
    }

    private static String lower(String s) {
        return s.toLowerCase(java.util.Locale.ROOT);
    }

    private String copy(RunContext ctx, String sourceId, Instant start, StageLog log) {
        // per target: two targets synced from one production each keep their own copy
        String copyId = ctx.spec.target() + "-rds-sync-kms";
        if (ctx.sourceRds.snapshot(copyId).isPresent()) {
            log.log("Deleting the previous copy " + copyId);
            ctx.sourceRds.deleteSnapshot(copyId);
            ctx.sourceAwait.untilSnapshotGone(copyId, ctx.timeLeft(name(), start));
        }
        log.log("Copying " + sourceId + " to " + copyId + " with KMS key " + ctx.spec.snapshotCopyKmsKeyId().get());
        ctx.sourceRds.copySnapshot(sourceId, copyId, ctx.spec.snapshotCopyKmsKeyId().get(),
                Map.of(RunContext.TAG_MANAGED, ctx.spec.target()));
        await(ctx, copyId, start, log);
        return copyId;
    }

    @Override
    public void plan(RunContext ctx) {
        SyncSpec spec = ctx.spec;
        StageLog log = ctx.log(name());
        switch (spec.snapshotMode()) {
            case EXISTING -> log.log("Would use existing snapshot " + spec.snapshotName());
            case LATEST_AUTOMATED -> log.log("Would use the newest automated snapshot of " + spec.source() + ": "
                    + latestAutomated(ctx));
            case ROLLING -> {
                List<String> names = rollingNames(spec.snapshotName());
                log.log("Would call CreateDBSnapshot " + names.get(0) + " or " + names.get(1) + " (whichever is free or"
                        + " older) of " + spec.source() + ", wait, then delete the other (the previous snapshot)");
            }
            case NEW -> log.log("Would call CreateDBSnapshot " + spec.snapshotName() + "-<yyyyMMdd-HHmmss> of "
                    + spec.source() + " and wait");
        }
        if (!ctx.sides.twoSides()) {
            spec.snapshotCopyKmsKeyId().ifPresent(k -> log.log("Would call CopyDBSnapshot with KMS key " + k));
        }
        ctx.snapshotId = switch (spec.snapshotMode()) {
            case NEW -> spec.snapshotName() + "-<timestamp>";
            case ROLLING -> spec.snapshotName() + "-<a|b>";
            default -> spec.snapshotName();
        };
    }
}
