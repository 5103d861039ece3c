package io.jenkins.plugins.rdssync.core.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Re-applies the SQL migration files that acceptance had run but production has not: the {@code *.sql} files of a
 * folder, in name order, whose name (with or without {@code .sql}) is not recorded in the history table's column.
 * Each file is run with the {@link SqlScriptRunner} and recorded (its name without {@code .sql}) only after it
 * succeeded. The history table may be written {@code schema.table}; otherwise it is looked up in the connection's
 * default schema.
 */
public final class Migrations {
    public static final String FIELD = "migrations";

    /** The pending files; a missing history table makes every file pending (see the overload that says so). */
    public List<Path> pending(Connection c, Path folder, String historyTable, String historyColumn)
            throws DbException {
        return pending(c, folder, historyTable, historyColumn, DbProgress.NONE);
    }

    /** The pending files, saying in the log which files are pending and when the history table is missing. */
    public List<Path> pending(Connection c, Path folder, String historyTable, String historyColumn,
            DbProgress progress) throws DbException {
        List<Path> files = files(folder);
        Set<String> done;
        try {
            String[] t = table(c, historyTable);
            if (!exists(c, t[0], t[1])) {
                progress.log("Migration history table " + t[0] + "." + t[1] + " does not exist: all "
                        + files.size() + " files of " + folder + " are pending");
                return files;
            }
            done = recorded(c, t, historyColumn);
        } catch (SQLException e) {
            throw new DbException(FIELD, "cannot read the migration history " + historyTable + "." + historyColumn
                    + ": " + e.getMessage(), e);
        }
        List<Path> pending = new ArrayList<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (!done.contains(name) && !done.contains(withoutSql(name))) {
                pending.add(f);
            }
        }
        progress.log(pending.isEmpty() ? "No pending migrations (" + files.size() + " files, all recorded in "
                + historyTable + ")"
                : pending.size() + " of " + files.size() + " migration files pending: "
                        + String.join(", ", pending.stream().map(p -> p.getFileName().toString()).toList()));
        return pending;
    }

    /**
     * Runs the files in order, recording each after it succeeded; creates a minimal history table when there is
     * none.
     *
     * @return the number of files applied
     * @throws SqlScriptException at the first failing statement (files before it stay applied and recorded)
     */
    public int apply(Connection c, List<Path> pending, String historyTable, String historyColumn,
            DbProgress progress) throws DbException {
        return apply(c, pending, historyTable, historyColumn, progress, new SqlScriptRunner(FIELD),
                file -> SqlScriptCheckpoint.NONE);
    }

    /**
     * As {@link #apply(Connection, List, String, String, DbProgress)}, with the caller's runner (its cancellation)
     * and a checkpoint per file name, so that a file stopped half-way continues where it stopped.
     */
    public int apply(Connection c, List<Path> pending, String historyTable, String historyColumn,
            DbProgress progress, SqlScriptRunner runner,
            java.util.function.Function<String, SqlScriptCheckpoint> checkpoints) throws DbException {
        if (pending.isEmpty()) {
            return 0;
        }
        String[] t;
        try {
            t = table(c, historyTable);
            if (!exists(c, t[0], t[1])) {
                Sql.exec(c, "CREATE TABLE IF NOT EXISTS " + Sql.id(t[0], t[1]) + " (" + Sql.id(historyColumn)
                        + " VARCHAR(255) NOT NULL PRIMARY KEY, applied_at TIMESTAMP NOT NULL DEFAULT"
                        + " CURRENT_TIMESTAMP)");
                progress.log("Created the migration history table " + t[0] + "." + t[1]);
            }
        } catch (SQLException e) {
            throw new DbException(FIELD, "cannot create the migration history table " + historyTable + ": "
                    + e.getMessage(), e);
        }
        int applied = 0;
        for (Path f : pending) {
            String name = f.getFileName().toString();
            SqlScript script;
            try {
                script = SqlScript.parse(f);
            } catch (IOException e) {
                throw new DbException(FIELD, "cannot read migration " + f + ": " + e, e);
            }
            long t0 = System.nanoTime();
            progress.log("Applying migration " + name + " (" + script.statements().size() + " statements)");
            runner.run(c, script, progress, checkpoints.apply(name));
            try (PreparedStatement ps = c.prepareStatement(recordSql(c, t, historyColumn))) {
                ps.setString(1, withoutSql(name));
                ps.executeUpdate();
            } catch (SQLException e) {
                throw new DbException(FIELD, "migration " + name + " was applied but could not be recorded in "
                        + historyTable + "." + historyColumn + ": " + e.getMessage()
                        + "; record it by hand before the next run", e);
            }
            applied++;
            progress.log("Migration " + name + " applied and recorded (" + Sql.seconds(System.nanoTime() - t0) + ")");
        }
        return applied;
    }

    /**
     * The INSERT that records a migration. History tables of real tools have more required columns than the
     * version (an applied-at time, Laravel's batch number): those without a default get the current time, the
     * next number, or an empty string.
     */
    static String recordSql(Connection c, String[] t, String historyColumn) throws SQLException {
        List<String> columns = new java.util.ArrayList<>(List.of(Sql.id(historyColumn)));
        List<String> values = new java.util.ArrayList<>(List.of("?"));
        boolean aggregate = false;
        try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND IS_NULLABLE = 'NO' AND COLUMN_DEFAULT IS NULL"
                + " AND EXTRA NOT LIKE '%auto_increment%' AND EXTRA NOT LIKE '%GENERATED%'"
                + " ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, t[0]);
            ps.setString(2, t[1]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    String type = rs.getString(2).toLowerCase(Locale.ROOT);
                    if (name.equalsIgnoreCase(historyColumn)) {
                        continue;
                    }
                    String value = switch (type) {
                        case "datetime", "timestamp" -> "CURRENT_TIMESTAMP";
                        case "date" -> "CURRENT_DATE";
                        case "time" -> "CURRENT_TIME";
                        case "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "decimal", "float",
                                "double" -> "COALESCE(MAX(" + Sql.id(name) + "), 0) + 1";
                        case "char", "varchar", "text", "tinytext", "mediumtext", "longtext" -> "''";
                        default -> null;
                    };
                    if (value != null) {
                        aggregate |= value.startsWith("COALESCE");
                        columns.add(Sql.id(name));
                        values.add(value);
                    }
                }
            }
        }
        // an aggregate over the table itself yields exactly one row, also when the table is empty
        return "INSERT INTO " + Sql.id(t[0], t[1]) + " (" + String.join(", ", columns) + ") SELECT "
                + String.join(", ", values) + (aggregate ? " FROM " + Sql.id(t[0], t[1]) : " FROM DUAL");
    }

    private static List<Path> files(Path folder) throws DbException {
        if (folder == null || !Files.isDirectory(folder)) {
            throw new DbException(FIELD, "the migrations folder " + folder + " does not exist or is not a folder");
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".sql"))
                    .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new DbException(FIELD, "cannot list the migrations folder " + folder + ": " + e, e);
        }
    }

    static String withoutSql(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".sql") ? name.substring(0, name.length() - 4) : name;
    }

    /** {schema, table} of {@code [schema.]table}, the schema defaulting to the connection's. */
    private static String[] table(Connection c, String historyTable) throws SQLException, DbException {
        int dot = historyTable.indexOf('.');
        if (dot > 0) {
            return new String[] {historyTable.substring(0, dot), historyTable.substring(dot + 1)};
        }
        String schema = c.getCatalog();
        if (schema == null || schema.isEmpty()) {
            throw new DbException(FIELD, "no database is selected to find the migration history table "
                    + historyTable + " in: write it as schema.table or set databases");
        }
        return new String[] {schema, historyTable};
    }

    private static boolean exists(Connection c, String schema, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static Set<String> recorded(Connection c, String[] t, String column) throws SQLException {
        Set<String> out = new HashSet<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT " + Sql.id(column) + " FROM " + Sql.id(t[0], t[1]))) {
            while (rs.next()) {
                String v = rs.getString(1);
                if (v != null) {
                    out.add(v.trim());
                }
            }
        }
        return out;
    }
}
