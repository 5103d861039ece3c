package io.jenkins.plugins.rdssync.cli;

import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rds-sync validate -c FILE}: check the file offline, without AWS or a database. */
@Command(name = "validate", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Check a configuration file offline, without AWS or database calls.",
            "Lists every problem at once, or the values as rds-sync understood them. Exit code 0 or 2."})
final class ValidateCommand implements Callable<Integer> {
    @ParentCommand
    RdsSyncCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "The YAML configuration (docs/configuration.md).")
    Path config;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        SyncRunner.Loaded loaded = SyncRunner.load(config, root.env, b -> { }, spec.commandLine().getErr());
        if (loaded == null) {
            return ExitCodes.CONFIG;
        }
        SyncSpec s = loaded.spec();
        out.println("rds-sync: " + config + " is valid.");
        for (String w : loaded.warnings()) {
            out.println("  WARNING: " + w);
        }
        row(out, "source", s.source());
        row(out, "target", s.target());
        row(out, "region", s.region().orElse("(SDK region chain)"));
        row(out, "endpointUrl", s.endpointUrl().orElse("(AWS)"));
        row(out, "strategy", s.strategy().id());
        row(out, "snapshot", s.snapshotMode().id() + (s.snapshotMode().id().equals("latest-automated") ? ""
                : " " + s.snapshotName()));
        row(out, "databases", s.databases().isEmpty() ? "(all non-system schemas)" : String.join(", ", s.databases()));
        row(out, "preserveRows", s.preserveRows() ? "key >= " + s.offset() + " in " + (s.preserveTables().isEmpty()
                ? "every table with an integer AUTO_INCREMENT key"
                : s.preserveTables().stream().map(Object::toString).collect(Collectors.joining(", "))) : "no");
        if (!s.preserveColumns().isEmpty()) {
            row(out, "preserveColumns", s.preserveColumns().stream().map(Object::toString)
                    .collect(Collectors.joining(", ")));
        }
        if (!s.postSql().isEmpty()) {
            row(out, "postSql", s.postSql().stream().map(Object::toString).collect(Collectors.joining(", ")));
        }
        s.migrations().ifPresent(m -> row(out, "migrations", m + " (history " + s.migrationsTable() + "."
                + s.migrationsColumn() + ")"));
        row(out, "mysqlUser", s.mysqlUser().orElse("(none)") + s.mysqlPassword().map(p -> ", password set").orElse(""));
        row(out, "workDir", s.workDir().toAbsolutePath().normalize().toString());
        row(out, "timeoutMinutes", Integer.toString(s.timeoutMinutes()));
        out.flush();
        return ExitCodes.OK;
    }

    private static void row(PrintWriter out, String key, String value) {
        out.printf("  %-16s %s%n", key, value);
    }
}
