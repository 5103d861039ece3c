package io.jenkins.plugins.rdssync.core.db;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;

/**
 * The last catch-up of a swap: what the old target got after the catch-up that preceded the renames (writes of
 * accounts the fence could not lock, such as the master user) is copied to the new target, without undoing what
 * testers did on the new target since. A three-way comparison per key, the catch-up file being the common base:
 * <ul>
 * <li>a preserved row the old target has and the base has not: inserted where the new target lacks it;</li>
 * <li>a preserved row or column value the old target changed since the base: copied where the new target still has
 * the base's;</li>
 * <li>where both changed (or both made a row under one key), nothing is overwritten: the key is reported as a
 * conflict, and the old target's version stays in the file of its rows (and in its final snapshot).</li>
 * </ul>
 * Rows deleted on either side are left as they are. Both files list rows by ascending integer key (the backup
 * orders them so), so the comparison streams and holds only the differences.
 */
public final class LateWrites {
    private static final int BATCH = 500;

    /** What was copied; {@code conflicts} names each {@code schema.table key} left alone. */
    public record Outcome(long rowsInserted, long rowsUpdated, long valuesUpdated, List<String> conflicts) {
        public long copied() {
            return rowsInserted + rowsUpdated + valuesUpdated;
        }
    }

    private record Diff(BigInteger key, byte[][] last, byte[][] base) {
    }

    /**
     * Compares and copies.
     *
     * @param base the catch-up file (the old target's preserved data just before the renames)
     * @param last the old target's preserved data now
     * @param newTarget where the new target answers (proven to be the new instance)
     */
    public Outcome copy(DbConnector connector, DbAddress newTarget, Path base, Path last, DbProgress progress)
            throws DbException {
        PreservedRowsFile.checkSum(base);
        PreservedRowsFile.checkSum(last);
        long inserted = 0;
        long updated = 0;
        long values = 0;
        List<String> conflicts = new ArrayList<>();
        try (ZipFile b = new ZipFile(base.toFile()); ZipFile l = new ZipFile(last.toFile());
                Connection c = connector.open(newTarget, null)) {
            FileManifest bm = PreservedRowsFile.manifest(b, base);
            FileManifest lm = PreservedRowsFile.manifest(l, last);
            Sql.loadSession(c);
            for (FileManifest.TableEntry t : lm.tables) {
                FileManifest.TableEntry bt = bm.tables.stream().filter(x -> x.qualified().equals(t.qualified()))
                        .findFirst().orElse(null);
                int key = keyIndex(t.columns(), t.key());
                List<Diff> diffs;
                try (InputStream li = PreservedRowsFile.open(l, t.entry());
                        InputStream bi = bt == null ? InputStream.nullInputStream() : PreservedRowsFile.open(b, bt.entry())) {
                    diffs = diff(li, bi, key, bt == null ? key : keyIndex(bt.columns(), bt.key()));
                }
                if (diffs.isEmpty()) {
                    continue;
                }
                long[] done = copyRows(c, t, key, diffs, conflicts, progress);
                inserted += done[0];
                updated += done[1];
            }
            for (FileManifest.ColumnEntry e : lm.columns) {
                FileManifest.ColumnEntry be = bm.columns.stream().filter(x -> x.qualified().equals(e.qualified())
                        && java.util.Objects.equals(x.where(), e.where())).findFirst().orElse(null);
                if (be == null) {
                    continue;
                }
                List<Diff> diffs;
                try (InputStream li = PreservedRowsFile.open(l, e.entry()); InputStream bi = PreservedRowsFile.open(b, be.entry())) {
                    diffs = diff(li, bi, 0, 0);
                }
                diffs.removeIf(d -> d.base == null); // a row that only now matches the where clause: not a write
                if (!diffs.isEmpty()) {
                    values += copyValues(c, e, diffs, conflicts);
                }
            }
        } catch (SQLException e) {
            throw new DbException(null, "cannot copy the old target's last writes to " + newTarget + ": "
                    + connector.clean(e.getMessage()), e);
        } catch (IOException e) {
            throw new DbException(null, "cannot compare the preserved-rows files " + base.getFileName() + " and "
                    + last.getFileName() + ": " + e.getMessage(), e);
        }
        return new Outcome(inserted, updated, values, conflicts);
    }

    private static int keyIndex(List<ColumnMeta> cols, String key) throws IOException {
        for (int i = 0; i < cols.size(); i++) {
            if (cols.get(i).name().equalsIgnoreCase(key)) {
                return i;
            }
        }
        throw new IOException("the file has no key column " + key);
    }

    /** Rows of {@code last} that {@code base} lacks or has otherwise, walking both in key order. */
    private static List<Diff> diff(InputStream lastIn, InputStream baseIn, int lastKey, int baseKey)
            throws IOException {
        RowCodec.Reader last = new RowCodec.Reader(lastIn);
        RowCodec.Reader base = new RowCodec.Reader(baseIn);
        List<Diff> out = new ArrayList<>();
        byte[][] b = base.next();
        byte[][] l;
        while ((l = last.next()) != null) {
            BigInteger lk = key(l, lastKey);
            while (b != null && key(b, baseKey).compareTo(lk) < 0) {
                b = base.next(); // gone from the old target since: left alone
            }
            if (b != null && key(b, baseKey).equals(lk)) {
                if (!Arrays.deepEquals(l, b)) {
                    out.add(new Diff(lk, l, b));
                }
                b = base.next();
            } else {
                out.add(new Diff(lk, l, null));
            }
        }
        return out;
    }

    private static BigInteger key(byte[][] row, int index) throws IOException {
        if (index >= row.length || row[index] == null) {
            throw new IOException("a row without its key");
        }
        return new BigInteger(new String(row[index], StandardCharsets.US_ASCII).trim());
    }

    /** Inserts rows the new target lacks, updates rows it still has as the base had them; returns {inserted, updated}. */
    private static long[] copyRows(Connection c, FileManifest.TableEntry t, int key, List<Diff> diffs,
            List<String> conflicts, DbProgress progress) throws SQLException, IOException, DbException {
        List<ColumnMeta> target = Catalog.columns(c, t.schema(), t.table());
        PreservedRowsReload.Mapping map = PreservedRowsReload.Mapping.of(t, target, progress);
        Map<BigInteger, byte[][]> now = current(c, t, map, key, diffs);
        List<byte[][]> inserts = new ArrayList<>();
        List<byte[][]> updates = new ArrayList<>();
        for (Diff d : diffs) {
            byte[][] n = now.get(d.key);
            if (d.base == null) {
                if (n == null) {
                    inserts.add(d.last);
                } else if (!sameOnTarget(map, n, d.last)) {
                    conflicts.add(t.qualified() + " " + t.key() + "=" + d.key + " (made on both)");
                }
            } else if (n != null) {
                if (sameOnTarget(map, n, d.base)) {
                    updates.add(d.last);
                } else if (!sameOnTarget(map, n, d.last)) {
                    conflicts.add(t.qualified() + " " + t.key() + "=" + d.key + " (changed on both)");
                }
            }
        }
        c.setAutoCommit(false);
        try {
            if (!inserts.isEmpty()) {
                PreservedRowsReload.insertIgnore(c, t, map, encode(inserts), null);
            }
            for (byte[][] row : updates) {
                update(c, t, map, key, row);
            }
            c.commit();
        } catch (SQLException | IOException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
        return new long[] {inserts.size(), updates.size()};
    }

    /** The new target's rows under the differing keys, read as the backup reads them, by key. */
    private static Map<BigInteger, byte[][]> current(Connection c, FileManifest.TableEntry t,
            PreservedRowsReload.Mapping map, int key, List<Diff> diffs) throws SQLException, IOException {
        Map<BigInteger, byte[][]> out = new HashMap<>();
        List<ColumnMeta> cols = t.columns();
        StringBuilder select = new StringBuilder("SELECT ");
        for (int i = 0; i < cols.size(); i++) {
            ColumnMeta dst = map.targets.get(i);
            select.append(i == 0 ? "" : ", ").append(dst == null ? "NULL" : dst.selectExpression());
        }
        select.append(" FROM ").append(Sql.id(t.schema(), t.table())).append(" WHERE ").append(Sql.id(map.key))
                .append(" IN (");
        for (int from = 0; from < diffs.size(); from += BATCH) {
            List<Diff> part = diffs.subList(from, Math.min(diffs.size(), from + BATCH));
            StringBuilder sql = new StringBuilder(select);
            for (int i = 0; i < part.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append(part.get(i).key);
            }
            sql.append(')');
            try (PreparedStatement ps = c.prepareStatement(sql.toString()); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byte[][] row = new byte[cols.size()][];
                    for (int i = 0; i < cols.size(); i++) {
                        byte[] v = rs.getBytes(i + 1);
                        ColumnMeta dst = map.targets.get(i);
                        if (dst != null && dst.kind() == ColumnMeta.Kind.BIT && v != null) {
                            v = new BigInteger(1, v).toString().getBytes(StandardCharsets.US_ASCII);
                        }
                        row[i] = v;
                    }
                    out.put(key(row, key), row);
                }
            }
        }
        return out;
    }

    /** Equal in every column the target has. */
    private static boolean sameOnTarget(PreservedRowsReload.Mapping map, byte[][] onTarget, byte[][] fromFile) {
        for (int i = 0; i < onTarget.length; i++) {
            if (map.targets.get(i) != null && !Arrays.equals(onTarget[i], i < fromFile.length ? fromFile[i] : null)) {
                return false;
            }
        }
        return true;
    }

    private static InputStream encode(List<byte[][]> rows) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RowCodec.Writer w = new RowCodec.Writer(out);
        for (byte[][] row : rows) {
            for (byte[] v : row) {
                w.field(v);
            }
            w.endRow();
        }
        w.flush();
        return new ByteArrayInputStream(out.toByteArray());
    }

    /** An UPDATE of every column but the key (no DELETE: that would fire foreign keys' ON DELETE actions). */
    private static void update(Connection c, FileManifest.TableEntry t, PreservedRowsReload.Mapping map, int key,
            byte[][] row) throws SQLException {
        StringBuilder sql = new StringBuilder("UPDATE ").append(Sql.id(t.schema(), t.table())).append(" SET ");
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < row.length; i++) {
            ColumnMeta dst = map.targets.get(i);
            if (dst == null || i == key) {
                continue;
            }
            sql.append(idx.isEmpty() ? "" : ", ").append(Sql.id(dst.name())).append(" = ").append(map.exprs.get(i));
            idx.add(i);
        }
        if (idx.isEmpty()) {
            return;
        }
        sql.append(" WHERE ").append(Sql.id(map.key)).append(" = ?");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int p = 1;
            for (int i : idx) {
                if (row[i] == null) {
                    ps.setNull(p++, Types.VARBINARY);
                } else {
                    ps.setBytes(p++, row[i]);
                }
            }
            ps.setBigDecimal(p, new BigDecimal(new String(row[key], StandardCharsets.US_ASCII)));
            ps.executeUpdate();
        }
    }

    /** Preserved column values the old target changed since the base, where the new target still has the base's. */
    private static long copyValues(Connection c, FileManifest.ColumnEntry e, List<Diff> diffs, List<String> conflicts)
            throws SQLException {
        List<ColumnMeta> cols = Catalog.columns(c, e.schema(), e.table());
        ColumnMeta km = Catalog.column(cols, e.key());
        ColumnMeta vm = Catalog.column(cols, e.column());
        if (km == null || vm == null || vm.generated() || !km.isInteger()) {
            return 0;
        }
        Map<BigInteger, byte[]> now = new LinkedHashMap<>();
        for (int from = 0; from < diffs.size(); from += BATCH) {
            List<Diff> part = diffs.subList(from, Math.min(diffs.size(), from + BATCH));
            StringBuilder sql = new StringBuilder("SELECT ").append(km.selectExpression()).append(", ")
                    .append(vm.selectExpression()).append(" FROM ").append(Sql.id(e.schema(), e.table()))
                    .append(" WHERE ").append(Sql.id(km.name())).append(" IN (");
            for (int i = 0; i < part.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append(part.get(i).key);
            }
            sql.append(')');
            try (PreparedStatement ps = c.prepareStatement(sql.toString()); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byte[] v = rs.getBytes(2);
                    if (vm.kind() == ColumnMeta.Kind.BIT && v != null) {
                        v = new BigInteger(1, v).toString().getBytes(StandardCharsets.US_ASCII);
                    }
                    now.put(new BigInteger(rs.getString(1)), v);
                }
            }
        }
        String valueExpr = e.valueMeta().kind() == ColumnMeta.Kind.BIT && vm.kind() != ColumnMeta.Kind.BIT
                ? "?" : vm.valueExpression("?");
        long copied = 0;
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + Sql.id(e.schema(), e.table()) + " SET "
                + Sql.id(vm.name()) + " = " + valueExpr + " WHERE " + Sql.id(km.name()) + " = ?")) {
            for (Diff d : diffs) {
                if (!now.containsKey(d.key)) {
                    continue; // the row is gone from the new target
                }
                byte[] n = now.get(d.key);
                if (Arrays.equals(n, d.base[1])) {
                    if (d.last[1] == null) {
                        ps.setNull(1, Types.VARBINARY);
                    } else {
                        ps.setBytes(1, d.last[1]);
                    }
                    ps.setBigDecimal(2, new BigDecimal(d.key));
                    copied += ps.executeUpdate() > 0 ? 1 : 0;
                } else if (!Arrays.equals(n, d.last[1])) {
                    conflicts.add(e.qualified() + " " + e.key() + "=" + d.key + " (changed on both)");
                }
            }
        }
        return copied;
    }
}
