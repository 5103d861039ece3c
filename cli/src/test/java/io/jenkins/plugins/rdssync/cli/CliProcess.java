package io.jenkins.plugins.rdssync.cli;

import java.time.Clock;
import java.time.Duration;

/**
 * {@code rds-sync} as a process of its own, for tests that need a real JVM to signal (Ctrl-C is a SIGINT to the
 * process, handled by a shutdown hook). The same command line as {@link RdsSyncCommand#main}, with the engine's
 * timings for an emulator whose RDS minute lasts {@code -Drds.minute.ms} (as {@code rds-sync demo} runs it).
 */
public final class CliProcess {
    private CliProcess() {
    }

    public static void main(String[] args) {
        Duration rdsMinute = Duration.ofMillis(Long.getLong("rds.minute.ms", 20));
        RdsSyncCommand command = new RdsSyncCommand(Env.system(), Clock.systemDefaultZone(),
                Engines.core().forEmulator(rdsMinute));
        System.exit(RdsSyncCommand.commandLine(command).execute(args));
    }
}
