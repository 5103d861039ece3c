package io.jenkins.plugins.rdssync.cli;

import io.jenkins.plugins.rdssync.core.run.TextListener;

import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code rds-sync plan -c FILE}: the same spec as {@code run}, with dryRun. */
@Command(name = "plan", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Dry run: print every stage and the AWS and SQL actions it would take.",
            "Changes nothing: only read-only calls are made (describe instances and snapshots, read the"
                + " target's tables)."})
final class PlanCommand implements Callable<Integer> {
    @ParentCommand
    RdsSyncCommand root;

    @Mixin
    SyncCommandOptions options;

    @Option(names = "--resume", description = "Plan what a resumed run would still do, from its journal.")
    boolean resume;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Folder of the journal (overrides workDir).")
    Path workDir;

    @Override
    public Integer call() {
        PrintWriter out = options.out();
        SyncRunner.Loaded loaded = options.load(root.env, true, resume, workDir);
        if (loaded == null) {
            return ExitCodes.CONFIG;
        }
        SyncSpec s = loaded.spec();
        TextListener listener = new TextListener(out, root.clock, s, null);
        loaded.warnings().forEach(listener::warning);
        return SyncRunner.runWithInterrupts(s, listener, root.engines, root.debug, out).exitCode();
    }
}
