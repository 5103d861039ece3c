package io.jenkins.plugins.rdssync.core.stage;

import io.jenkins.plugins.rdssync.core.db.AutoIncrementOffset;
import io.jenkins.plugins.rdssync.core.db.PreservedTable;
import io.jenkins.plugins.rdssync.core.db.SchemaInspector;
import io.jenkins.plugins.rdssync.core.run.StageName;
import java.sql.Connection;
import java.util.List;

/**
 * Sets AUTO_INCREMENT = offset on every preserved table of the restored data, so rows made on acceptance from now
 * on are recognisable; refuses, naming the table, when production keys already reach the offset.
 */
final class OffsetStage implements Stage {
    @Override
    public StageName name() {
        return StageName.OFFSET;
    }

    @Override
    public String skipReason(RunContext ctx) {
        return ctx.spec.preserveRows() ? null : "preserveRows is off";
    }

    @Override
    public boolean alreadyDone(RunContext ctx) throws Exception {
        if (ctx.switchBegan() && ctx.journal.isDone(name())) {
            return true; // the instance is being renamed; the switch checks the offset again
        }
        try (Connection c = ctx.db.open(ctx.address(ctx.restored), null)) {
            List<PreservedTable> tables = tables(ctx, c);
            return new AutoIncrementOffset().isApplied(c, tables, ctx.spec.offset());
        }
    }

    /** The preserved tables as they exist in the restored (production) data. */
    static List<PreservedTable> tables(RunContext ctx, Connection c) throws Exception {
        SchemaInspector inspector = new SchemaInspector();
        List<String> schemas = ctx.spec.databases().isEmpty() ? inspector.userSchemas(c) : ctx.spec.databases();
        return inspector.preservedTables(c, schemas, ctx.spec.preserveTables(), ctx.spec.includeTables(),
                ctx.spec.excludeTables());
    }

    @Override
    public String run(RunContext ctx) throws Exception {
        StageLog log = ctx.log(name());
        try (Connection c = ctx.db.open(ctx.address(ctx.restored), null)) {
            List<PreservedTable> tables = tables(ctx, c);
            AutoIncrementOffset offset = new AutoIncrementOffset();
            offset.checkNoCollision(c, tables, ctx.spec.offset());
            offset.apply(c, tables, ctx.spec.offset(), log);
            return "AUTO_INCREMENT = " + ctx.spec.offset() + " on " + tables.size() + " tables";
        }
    }

    @Override
    public void plan(RunContext ctx) {
        StageLog log = ctx.log(name());
        log.log("Would check that no production key reaches " + ctx.spec.offset() + " in the preserved tables");
        for (PreservedTable t : ctx.tables) {
            log.log("Would run ALTER TABLE " + t.qualified() + " AUTO_INCREMENT = " + ctx.spec.offset());
        }
    }
}
