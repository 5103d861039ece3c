package io.jenkins.plugins.rdssync.core.stage;

import io.jenkins.plugins.rdssync.core.aws.InstanceInfo;
import io.jenkins.plugins.rdssync.core.aws.SnapshotInfo;
import io.jenkins.plugins.rdssync.core.db.PreservedTable;
import io.jenkins.plugins.rdssync.core.db.SchemaInspector;
import io.jenkins.plugins.rdssync.core.db.SqlScript;
import io.jenkins.plugins.rdssync.core.run.StageName;
import io.jenkins.plugins.rdssync.core.spec.SnapshotMode;
import io.jenkins.plugins.rdssync.core.spec.Strategy;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Checks everything that can be checked before the first change: the source, the target (protected? left over from
 * a stopped run?), the snapshot to restore, the restore settings, the database login and the preserved tables.
 * Read-only, so it also runs in a dry run.
 */
final class PreflightStage implements Stage {
    private static final Set<String> MYSQL_ENGINES = Set.of("mysql", "mariadb");

    @Override
    public StageName name() {
        return StageName.PREFLIGHT;
    }

    @Override
    public String run(RunContext ctx) throws Exception {
        SyncSpec spec = ctx.spec;
        StageLog log = ctx.log(name());
        log.log("Source " + spec.source() + ", target " + spec.target() + ", strategy " + spec.strategy()
                + ", snapshot " + spec.snapshotMode() + (spec.dryRun() ? " (dry run: nothing will change)" : ""));

        ctx.source = ctx.sourceRds.instance(spec.source()).orElseThrow(() -> new StageFailure("source",
                "no DB instance '" + spec.source() + "'" + (ctx.sides.twoSides()
                        ? " on the source side (region " + ctx.sides.sourceRegion() + ", the account of the source"
                                + " side's credentials); check the identifier, sourceRegion and sourceRoleArn"
                        : spec.region().map(r -> " in region " + r).orElse("")
                                + "; check the identifier and the region")));
        if (ctx.source.engine() != null && !MYSQL_ENGINES.contains(ctx.source.engine().toLowerCase(Locale.ROOT))) {
            throw new StageFailure("source", "'" + spec.source() + "' runs " + ctx.source.engine()
                    + "; RDS Sync handles MySQL and MariaDB instances");
        }
        log.log("Source " + spec.source() + ": " + ctx.source.status() + ", " + ctx.source.engine() + ", "
                + ctx.source.instanceClass());

        ctx.currentTarget = ctx.rds.instance(spec.target());
        ctx.targetSettings = ctx.resuming
                ? TargetSettings.load(ctx.journal).or(() -> ctx.currentTarget)
                : ctx.currentTarget;
        checkLeftovers(ctx, log);
        ctx.currentTarget.ifPresentOrElse(t -> {
            String tag = t.tags().get(spec.protectedTag());
            if (tag != null && !tag.equalsIgnoreCase("false")) {
                throw new StageFailure("target", "'" + spec.target() + "' is tagged " + spec.protectedTag() + "="
                        + tag + ", which marks it as never to be replaced; choose another target or remove the tag");
            }
            log.log("Target " + t.id() + ": " + t.status() + ", " + t.instanceClass()
                    + (t.deletionProtection() ? ", deletion protection on" : ""));
        }, () -> {
            if (ctx.resuming && ctx.targetSettings.isPresent()) {
                log.log("Target " + spec.target() + " is not there now: the interrupted run "
                        + (spec.strategy() == Strategy.SWAP ? "renamed it to " + ctx.oldId() : "deleted it")
                        + "; it is restored with its settings");
            } else {
                log.warn("Target " + spec.target() + " does not exist yet: this run creates it, with nothing to"
                        + " preserve. If you expected it to exist, check target and region.");
            }
        });

        checkSnapshotSource(ctx, log);
        RestoreCompatibility.checkTopology(ctx);
        if (ctx.sides.twoSides()) {
            ctx.copyPlan = CrossAccountCheck.check(ctx, log);
        }
        checkRestoreSettings(ctx);
        RestoreCompatibility.checkRestore(ctx, log);
        checkSqlFiles(ctx, log);
        startStoppedTarget(ctx, log);
        checkDatabase(ctx, log);
        String summary = ctx.currentTarget.isPresent()
                ? "target " + spec.target() + " found; " + ctx.tables.size() + " tables, " + ctx.columns.size()
                        + " columns to preserve"
                : "target " + spec.target() + " will be created";
        return summary;
    }

    private static void checkLeftovers(RunContext ctx, StageLog log) {
        SyncSpec spec = ctx.spec;
        if (ctx.journal.hasUnfinishedRun() && !spec.resume() && !spec.dryRun()) {
            throw new StageFailure("resume", "a previous run for " + spec.target() + " stopped in stage '"
                    + ctx.journal.lastStarted().orElse("?") + "' (journal " + ctx.journal.file()
                    + "); run again with resume: true (CLI: --resume) to finish it");
        }
        if (ctx.resuming) {
            checkJournalIsThisRuns(ctx);
        }
        if (spec.strategy() != Strategy.SWAP) {
            return;
        }
        boolean resuming = ctx.resuming;
        Optional<InstanceInfo> old = ctx.rds.instance(ctx.oldId());
        String keptUntil = old.map(o -> o.tags().get(RunContext.TAG_KEPT_UNTIL)).orElse(null);
        if (old.isPresent() && !resuming && keptUntil != null) {
            if (java.time.Instant.now().isBefore(java.time.Instant.parse(keptUntil))) {
                throw new StageFailure("oldTarget", "'" + ctx.oldId() + "', the old target an earlier run kept"
                        + " (oldTarget: keep), is kept until " + keptUntil + " and holds the name this swap renames"
                        + " the target to; delete it if you no longer need it, or run after " + keptUntil);
            }
            log.log(ctx.oldId() + " was kept by an earlier run until " + keptUntil + "; it is deleted before the"
                    + " switch");
        } else if (old.isPresent() && !resuming) {
            throw new StageFailure("target", "'" + ctx.oldId() + "' exists: an earlier swap renamed the old target"
                    + " away and did not finish. If " + spec.target() + " is healthy, delete " + ctx.oldId()
                    + "; otherwise rename it back to " + spec.target() + ". Then run again.");
        }
        Optional<InstanceInfo> fresh = ctx.rds.instance(ctx.newId());
        if (fresh.isPresent() && !resuming) {
            if (!fresh.get().tags().containsKey(RunContext.TAG_MANAGED)) {
                throw new StageFailure("target", "'" + ctx.newId() + "' exists and was not made by RDS Sync;"
                        + " it is in the way of the swap strategy: rename or delete it");
            }
            log.warn("'" + ctx.newId() + "' is left over from an earlier run that did not finish; it will be"
                    + " deleted and restored anew");
        }
        if (ctx.currentTarget.isEmpty() && old.isPresent() && resuming) {
            log.log("Resuming a swap: " + ctx.oldId() + " holds the old target");
        }
    }

    /** A resume continues the journal's run: same source, target and strategy, or it would mix two runs. */
    private static void checkJournalIsThisRuns(RunContext ctx) {
        SyncSpec spec = ctx.spec;
        String source = ctx.journal.get("run.source").orElse(spec.source());
        String target = ctx.journal.get("run.target").orElse(spec.target());
        String strategy = ctx.journal.get("run.strategy").orElse(spec.strategy().id());
        String run = "the unfinished run in " + ctx.journal.file() + " (" + source + " -> " + target + ", strategy "
                + strategy + ")";
        if (!target.equalsIgnoreCase(spec.target())) {
            throw new StageFailure("target", run + " is not a run for " + spec.target() + ": resume it with its own"
                    + " configuration (target " + target + "), or give this configuration another workDir");
        }
        if (!source.equalsIgnoreCase(spec.source())) {
            throw new StageFailure("source", run + " snapshots " + source + ", not " + spec.source() + ": resume it"
                    + " with source " + source + ", or give this configuration another workDir");
        }
        if (!strategy.equalsIgnoreCase(spec.strategy().id())) {
            throw new StageFailure("strategy", run + " cannot be continued with strategy " + spec.strategy().id()
                    + ": its finished stages belong to strategy " + strategy + "; resume with strategy " + strategy);
        }
    }

    /** Every SQL file is read now: a file that cannot be read would otherwise stop the run after the restore. */
    private static void checkSqlFiles(RunContext ctx, StageLog log) {
        SyncSpec spec = ctx.spec;
        int statements = 0;
        for (Path f : spec.postSql()) {
            statements += parse(f, "postSql").statements().size();
        }
        int migrations = 0;
        if (spec.migrations().isPresent()) {
            try (Stream<Path> files = Files.list(spec.migrations().get())) {
                for (Path f : files.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".sql"))
                        .filter(Files::isRegularFile).sorted().toList()) {
                    parse(f, "migrations");
                    migrations++;
                }
            } catch (IOException e) {
                throw new StageFailure("migrations", "cannot list the migrations folder " + spec.migrations().get()
                        + ": " + e.getMessage());
            }
        }
        if (!spec.postSql().isEmpty() || spec.migrations().isPresent()) {
            log.log("SQL files read as UTF-8: " + spec.postSql().size() + " post-SQL file(s) with " + statements
                    + " statements" + (spec.migrations().isPresent() ? ", " + migrations + " migration file(s)" : ""));
        }
    }

    private static SqlScript parse(Path f, String field) {
        try {
            return SqlScript.parse(f);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new StageFailure(field, "'" + f + "' is not UTF-8 text (" + e.getClass().getSimpleName()
                    + "); save it as UTF-8: SQL files are read as UTF-8");
        } catch (IOException e) {
            throw new StageFailure(field, "cannot read '" + f + "': " + e.getMessage());
        }
    }

    private static void checkSnapshotSource(RunContext ctx, StageLog log) {
        SyncSpec spec = ctx.spec;
        if (spec.snapshotMode() == SnapshotMode.EXISTING) {
            SnapshotInfo s = ctx.sourceRds.snapshot(spec.snapshotName()).orElseThrow(() -> new StageFailure("snapshotName",
                    "no DB snapshot '" + spec.snapshotName() + "' (snapshotMode existing); check the name, or use"
                            + " snapshotMode rolling to make one"));
            log.log("Snapshot " + s.id() + ": " + s.status() + ", taken " + s.createdAt());
            ctx.snapshotInfo = s;
            checkMasterUser(ctx, s.masterUsername());
        } else if (spec.snapshotMode() == SnapshotMode.LATEST_AUTOMATED) {
            List<SnapshotInfo> automated = ctx.sourceRds.snapshotsOf(spec.source(), "automated").stream()
                    .filter(SnapshotInfo::isAvailable).toList();
            if (automated.isEmpty()) {
                throw new StageFailure("snapshotMode", "'" + spec.source() + "' has no available automated snapshot;"
                        + " enable automated backups on it, or use snapshotMode rolling");
            }
            log.log("Newest automated snapshot: " + automated.get(0).id() + " (" + automated.get(0).createdAt() + ")");
            ctx.snapshotInfo = automated.get(0);
            checkMasterUser(ctx, automated.get(0).masterUsername());
        } else {
            checkMasterUser(ctx, ctx.source.masterUsername());
        }
    }

    /** The restored instance knows only its master user's password after the reset. */
    private static void checkMasterUser(RunContext ctx, String masterUser) {
        SyncSpec spec = ctx.spec;
        if (spec.resetMasterPassword() && spec.mysqlUser().isPresent() && masterUser != null
                && !masterUser.equals(spec.mysqlUser().get())) {
            throw new StageFailure("mysqlCredentialsId", "user '" + spec.mysqlUser().get() + "' is not the master user '"
                    + masterUser + "' of the source; after the restore only the master user's password is reset to"
                    + " the acceptance password. Use the master user, or set resetMasterPassword: false if '"
                    + spec.mysqlUser().get() + "' exists in production with this password.");
        }
    }

    private static void checkRestoreSettings(RunContext ctx) {
        SyncSpec spec = ctx.spec;
        spec.subnetGroup().filter(g -> !ctx.rds.subnetGroupExists(g)).ifPresent(g -> {
            throw new StageFailure("subnetGroup", "no DB subnet group '" + g + "'; check the name (RDS console,"
                    + " Subnet groups)");
        });
        // parameter and option groups: RestoreCompatibility checks that they exist and fit
    }

    /**
     * A stopped target cannot be read or renamed: it is started when the run must read its rows (any strategy) or
     * rename it (swap), after every read-only check has passed. In replace without rows to read it is deleted as it
     * is. The only change Preflight makes, and not in a dry run.
     */
    private static void startStoppedTarget(RunContext ctx, StageLog log) {
        Optional<InstanceInfo> t = ctx.currentTarget;
        if (t.isEmpty() || !io.jenkins.plugins.rdssync.core.aws.RdsStates.isStoppedOrStopping(t.get().status())) {
            return;
        }
        boolean read = ctx.spec.needsDatabaseLogin() && (ctx.spec.preserveRows()
                || !ctx.spec.preserveColumns().isEmpty());
        boolean rename = ctx.spec.strategy() == Strategy.SWAP;
        if (!read && !rename) {
            log.log("Target " + t.get().id() + " is " + t.get().status() + "; with nothing to read from it, it is"
                    + " deleted as it is");
            return;
        }
        String why = read ? "its rows can be saved" + (rename ? " and it can be renamed away" : "")
                : "it can be renamed away";
        if (ctx.spec.dryRun() || ctx.resuming && ctx.journal.isDone(StageName.BACKUP)) {
            log.log("Target " + t.get().id() + " is " + t.get().status() + (ctx.spec.dryRun()
                    ? "; would call StartDBInstance so that " + why : ""));
            return;
        }
        ctx.startIfStopped(StageName.PREFLIGHT, t.get().id(), java.time.Instant.now(), log, why);
    }

    private static void checkDatabase(RunContext ctx, StageLog log) throws Exception {
        SyncSpec spec = ctx.spec;
        if (!spec.needsDatabaseLogin() || ctx.currentTarget.isEmpty()) {
            return;
        }
        InstanceInfo target = ctx.currentTarget.get();
        if (target.isStopped() && ctx.spec.dryRun()) {
            log.log("Database checks of " + target.id() + " skipped: it is stopped (the run starts it first)");
            return;
        }
        if (ctx.resuming && ctx.journal.isDone(StageName.BACKUP) && !target.isAvailable()) {
            // deleting (replace), renaming (swap) or a failed restore of ours: the rows were saved before
            log.log("Database checks of " + target.id() + " skipped: it is " + target.status() + ", and the preserved"
                    + " rows were saved by the interrupted run");
            return;
        }
        if (!target.hasEndpoint()) {
            throw new StageFailure("target", "'" + target.id() + "' has no endpoint (status " + target.status()
                    + "); wait until it is available, then run again");
        }
        ctx.db.checkLogin(ctx.address(target));
        log.log("Database login as " + spec.mysqlUser().orElse("?") + " at " + ctx.address(target) + " works");
        try (Connection c = ctx.db.open(ctx.address(target), null)) {
            SchemaInspector inspector = new SchemaInspector();
            List<String> schemas = spec.databases().isEmpty() ? inspector.userSchemas(c) : spec.databases();
            List<String> present = inspector.userSchemas(c);
            for (String db : spec.databases()) {
                if (present.stream().noneMatch(db::equalsIgnoreCase)) {
                    throw new StageFailure("databases", "schema '" + db + "' does not exist on " + target.id()
                            + " (it has " + present + ")");
                }
            }
            if (spec.preserveRows()) {
                ctx.tables = inspector.preservedTables(c, schemas, spec.preserveTables(), spec.includeTables(),
                        spec.excludeTables());
                log.log("Preserved tables (key >= " + spec.offset() + "): " + (ctx.tables.isEmpty() ? "none"
                        : String.join(", ", ctx.tables.stream().map(t -> t.qualified() + ":" + t.key()).toList())));
                checkOffsetFits(c, ctx.tables, spec.offset());
            }
            if (!spec.preserveColumns().isEmpty()) {
                ctx.columns = inspector.preservedColumns(c, schemas, spec.preserveColumns());
                log.log("Preserved columns: " + ctx.columns);
            }
        }
    }

    /** The offset must fit every key column, or AUTO_INCREMENT cannot be set and no acceptance row could have it. */
    private static void checkOffsetFits(Connection c, List<PreservedTable> tables, long offset) throws Exception {
        List<String> tooSmall = new ArrayList<>();
        BigInteger smallest = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT DATA_TYPE, COLUMN_TYPE FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND COLUMN_NAME = ?")) {
            for (PreservedTable t : tables) {
                ps.setString(1, t.schema());
                ps.setString(2, t.table());
                ps.setString(3, t.key());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        continue;
                    }
                    BigInteger max = maxOf(rs.getString(1), rs.getString(2));
                    if (max != null && BigInteger.valueOf(offset).compareTo(max) > 0) {
                        tooSmall.add(t.qualified() + "." + t.key() + " (" + rs.getString(2) + ", at most " + max + ")");
                        smallest = smallest == null || max.compareTo(smallest) < 0 ? max : smallest;
                    }
                }
            }
        }
        if (!tooSmall.isEmpty()) {
            throw new StageFailure("offset", offset + " is beyond the largest key of " + String.join(", ", tooSmall)
                    + ": AUTO_INCREMENT cannot start there. Choose an offset below " + smallest
                    + ", or leave these tables out (excludeTables, or list preserveTables)");
        }
    }

    /** The largest value of an integer column type, or null for other types. */
    static BigInteger maxOf(String dataType, String columnType) {
        boolean unsigned = columnType != null && columnType.toLowerCase(Locale.ROOT).contains("unsigned");
        int bits = switch (dataType == null ? "" : dataType.toLowerCase(Locale.ROOT)) {
            case "tinyint" -> 8;
            case "smallint" -> 16;
            case "mediumint" -> 24;
            case "int", "integer" -> 32;
            case "bigint" -> 64;
            default -> 0;
        };
        if (bits == 0) {
            return null;
        }
        return BigInteger.TWO.pow(unsigned ? bits : bits - 1).subtract(BigInteger.ONE);
    }

    @Override
    public void plan(RunContext ctx) throws Exception {
        run(ctx);
    }
}
