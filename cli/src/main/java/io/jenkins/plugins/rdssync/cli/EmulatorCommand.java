package io.jenkins.plugins.rdssync.cli;

import io.jenkins.plugins.rdssync.cli.demo.Emulator;
import io.jenkins.plugins.rdssync.cli.demo.ShopData;
import io.jenkins.plugins.rdssync.core.run.Cancellation;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rds-sync emulator}: the RDS emulator of rds-sync-testkit as a service, until Ctrl-C. */
@Command(name = "emulator", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Run the RDS emulator as a service until Ctrl-C, to try run and plan without AWS.",
            "The RDS API on 127.0.0.1, each DB instance a real MariaDB. Point a configuration at it"
                + " with endpointUrl and dbTls: disabled."})
final class EmulatorCommand implements Callable<Integer> {
    @ParentCommand
    RdsSyncCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", defaultValue = "0",
            description = "Port of the RDS API on 127.0.0.1 (default: a free port, printed at start).")
    int port;

    @Option(names = "--seed", paramLabel = "FILE", description = "Create an available instance (see --instance)"
            + " and run this SQL file in it.")
    Path seed;

    @Option(names = "--sample-shop", description = "Create an available instance (see --instance) holding the"
            + " demo's shop database.")
    boolean sampleShop;

    @Option(names = "--instance", paramLabel = "ID", defaultValue = "shop-prod",
            description = "Identifier of the instance --seed or --sample-shop creates (default: ${DEFAULT-VALUE}).")
    String instance;

    @Option(names = "--master-user", paramLabel = "USER", defaultValue = "admin",
            description = "Its master user (default: ${DEFAULT-VALUE}); the password is " + SpecFile.PASSWORD_ENV
                    + " or, when that is not set, generated into a file whose path is printed.")
    String masterUser;

    @Option(names = "--region", paramLabel = "REGION", defaultValue = "us-east-1",
            description = "The region the emulator answers for (default: ${DEFAULT-VALUE}).")
    String region;

    @Option(names = "--rds-minute", paramLabel = "MILLIS", defaultValue = "1000",
            description = "How long one emulated RDS minute lasts, in milliseconds (default: ${DEFAULT-VALUE}).")
    long rdsMinuteMillis;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (port < 0 || port > 65535) {
            err.println("rds-sync emulator: --port must be between 0 and 65535");
            err.flush();
            return ExitCodes.CONFIG;
        }
        if (seed != null && !Files.isReadable(seed)) {
            err.println("rds-sync emulator: --seed " + seed + ": no such readable file");
            err.flush();
            return ExitCodes.CONFIG;
        }
        if (rdsMinuteMillis < 1) {
            err.println("rds-sync emulator: --rds-minute must be at least 1 millisecond");
            err.flush();
            return ExitCodes.CONFIG;
        }
        Cancellation stop = new Cancellation();
        try (Interrupts interrupts = Interrupts.install(stop, reason -> {
            out.println("Stopping the emulator ...");
            out.flush();
        }, out::flush, false)) {
            int code = serve(out, stop);
            interrupts.finished(code);
            return code;
        }
    }

    private int serve(PrintWriter out, Cancellation stop) throws Exception {
        Emulator emulator = root.emulators.start(Duration.ofMillis(rdsMinuteMillis), port, region);
        try {
            out.println("RDS emulator listening on " + emulator.endpoint() + " (one RDS minute = " + rdsMinuteMillis
                    + " ms)");
            if (seed != null || sampleShop) {
                String password = root.env.get(SpecFile.PASSWORD_ENV);
                String where = SpecFile.PASSWORD_ENV;
                if (password == null || password.isEmpty()) {
                    password = generated();
                    Path file = Files.createTempFile("rds-sync-emulator-", ".password");
                    ShopData.writePrivate(file, password + "\n");
                    where = file.toString();
                }
                String db = emulator.createAvailableInstance(instance, masterUser, password,
                        seed == null ? null : seed.toAbsolutePath());
                if (sampleShop) {
                    try (Connection c = emulator.connectAsMaster(instance)) {
                        new ShopData(20240601L).createProduction(c);
                    }
                }
                out.println("Instance " + instance + " is available at " + db + " (master user " + masterUser
                        + ", password: " + where + ")" + (sampleShop ? ", holding the demo's shop database" : ""));
            }
            out.println("In a configuration file:");
            out.println("  endpointUrl: " + emulator.endpoint());
            out.println("  region: " + emulator.region());
            out.println("  dbTls: disabled");
            out.println("and any AWS keys, e.g. export AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo");
            out.println("Press Ctrl-C to stop.");
            out.flush();
            while (!stop.isCancelled()) {
                Thread.sleep(200);
            }
            return ExitCodes.OK;
        } finally {
            emulator.close();
            out.println("Emulator stopped.");
            out.flush();
        }
    }

    private static String generated() {
        SecureRandom r = new SecureRandom();
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
