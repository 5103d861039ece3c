package io.jenkins.plugins.rdssync.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What {@code run} and {@code plan} share, as a picocli mixin: the {@code -c/--config} option, the command's output
 * streams, and loading the file with the command's choices applied. The {@code --resume} and {@code --work-dir}
 * options stay on each command, because their help says what they mean there (continue a run, or plan what it would
 * still do).
 */
final class SyncCommandOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "The YAML configuration (docs/configuration.md).")
    Path config;

    PrintWriter out() {
        return mixee.commandLine().getOut();
    }

    PrintWriter err() {
        return mixee.commandLine().getErr();
    }

    /**
     * Loads and validates the file with {@code dryRun}, {@code resume} and {@code workDir} (when given) applied.
     *
     * @return the spec and warnings, or null after printing every problem to the command's error stream
     */
    SyncRunner.Loaded load(Env env, boolean dryRun, boolean resume, Path workDir) {
        return SyncRunner.load(config, env, b -> {
            b.dryRun(dryRun);
            b.resume(resume);
            if (workDir != null) {
                b.workDir(workDir.toAbsolutePath().normalize());
            }
        }, err());
    }
}
