package io.jenkins.plugins.rdssync.core.db;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The {@code manifest.properties} entry of a preserved-rows file: format, offset, and for every table and kept
 * column its entry name, count and column metadata.
 */
final class FileManifest {
    static final String FORMAT = "rds-sync-preserved-rows/1";
    static final String ENTRY = "manifest.properties";

    /** One table's rows: entry {@code rows/NNNN.tsv}, one line per row, the columns in {@code columns} order. */
    record TableEntry(String schema, String table, String key, String entry, long rows, List<ColumnMeta> columns) {
        String qualified() {
            return schema + "." + table;
        }
    }

    /** One kept column: entry {@code columns/NNNN.tsv}, one line {@code key TAB value} per row. */
    record ColumnEntry(String schema, String table, String column, String key, String where, String entry,
            long values, ColumnMeta keyMeta, ColumnMeta valueMeta) {
        String qualified() {
            return schema + "." + table + "." + column;
        }
    }

    final long offset;
    final String created;
    final List<TableEntry> tables;
    final List<ColumnEntry> columns;

    FileManifest(long offset, String created, List<TableEntry> tables, List<ColumnEntry> columns) {
        this.offset = offset;
        this.created = created;
        this.tables = List.copyOf(tables);
        this.columns = List.copyOf(columns);
    }

    Map<String, Long> rowCounts() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (TableEntry t : tables) {
            m.put(t.qualified(), t.rows());
        }
        return m;
    }

    Map<String, Long> columnValueCounts() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (ColumnEntry c : columns) {
            m.put(c.qualified(), c.values());
        }
        return m;
    }

    byte[] toBytes() throws IOException {
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        p.setProperty("offset", Long.toString(offset));
        p.setProperty("created", created);
        p.setProperty("tables", Integer.toString(tables.size()));
        for (int i = 0; i < tables.size(); i++) {
            TableEntry t = tables.get(i);
            String k = "table." + (i + 1) + ".";
            p.setProperty(k + "schema", t.schema());
            p.setProperty(k + "name", t.table());
            p.setProperty(k + "key", t.key());
            p.setProperty(k + "entry", t.entry());
            p.setProperty(k + "rows", Long.toString(t.rows()));
            p.setProperty(k + "columns", Integer.toString(t.columns().size()));
            for (int j = 0; j < t.columns().size(); j++) {
                put(p, k + "column." + (j + 1) + ".", t.columns().get(j));
            }
        }
        p.setProperty("columns", Integer.toString(columns.size()));
        for (int i = 0; i < columns.size(); i++) {
            ColumnEntry c = columns.get(i);
            String k = "column." + (i + 1) + ".";
            p.setProperty(k + "schema", c.schema());
            p.setProperty(k + "table", c.table());
            p.setProperty(k + "name", c.column());
            p.setProperty(k + "key", c.key());
            if (c.where() != null) {
                p.setProperty(k + "where", c.where());
            }
            p.setProperty(k + "entry", c.entry());
            p.setProperty(k + "values", Long.toString(c.values()));
            put(p, k + "keyColumn.", c.keyMeta());
            put(p, k + "valueColumn.", c.valueMeta());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.store(out, "RDS Sync preserved rows; entries are LOAD DATA text: TAB between fields, LF after rows,"
                + " \\N for NULL, backslash escapes");
        return out.toByteArray();
    }

    void write(OutputStream out) throws IOException {
        out.write(toBytes());
    }

    static FileManifest read(InputStream in) throws IOException {
        Properties p = new Properties();
        p.load(in);
        if (!FORMAT.equals(p.getProperty("format"))) {
            throw new IOException("not a preserved-rows manifest of format " + FORMAT + " (format="
                    + p.getProperty("format") + ")");
        }
        long offset = num(p, "offset");
        List<TableEntry> tables = new ArrayList<>();
        int nt = (int) num(p, "tables");
        for (int i = 1; i <= nt; i++) {
            String k = "table." + i + ".";
            List<ColumnMeta> cols = new ArrayList<>();
            int nc = (int) num(p, k + "columns");
            for (int j = 1; j <= nc; j++) {
                cols.add(get(p, k + "column." + j + "."));
            }
            tables.add(new TableEntry(req(p, k + "schema"), req(p, k + "name"), req(p, k + "key"),
                    req(p, k + "entry"), num(p, k + "rows"), cols));
        }
        List<ColumnEntry> columns = new ArrayList<>();
        int nk = (int) num(p, "columns");
        for (int i = 1; i <= nk; i++) {
            String k = "column." + i + ".";
            columns.add(new ColumnEntry(req(p, k + "schema"), req(p, k + "table"), req(p, k + "name"),
                    req(p, k + "key"), p.getProperty(k + "where"), req(p, k + "entry"), num(p, k + "values"),
                    get(p, k + "keyColumn."), get(p, k + "valueColumn.")));
        }
        return new FileManifest(offset, p.getProperty("created", ""), tables, columns);
    }

    private static void put(Properties p, String k, ColumnMeta m) {
        p.setProperty(k + "name", m.name());
        p.setProperty(k + "dataType", m.dataType());
        p.setProperty(k + "columnType", m.columnType());
        if (m.charset() != null) {
            p.setProperty(k + "charset", m.charset());
        }
        if (m.collation() != null) {
            p.setProperty(k + "collation", m.collation());
        }
        p.setProperty(k + "kind", m.kind().name());
    }

    private static ColumnMeta get(Properties p, String k) throws IOException {
        return new ColumnMeta(req(p, k + "name"), req(p, k + "dataType"), req(p, k + "columnType"),
                p.getProperty(k + "charset"), p.getProperty(k + "collation"), false, false);
    }

    private static String req(Properties p, String key) throws IOException {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IOException("manifest lacks " + key);
        }
        return v;
    }

    private static long num(Properties p, String key) throws IOException {
        try {
            return Long.parseLong(req(p, key).trim());
        } catch (NumberFormatException e) {
            throw new IOException("manifest has a bad number for " + key + ": " + p.getProperty(key));
        }
    }
}
