package io.jenkins.plugins.rdssync.core.stage;

import io.jenkins.plugins.rdssync.core.db.Migrations;
import io.jenkins.plugins.rdssync.core.db.SqlScriptRunner;
import io.jenkins.plugins.rdssync.core.run.StageName;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;

/**
 * Re-applies the migration files that acceptance had run but production has not (files absent from the restored
 * history table), in name order, recording each after success.
 */
final class MigrationsStage implements Stage {
    @Override
    public StageName name() {
        return StageName.MIGRATIONS;
    }

    @Override
    public String skipReason(RunContext ctx) {
        return ctx.spec.migrations().isEmpty() ? "no migrations folder configured" : null;
    }

    @Override
    public boolean alreadyDone(RunContext ctx) throws Exception {
        if (ctx.switchBegan() && ctx.journal.isDone(name())) {
            return true; // the instance is being renamed
        }
        try (Connection c = ctx.db.open(ctx.address(ctx.restored), ctx.defaultSchema())) {
            return pending(ctx, c, ctx.log(name())).isEmpty();
        }
    }

    private static List<Path> pending(RunContext ctx, Connection c, StageLog log) throws Exception {
        return new Migrations().pending(c, ctx.spec.migrations().get(), ctx.spec.migrationsTable(),
                ctx.spec.migrationsColumn(), log);
    }

    @Override
    public String run(RunContext ctx) throws Exception {
        StageLog log = ctx.log(name());
        try (Connection c = ctx.db.open(ctx.address(ctx.restored), ctx.defaultSchema())) {
            List<Path> pending = pending(ctx, c, log);
            if (pending.isEmpty()) {
                log.log("Production has run every migration in " + ctx.spec.migrations().get());
                return "none pending";
            }
            log.log(pending.size() + " migrations not in production: "
                    + pending.stream().map(p -> p.getFileName().toString()).toList());
            // a stop request is honoured between statements; each file is recorded once applied, and a file
            // stopped half-way continues after its last statement on resume
            int applied = new Migrations().apply(c, pending, ctx.spec.migrationsTable(), ctx.spec.migrationsColumn(),
                    log, new SqlScriptRunner(Migrations.FIELD, ctx.cancellation),
                    file -> SqlCheckpoints.inJournal(ctx, "migrations." + file));
            return applied + " applied";
        }
    }

    @Override
    public void plan(RunContext ctx) {
        ctx.log(name()).log("Would apply the *.sql files of " + ctx.spec.migrations().get() + " that "
                + ctx.spec.migrationsTable() + "." + ctx.spec.migrationsColumn()
                + " of the restored data does not record, in name order");
    }
}
