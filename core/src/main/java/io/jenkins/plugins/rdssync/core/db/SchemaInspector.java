package io.jenkins.plugins.rdssync.core.db;

import io.jenkins.plugins.rdssync.core.spec.ColumnKeep;
import io.jenkins.plugins.rdssync.core.spec.Glob;
import io.jenkins.plugins.rdssync.core.spec.InvalidSpecException;
import io.jenkins.plugins.rdssync.core.spec.SpecProblem;
import io.jenkins.plugins.rdssync.core.spec.TableKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Finds what to preserve on the target: the user schemas, the preserved tables (given, or discovered as every table
 * with a single-column integer AUTO_INCREMENT primary key) and the preserved columns, checking what the user wrote.
 * Problems are refused with an {@link InvalidSpecException} naming the table and the fix.
 */
public final class SchemaInspector {
    /** Schemas that are never the user's. */
    public static final Set<String> SYSTEM_SCHEMAS = Set.of("mysql", "information_schema", "performance_schema", "sys",
            SwitchMarker.SCHEMA);

    static final String TABLES_FIELD = "preserveTables";
    static final String COLUMNS_FIELD = "preserveColumns";

    /** Every schema except mysql, information_schema, performance_schema and sys, in name order. */
    public List<String> userSchemas(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA ORDER BY 1")) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (!SYSTEM_SCHEMAS.contains(name.toLowerCase(Locale.ROOT))) {
                    out.add(name);
                }
            }
        }
        return out;
    }

    /**
     * The preserved tables.
     *
     * @param databases schemas to look in; empty = {@link #userSchemas}
     * @param explicit the {@code preserveTables} entries; empty = discover every table with a single-column integer
     *        AUTO_INCREMENT primary key
     * @param includeGlobs when not empty, discovered tables must match one of these ({@code table} or
     *        {@code schema.table}, {@code *} and {@code ?})
     * @param excludeGlobs discovered or listed tables matching one of these are left out
     * @throws InvalidSpecException (field {@code preserveTables}) for a missing or ambiguous table, a missing key
     *         column, or a key that is not an integer or not unique
     */
    public List<PreservedTable> preservedTables(Connection c, List<String> databases, List<TableKey> explicit,
            List<String> includeGlobs, List<String> excludeGlobs) throws SQLException {
        List<String> schemas = schemas(c, databases);
        List<String> include = includeGlobs == null ? List.of() : includeGlobs;
        List<String> exclude = excludeGlobs == null ? List.of() : excludeGlobs;
        if (explicit == null || explicit.isEmpty()) {
            return discover(c, schemas, include, exclude);
        }
        Map<String, List<String>> tables = Catalog.tables(c, schemas);
        List<SpecProblem> problems = new ArrayList<>();
        Set<PreservedTable> out = new LinkedHashSet<>();
        for (TableKey k : explicit) {
            String[] found = resolve(c, tables, schemas, k.schema(), k.table(), k.toString(), TABLES_FIELD, problems);
            if (found == null) {
                continue;
            }
            List<ColumnMeta> cols = Catalog.columns(c, found[0], found[1]);
            ColumnMeta key = Catalog.column(cols, k.key());
            String q = found[0] + "." + found[1];
            if (key == null) {
                problems.add(new SpecProblem(TABLES_FIELD, "table " + q + " has no column '" + k.key()
                        + "' (entry " + k + "); its columns are " + names(cols)));
                continue;
            }
            if (!key.isInteger()) {
                problems.add(new SpecProblem(TABLES_FIELD, "the key " + q + "." + key.name() + " is "
                        + key.columnType() + ", not an integer column (TINYINT to BIGINT); rows are preserved by"
                        + " integer key >= offset, so list an integer primary key of " + q));
                continue;
            }
            if (!isUnique(c, found[0], found[1], key.name())) {
                problems.add(new SpecProblem(TABLES_FIELD, "the key " + q + "." + key.name() + " is not the primary"
                        + " key nor a single-column unique key, so reloaded rows could not be told apart from rows"
                        + " already there; list the table's primary key"));
                continue;
            }
            PreservedTable t = new PreservedTable(found[0], found[1], key.name());
            if (!matchesAny(exclude, t)) {
                out.add(t);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidSpecException(problems);
        }
        return List.copyOf(out);
    }

    private List<PreservedTable> discover(Connection c, List<String> schemas, List<String> include,
            List<String> exclude) throws SQLException {
        List<PreservedTable> out = new ArrayList<>();
        if (schemas.isEmpty()) {
            return out;
        }
        // single-column primary keys that are integer AUTO_INCREMENT columns, in base tables
        String sql = "SELECT c.TABLE_SCHEMA, c.TABLE_NAME, c.COLUMN_NAME, c.DATA_TYPE"
                + " FROM information_schema.COLUMNS c"
                + " JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME"
                + " JOIN information_schema.STATISTICS s ON s.TABLE_SCHEMA = c.TABLE_SCHEMA"
                + "  AND s.TABLE_NAME = c.TABLE_NAME AND s.COLUMN_NAME = c.COLUMN_NAME AND s.INDEX_NAME = 'PRIMARY'"
                + " WHERE c.TABLE_SCHEMA IN (" + Catalog.placeholders(schemas.size()) + ")"
                + " AND t.TABLE_TYPE = 'BASE TABLE' AND c.EXTRA LIKE '%auto_increment%'"
                + " AND (SELECT COUNT(*) FROM information_schema.STATISTICS p WHERE p.TABLE_SCHEMA = c.TABLE_SCHEMA"
                + "  AND p.TABLE_NAME = c.TABLE_NAME AND p.INDEX_NAME = 'PRIMARY') = 1"
                + " ORDER BY c.TABLE_SCHEMA, c.TABLE_NAME";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (String s : schemas) {
                ps.setString(i++, s);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!Sql.isIntegerType(rs.getString(4))) {
                        continue;
                    }
                    PreservedTable t = new PreservedTable(rs.getString(1), rs.getString(2), rs.getString(3));
                    if ((include.isEmpty() || matchesAny(include, t)) && !matchesAny(exclude, t)) {
                        out.add(t);
                    }
                }
            }
        }
        // the same order on every server, whatever its collation
        out.sort(Comparator.comparing(PreservedTable::schema).thenComparing(PreservedTable::table));
        return out;
    }

    /**
     * The preserved columns with schema and key resolved: the key defaults to the table's single-column primary
     * key.
     *
     * @throws InvalidSpecException (field {@code preserveColumns}) for a missing table or column, or a table
     *         without a single-column primary key and no key given
     */
    public List<ColumnKeep> preservedColumns(Connection c, List<String> databases, List<ColumnKeep> keeps)
            throws SQLException {
        if (keeps == null || keeps.isEmpty()) {
            return List.of();
        }
        List<String> schemas = schemas(c, databases);
        Map<String, List<String>> tables = Catalog.tables(c, schemas);
        List<SpecProblem> problems = new ArrayList<>();
        List<ColumnKeep> out = new ArrayList<>();
        for (ColumnKeep k : keeps) {
            String[] found = resolve(c, tables, schemas, k.schema(), k.table(), k.toString(), COLUMNS_FIELD,
                    problems);
            if (found == null) {
                continue;
            }
            String q = found[0] + "." + found[1];
            List<ColumnMeta> cols = Catalog.columns(c, found[0], found[1]);
            ColumnMeta col = Catalog.column(cols, k.column());
            if (col == null) {
                problems.add(new SpecProblem(COLUMNS_FIELD, "table " + q + " has no column '" + k.column()
                        + "' (entry " + k + "); its columns are " + names(cols)));
                continue;
            }
            if (col.generated()) {
                problems.add(new SpecProblem(COLUMNS_FIELD, q + "." + col.name()
                        + " is a generated column; its value follows from other columns and cannot be kept"));
                continue;
            }
            String key;
            if (k.key() != null && !k.key().isBlank()) {
                ColumnMeta km = Catalog.column(cols, k.key().trim());
                if (km == null) {
                    problems.add(new SpecProblem(COLUMNS_FIELD, "table " + q + " has no key column '" + k.key()
                            + "' (entry " + k + ")"));
                    continue;
                }
                key = km.name();
            } else {
                List<String> pk = Catalog.primaryKey(c, found[0], found[1]);
                if (pk.size() != 1) {
                    problems.add(new SpecProblem(COLUMNS_FIELD, "table " + q + (pk.isEmpty()
                            ? " has no primary key"
                            : " has a composite primary key (" + String.join(", ", pk) + ")")
                            + ", so the rows whose " + col.name() + " is kept cannot be found again; preserved"
                            + " columns need a table with a single-column primary key"));
                    continue;
                }
                key = pk.get(0);
            }
            if (key.equals(col.name())) {
                problems.add(new SpecProblem(COLUMNS_FIELD, q + "." + col.name()
                        + " is the table's key; keep a column other than the key"));
                continue;
            }
            out.add(new ColumnKeep(found[0], found[1], col.name(), key, k.where()));
        }
        if (!problems.isEmpty()) {
            throw new InvalidSpecException(problems);
        }
        return out;
    }

    /**
     * The configured databases, checked to exist (as named on the server), or every user schema when none are
     * configured.
     *
     * @throws InvalidSpecException (field {@code databases}) naming the databases that do not exist
     */
    public List<String> schemas(Connection c, List<String> databases) throws SQLException {
        List<String> existing = userSchemas(c);
        if (databases == null || databases.isEmpty()) {
            return existing;
        }
        List<String> out = new ArrayList<>();
        List<SpecProblem> problems = new ArrayList<>();
        for (String d : databases) {
            String found = pick(existing, d);
            if (found == null) {
                problems.add(new SpecProblem("databases", "database " + d + " does not exist on the target"
                        + " (it has " + (existing.isEmpty() ? "no databases" : String.join(", ", existing)) + ")"));
            } else if (!out.contains(found)) {
                out.add(found);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidSpecException(problems);
        }
        return out;
    }

    /** {schema, table} as on the server, or null with a problem added. */
    private static String[] resolve(Connection c, Map<String, List<String>> tables, List<String> schemas,
            String schema, String table, String entry, String field, List<SpecProblem> problems) throws SQLException {
        if (schema != null && !schema.isBlank()) {
            List<String> in = tables.containsKey(schema) ? tables.get(schema) : Catalog.tables(c, List.of(schema))
                    .getOrDefault(schema, List.of());
            String t = pick(in, table);
            if (t == null) {
                problems.add(new SpecProblem(field, "table " + schema + "." + table + " does not exist (entry "
                        + entry + "); check the name, or remove the entry"));
                return null;
            }
            return new String[] {schema, t};
        }
        List<String[]> hits = new ArrayList<>();
        for (String s : schemas) {
            String t = pick(tables.getOrDefault(s, List.of()), table);
            if (t != null) {
                hits.add(new String[] {s, t});
            }
        }
        if (hits.isEmpty()) {
            problems.add(new SpecProblem(field, "table " + table + " does not exist in " + (schemas.size() == 1
                    ? "database " + schemas.get(0) : "any of the databases " + String.join(", ", schemas))
                    + " (entry " + entry + "); check the name or the databases setting, or remove the entry"));
            return null;
        }
        if (hits.size() > 1) {
            problems.add(new SpecProblem(field, "table " + table + " exists in several databases ("
                    + String.join(", ", hits.stream().map(h -> h[0]).toList()) + "); write it as schema.table"
                    + " (for example " + hits.get(0)[0] + "." + table + ") in entry " + entry));
            return null;
        }
        return hits.get(0);
    }

    /** The table's name as on the server: exact match, else a unique case-insensitive match. */
    private static String pick(List<String> names, String wanted) {
        if (names.contains(wanted)) {
            return wanted;
        }
        String hit = null;
        for (String n : names) {
            if (n.equalsIgnoreCase(wanted)) {
                if (hit != null) {
                    return null;
                }
                hit = n;
            }
        }
        return hit;
    }

    private static boolean isUnique(Connection c, String schema, String table, String column) throws SQLException {
        for (List<String> cols : Catalog.uniqueIndexes(c, schema, table).values()) {
            if (cols.size() == 1 && cols.get(0).equalsIgnoreCase(column)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesAny(List<String> globs, PreservedTable t) {
        for (String g : globs) {
            if (Glob.matches(g, t.table()) || Glob.matches(g, t.qualified())) {
                return true;
            }
        }
        return false;
    }

    private static String names(List<ColumnMeta> cols) {
        return cols.isEmpty() ? "(none)" : String.join(", ", cols.stream().map(ColumnMeta::name).toList());
    }
}
