package io.jenkins.plugins.rdssync.cli;

import io.jenkins.plugins.rdssync.core.run.TextListener;

import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code rds-sync run -c FILE [--resume] [--work-dir DIR] [--result-file FILE]}. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Run the sync described by a YAML configuration file.",
            "Prints every stage as it happens, then a summary; on failure the stage, the cause and how to"
                + " resume."})
final class RunCommand implements Callable<Integer> {
    @ParentCommand
    RdsSyncCommand root;

    @Mixin
    SyncCommandOptions options;

    @Option(names = "--resume", description = "Continue a failed or interrupted run from its journal;"
            + " finished stages are not repeated.")
    boolean resume;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Folder for the journal and the preserved-rows"
            + " files (overrides workDir; default .rds-sync/<target> in the current folder).")
    Path workDir;

    @Option(names = "--result-file", paramLabel = "FILE", description = "After success, write RDS_SYNC_ENDPOINT,"
            + " RDS_SYNC_PORT, RDS_SYNC_INSTANCE, RDS_SYNC_SNAPSHOT as KEY=value lines to FILE.")
    Path resultFile;

    @Override
    public Integer call() {
        PrintWriter out = options.out();
        SyncRunner.Loaded loaded = options.load(root.env, false, resume, workDir);
        if (loaded == null) {
            return ExitCodes.CONFIG;
        }
        SyncSpec s = loaded.spec();
        String resumeCommand = "rds-sync run -c " + SyncRunner.shellWord(options.config.toString())
                + (workDir == null ? "" : " --work-dir " + SyncRunner.shellWord(workDir.toString())) + " --resume";
        TextListener listener = new TextListener(out, root.clock, s, resumeCommand);
        loaded.warnings().forEach(listener::warning);
        SyncRunner.Outcome o = SyncRunner.runWithInterrupts(s, listener, root.engines, root.debug, out);
        if (o.exitCode() == ExitCodes.OK && resultFile != null && o.result() != null) {
            try {
                SyncRunner.writeResultFile(resultFile, o.result());
                listener.note("Result written to " + resultFile);
            } catch (IOException e) {
                listener.note("WARNING: could not write " + resultFile + ": " + e.getMessage());
            }
        }
        return o.exitCode();
    }
}
