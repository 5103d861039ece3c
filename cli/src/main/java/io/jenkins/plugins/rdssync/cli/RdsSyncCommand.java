package io.jenkins.plugins.rdssync.cli;

import io.jenkins.plugins.rdssync.cli.demo.Emulator;
import io.jenkins.plugins.rdssync.cli.demo.TestkitEmulator;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code rds-sync}: clones a production MySQL database on Amazon RDS into acceptance, keeping the rows testers made.
 * The command line over rds-sync-core; see docs/cli.md.
 */
@Command(name = "rds-sync", mixinStandardHelpOptions = true, versionProvider = RdsSyncCommand.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Clones a production MySQL database on Amazon RDS into acceptance, keeping the rows testers made there.",
            ""},
        subcommands = {RunCommand.class, PlanCommand.class, ValidateCommand.class, DemoCommand.class,
            EmulatorCommand.class, CommandLine.HelpCommand.class},
        commandListHeading = "%nCommands:%n",
        footerHeading = "%n",
        footer = {
            "Exit codes:",
            "  0  success",
            "  1  the sync failed (the output says where, why and how to resume),",
            "     or the demo's checks failed",
            "  2  bad configuration file or command line; nothing was changed",
            "  3  cancelled (Ctrl-C, SIGTERM) at a safe point; continue with --resume",
            "",
            "Secrets are never arguments. Database password: " + SpecFile.PASSWORD_ENV,
            "or mysqlPasswordFile. AWS: the SDK default chain (AWS_ACCESS_KEY_ID,",
            "AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_PROFILE, ~/.aws, roles);",
            "production in another account: sourceRoleArn, sourceProfile, or",
            SpecFile.SOURCE_KEY_ID_ENV + " / " + SpecFile.SOURCE_SECRET_ENV + ".",
            "",
            "New here? Run: rds-sync demo      Docs: docs/cli.md, docs/configuration.md",
            ""})
public class RdsSyncCommand implements Callable<Integer> {

    final Env env;
    final Clock clock;
    final Engines engines;
    final Emulator.Starter emulators;

    @Spec
    CommandSpec spec;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Show stack traces of unexpected errors (never secrets).")
    boolean debug;

    public RdsSyncCommand() {
        this(Env.system(), Clock.systemDefaultZone(), Engines.core());
    }

    public RdsSyncCommand(Env env, Clock clock, Engines engines) {
        this(env, clock, engines, TestkitEmulator::start);
    }

    public RdsSyncCommand(Env env, Clock clock, Engines engines, Emulator.Starter emulators) {
        this.env = env;
        this.clock = clock;
        this.engines = engines;
        this.emulators = emulators;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.CONFIG;
    }

    /** A command line over this command, with the documented exit codes and safe error messages. */
    public static CommandLine commandLine(RdsSyncCommand command) {
        CommandLine cl = new CommandLine(command);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler(new SafeParameterErrors());
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            PrintWriter err = c.getErr();
            err.println("rds-sync: unexpected error: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            if (command.debug) {
                e.printStackTrace(err);
            }
            err.flush();
            return ExitCodes.FAILED;
        });
        return cl;
    }

    public static void main(String[] args) {
        int code = commandLine(new RdsSyncCommand()).execute(args);
        System.exit(code);
    }

    /**
     * Usage errors: picocli's message and a pointer to help, exit code 2. An argument that looks like a secret is
     * refused without repeating anything that was typed.
     */
    static final class SafeParameterErrors implements IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException ex, String[] args) {
            CommandLine cl = ex.getCommandLine();
            PrintWriter err = cl.getErr();
            if (List.of(args).stream().anyMatch(SafeParameterErrors::secretLike)) {
                err.println("rds-sync: secrets are never given as arguments (they would show in the process list"
                        + " and shell history).");
                err.println("  Database password: environment variable " + SpecFile.PASSWORD_ENV
                        + ", or mysqlPasswordFile in the configuration file.");
                err.println("  AWS: the SDK default chain (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,"
                        + " AWS_PROFILE, ~/.aws, instance or container role).");
            } else {
                err.println("rds-sync: " + ex.getMessage());
                CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            }
            err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help'.");
            err.flush();
            return ExitCodes.CONFIG;
        }

        private static boolean secretLike(String arg) {
            if (!arg.startsWith("-")) {
                return false;
            }
            String a = arg.toLowerCase(Locale.ROOT);
            return a.contains("password") || a.contains("secret") || a.contains("token") || a.contains("passwd");
        }
    }

    /** The version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = RdsSyncCommand.class.getPackage().getImplementationVersion();
            return new String[] {"rds-sync " + (v == null ? "(development build)" : v),
                "Java " + System.getProperty("java.version")};
        }
    }
}
