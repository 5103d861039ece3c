package io.jenkins.plugins.rdssync.core.db;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a verified preserved-rows file holds: rows per table ({@code schema.table}), kept column values per column
 * ({@code schema.table.column}), the offset, the SHA-256 of the whole file (hex) and its size in bytes.
 */
public record BackupManifest(Map<String, Long> rowCounts, Map<String, Long> columnValueCounts, long offset,
        String sha256, long bytes) implements Serializable {

    public BackupManifest {
        rowCounts = Collections.unmodifiableMap(new LinkedHashMap<>(rowCounts));
        columnValueCounts = Collections.unmodifiableMap(new LinkedHashMap<>(columnValueCounts));
    }

    /** Rows of all tables together. */
    public long totalRows() {
        return rowCounts.values().stream().mapToLong(Long::longValue).sum();
    }
}
