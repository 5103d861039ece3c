package io.jenkins.plugins.rdssync.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs an {@link RdsEmulator} until Ctrl-C, with one "production" DB instance.
 *
 * <pre>
 * RDS_EMULATOR_MASTER_PASSWORD=... java -cp ... io.jenkins.plugins.rdssync.testkit.RdsEmulatorMain \
 *     [--port N] [--seed FILE] [--instance ID] [--master-user NAME] [--rds-minute MILLIS] [--region REGION]
 * </pre>
 *
 * The master password is read from the environment variable {@code RDS_EMULATOR_MASTER_PASSWORD}, never from an
 * argument. Prints the API endpoint and the instance's MySQL endpoint; all servers stop on exit.
 */
public final class RdsEmulatorMain {
    /** The environment variable holding the production instance's master password. */
    public static final String PASSWORD_ENV = "RDS_EMULATOR_MASTER_PASSWORD";

    private RdsEmulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = 0;
        Path seed = null;
        String instance = "production";
        String user = "admin";
        long minuteMs = 1000;
        String region = "us-east-1";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--port": port = Integer.parseInt(value(args, ++i, a)); break;
                case "--seed": seed = Paths.get(value(args, ++i, a)); break;
                case "--instance": instance = value(args, ++i, a); break;
                case "--master-user": user = value(args, ++i, a); break;
                case "--rds-minute": minuteMs = Long.parseLong(value(args, ++i, a)); break;
                case "--region": region = value(args, ++i, a); break;
                case "-h":
                case "--help":
                    System.out.println("usage: RdsEmulatorMain [--port N] [--seed FILE] [--instance ID] "
                            + "[--master-user NAME] [--rds-minute MILLIS] [--region REGION]\n"
                            + "master password: environment variable " + PASSWORD_ENV);
                    return;
                default:
                    fail("unknown argument: " + a);
            }
        }
        String password = System.getenv(PASSWORD_ENV);
        if (password == null || password.isEmpty()) {
            fail("set the master password in the environment variable " + PASSWORD_ENV);
        }
        if (seed != null && !Files.isReadable(seed)) {
            fail("cannot read seed file " + seed);
        }
        RdsEmulator rds = RdsEmulator.builder().port(port).region(region)
                .rdsMinute(Duration.ofMillis(minuteMs)).start();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            rds.close();
            stop.countDown();
        }, "rds-emulator-main-shutdown"));
        DbEndpoint db;
        try {
            db = rds.createAvailableInstance(instance, user, password, seed);
        } catch (RuntimeException e) {
            System.err.println("cannot create instance " + instance + ": " + e.getMessage());
            rds.close();
            System.exit(1);
            return;
        }
        System.out.println("RDS emulator endpoint: " + rds.endpoint() + " (region " + rds.region() + ")");
        System.out.println("DB instance " + instance + ": " + db.host() + ":" + db.port() + " (master user " + user + ")");
        System.out.println("Press Ctrl-C to stop.");
        System.out.flush();
        stop.await();
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length) {
            fail("missing value for " + name);
        }
        return args[i];
    }

    private static void fail(String message) {
        System.err.println(message);
        System.exit(2);
    }
}
