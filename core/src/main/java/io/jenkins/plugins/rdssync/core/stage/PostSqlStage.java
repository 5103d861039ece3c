package io.jenkins.plugins.rdssync.core.stage;

import io.jenkins.plugins.rdssync.core.db.SqlScript;
import io.jenkins.plugins.rdssync.core.db.SqlScriptRunner;
import io.jenkins.plugins.rdssync.core.run.StageName;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the post-restore SQL (the original toolkit's post-migration-tweaks.sql: truncate what acceptance does not
 * need, grants, masking) on the restored instance; each statement logged with rows affected, the first error stops
 * the run with file and line.
 */
final class PostSqlStage implements Stage {
    @Override
    public StageName name() {
        return StageName.POST_SQL;
    }

    @Override
    public String skipReason(RunContext ctx) {
        return ctx.spec.postSql().isEmpty() && ctx.spec.postSqlStatements().isEmpty() ? "no postSql configured" : null;
    }

    @Override
    public boolean alreadyDone(RunContext ctx) {
        // SQL leaves no trace we can recognise in general; trust the journal
        return ctx.journal.isDone(name());
    }

    @Override
    public String run(RunContext ctx) throws Exception {
        StageLog log = ctx.log(name());
        int statements = 0;
        try (Connection c = ctx.db.open(ctx.address(ctx.restored), ctx.defaultSchema())) {
            // a stop request is honoured between statements; the resume continues after the last one that ran
            SqlScriptRunner runner = new SqlScriptRunner("postSql", ctx.cancellation);
            List<SqlScript> scripts = scripts(ctx);
            for (int i = 0; i < scripts.size(); i++) {
                statements += runner.run(c, scripts.get(i), log,
                        SqlCheckpoints.inJournal(ctx, "postSql." + (i + 1) + "." + scripts.get(i).source()));
            }
        }
        return statements + " statements";
    }

    private static List<SqlScript> scripts(RunContext ctx) throws Exception {
        List<SqlScript> scripts = new ArrayList<>();
        for (Path f : ctx.spec.postSql()) {
            scripts.add(SqlScript.parse(f));
        }
        if (!ctx.spec.postSqlStatements().isEmpty()) {
            scripts.add(SqlScript.of(ctx.spec.postSqlStatements(), "postSqlStatements"));
        }
        return scripts;
    }

    private static String oneLine(String sql) {
        String flat = sql.replaceAll("\\s+", " ").trim();
        return flat.length() <= 100 ? flat : flat.substring(0, 97) + "...";
    }

    @Override
    public void plan(RunContext ctx) throws Exception {
        StageLog log = ctx.log(name());
        for (SqlScript script : scripts(ctx)) {
            script.statements().forEach(s -> log.log("Would run " + script.location(s) + ": "
                    + oneLine(s.shown())));
        }
    }
}
