package io.jenkins.plugins.rdssync.core.stage;

import io.jenkins.plugins.rdssync.core.db.PreservedRowsReload;
import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.spec.Strategy;
import java.time.Instant;
import java.util.Map;

/**
 * Loads the preserved rows and column values into the restored instance: foreign-key safe, never twice, counts
 * verified.
 */
final class ReloadStage implements Stage {
    @Override
    public StageName name() {
        return StageName.RELOAD;
    }

    @Override
    public String skipReason(RunContext ctx) {
        if (ctx.spec.dryRun()) {
            // a plan writes no file: reload what Backup would have preserved
            String backup = BackupStage.nothingToPreserve(ctx);
            return backup == null ? null : "nothing would be preserved (" + backup + ")";
        }
        return ctx.backupFile == null ? "nothing was preserved" : null;
    }

    @Override
    public boolean alreadyDone(RunContext ctx) {
        return ctx.journal.isDone(name());
    }

    @Override
    public String run(RunContext ctx) throws Exception {
        StageLog log = ctx.log(name());
        PreservedRowsReload reload = new PreservedRowsReload();
        Map<String, Long> loaded = reload.reload(ctx.db, ctx.address(ctx.restored), ctx.backupFile, log,
                ctx.cancellation, ctx.options.reloadParallelism());
        int columns = reload.restoreColumns(ctx.db, ctx.address(ctx.restored), ctx.backupFile, log);
        long rows = loaded.values().stream().mapToLong(Long::longValue).sum();
        openToTesters(ctx, log);
        return rows + " rows in " + loaded.size() + " tables, " + columns + " column values";
    }

    /** replace: the restored instance kept testers out until now (see RestoreStage); they may write again. */
    static void openToTesters(RunContext ctx, StageLog log) throws Exception {
        if (ctx.spec.strategy() != Strategy.REPLACE || ctx.restored == null
                || ctx.journal.get(RunContext.J_FENCE_START).isEmpty()) {
            return;
        }
        ctx.lowerFence(ctx.restored, log);
        if (ctx.downtimeStart != null) {
            ctx.downtimeEnd = Instant.now();
        }
    }

    @Override
    public void plan(RunContext ctx) {
        ctx.log(name()).log("Would load the preserved rows into " + ctx.restoreId()
                + " (INSERT IGNORE semantics, foreign-key checks off per session) and verify the counts;"
                + " then re-apply the preserved column values");
    }
}
