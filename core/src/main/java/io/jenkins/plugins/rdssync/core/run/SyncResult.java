package io.jenkins.plugins.rdssync.core.run;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run produced: where acceptance now answers, from which snapshot, what was preserved, how each stage went,
 * and for how long the target name did not answer.
 */
public record SyncResult(String endpoint, int port, String instance, String snapshot, Map<String, Long> preservedRows,
        List<StageOutcome> stages, double downtimeSeconds, boolean dryRun) implements Serializable {

    public SyncResult {
        preservedRows = Map.copyOf(new LinkedHashMap<>(preservedRows));
        stages = List.copyOf(stages);
    }

    /** Plain values only (strings, numbers, lists, maps), as the Pipeline step returns them. */
    public Map<String, Object> toPlainMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("endpoint", endpoint);
        m.put("port", port);
        m.put("instance", instance);
        m.put("snapshot", snapshot);
        m.put("preservedRows", new LinkedHashMap<>(preservedRows));
        List<Map<String, Object>> st = new ArrayList<>();
        for (StageOutcome o : stages) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", o.stage().title());
            s.put("status", o.status().name());
            s.put("seconds", o.seconds());
            st.add(s);
        }
        m.put("stages", st);
        m.put("downtimeSeconds", downtimeSeconds);
        m.put("dryRun", dryRun);
        return m;
    }

    /** Total of preserved rows over all tables. */
    public long preservedRowCount() {
        return preservedRows.values().stream().mapToLong(Long::longValue).sum();
    }
}
