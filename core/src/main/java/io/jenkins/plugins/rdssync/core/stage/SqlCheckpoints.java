package io.jenkins.plugins.rdssync.core.stage;

import io.jenkins.plugins.rdssync.core.db.SqlScriptCheckpoint;
import io.jenkins.plugins.rdssync.core.run.StageName;
import java.util.Optional;

/**
 * Checkpoints of SQL scripts in the journal. Each is bound to the restore that was done when it was saved: should a
 * resume restore the instance again, the scripts run in full on the fresh instance.
 */
final class SqlCheckpoints {
    private SqlCheckpoints() {
    }

    static SqlScriptCheckpoint inJournal(RunContext ctx, String name) {
        String key = "sql." + name;
        String restore = ctx.journal.get("stage." + StageName.RESTORE.id() + ".done").orElse("-");
        return new SqlScriptCheckpoint() {
            @Override
            public Optional<String> load() {
                return ctx.journal.get(key).filter(v -> v.startsWith(restore + " "))
                        .map(v -> v.substring(restore.length() + 1));
            }

            @Override
            public void save(String value) {
                ctx.journal.put(key, restore + " " + value);
            }
        };
    }
}
