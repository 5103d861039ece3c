package io.jenkins.plugins.rdssync.core.stage;

import io.jenkins.plugins.rdssync.core.db.BackupManifest;
import io.jenkins.plugins.rdssync.core.db.PreservedRowsBackup;
import io.jenkins.plugins.rdssync.core.db.PreservedRowsFile;
import io.jenkins.plugins.rdssync.core.run.StageName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Writes the preserved rows and column values of the current target to a compressed file, reads it back and checks
 * counts and SHA-256. Runs while the snapshot is being made; nothing destructive happens before it has finished.
 */
final class BackupStage implements Stage {
    static final String JOURNAL_SHA = "backup.sha256";
    static final String JOURNAL_FILE = "backup.file";

    @Override
    public StageName name() {
        return StageName.BACKUP;
    }

    @Override
    public String skipReason(RunContext ctx) {
        return nothingToPreserve(ctx);
    }

    /** Why there is nothing to preserve in this run, or {@code null} when Backup saves rows or column values. */
    static String nothingToPreserve(RunContext ctx) {
        if (!ctx.spec.preserveRows() && ctx.spec.preserveColumns().isEmpty()) {
            return "preserveRows is off and no columns are preserved";
        }
        if (ctx.currentTarget.isEmpty() && ctx.journal.get(JOURNAL_FILE).isEmpty()) {
            return "no target yet, nothing to preserve";
        }
        return null;
    }

    @Override
    public boolean alreadyDone(RunContext ctx) throws Exception {
        Optional<String> file = ctx.journal.get(JOURNAL_FILE);
        if (file.isEmpty() || !ctx.journal.isDone(name()) || !Files.exists(Path.of(file.get()))) {
            return false;
        }
        BackupManifest m = PreservedRowsFile.verify(Path.of(file.get()));
        if (!m.sha256().equals(ctx.journal.get(JOURNAL_SHA).orElse(""))) {
            return false;
        }
        ctx.backupFile = Path.of(file.get());
        ctx.preservedRows.putAll(m.rowCounts());
        ctx.log(name()).log("Preserved rows from the interrupted run verified: " + m.rowCounts().values().stream()
                .mapToLong(Long::longValue).sum() + " rows, sha256 " + m.sha256());
        return true;
    }

    @Override
    public String run(RunContext ctx) throws Exception {
        StageLog log = ctx.log(name());
        Path file = ctx.backupPath();
        BackupManifest m = new PreservedRowsBackup().write(ctx.db, ctx.address(ctx.currentTarget.get()), ctx.tables,
                ctx.columns, ctx.spec.offset(), file, log, ctx.cancellation);
        ctx.backupFile = file;
        ctx.preservedRows.putAll(m.rowCounts());
        ctx.journal.put(JOURNAL_FILE, file.toAbsolutePath().toString());
        ctx.journal.put(JOURNAL_SHA, m.sha256());
        long rows = m.totalRows();
        long values = m.columnValueCounts().values().stream().mapToLong(Long::longValue).sum();
        return rows + " rows, " + values + " column values";
    }

    @Override
    public void plan(RunContext ctx) {
        StageLog log = ctx.log(name());
        for (var t : ctx.tables) {
            log.log("Would save rows of " + t.qualified() + " where " + t.key() + " >= " + ctx.spec.offset());
        }
        for (var c : ctx.columns) {
            log.log("Would save column values " + c);
        }
        log.log("Would write and verify " + ctx.backupPath());
    }
}
