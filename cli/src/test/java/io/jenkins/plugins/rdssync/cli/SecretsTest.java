package io.jenkins.plugins.rdssync.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.jenkins.plugins.rdssync.core.run.SyncException;
import io.jenkins.plugins.rdssync.testkit.RdsEmulator;
import io.jenkins.plugins.rdssync.testkit.RecordedRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runners.MethodSorters;
import picocli.CommandLine;

/**
 * No secret anywhere: full syncs through the command line with distinctive passwords and keys (the database
 * password from RDS_SYNC_DB_PASSWORD, AWS keys from the SDK chain, production's master password, a wrong password, a
 * password inside the post-restore SQL), succeeding, failing in several ways, resumed and planned. None of them may
 * appear in any line printed, any exception the engine threw (messages, hints and causes, as a stack trace prints
 * them), the journal, the preserved-rows files, the result file, the requests AWS received, or the test reports
 * written so far. And TLS to the database verifies the server by default.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class SecretsTest {
    static final String DB_PASSWORD = "Db-Pw-Zq81x-acc";
    static final String WRONG_PASSWORD = "Wrong-Pw-Zq81x-typo";
    static final String PROD_PASSWORD = "Prod-Pw-Zq81x-master";
    static final String AWS_SECRET = "aws/Secret+Zq81x0000000000000000000000000";
    static final String AWS_TOKEN = "IQoJb3JpZ2luX2VjZq81xSessionToken";
    /** A password written in the post-restore SQL (grants for acceptance's reporting user). */
    static final String SQL_PASSWORD = "Sql-Pw-Zq81x-reporting";
    /** In every secret above: finds a secret cut short too (a shortened log line, a truncated message). */
    static final String MARKER = "Zq81x";
    static final List<String> SECRETS = List.of(DB_PASSWORD, WRONG_PASSWORD, PROD_PASSWORD, AWS_SECRET, AWS_TOKEN,
            SQL_PASSWORD, MARKER);
    static final String TARGET = "acc-secrets";

    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();

    private static RdsEmulator rds;
    private static Path dir;
    private static final List<String> outputs = new CopyOnWriteArrayList<>();
    private static final List<Throwable> thrown = new CopyOnWriteArrayList<>();
    private static final Map<String, String> savedProperties = new java.util.HashMap<>();

    @BeforeClass
    public static void emulator() throws Exception {
        rds = RdsEmulator.builder().rdsMinute(Duration.ofMillis(20)).start();
        Path seed = Path.of(SecretsTest.class.getResource("/reliability/production.sql").toURI());
        rds.createAvailableInstance("production", "admin", PROD_PASSWORD, seed);
        rds.createAvailableInstance(TARGET, "admin", DB_PASSWORD, seed);
        try (Connection c = rds.connectAsMaster(TARGET, "shop"); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO customers (id, name, email) VALUES (1000000001, 'Tess', 'tess@qa')");
        }
        dir = TMP.newFolder("secrets").toPath();
        // the AWS SDK's default chain reads these first (as it would AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)
        for (String[] p : new String[][] {{"aws.accessKeyId", "ASIAZQ81XSECRETSTEST"},
                {"aws.secretAccessKey", AWS_SECRET}, {"aws.sessionToken", AWS_TOKEN}}) {
            savedProperties.put(p[0], System.getProperty(p[0]));
            System.setProperty(p[0], p[1]);
        }
    }

    @AfterClass
    public static void stop() {
        savedProperties.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
        if (rds != null) {
            rds.close();
        }
    }

    private static Path config(String name, String... extra) throws IOException {
        Path f = dir.resolve(name + ".yaml");
        List<String> lines = new ArrayList<>(List.of(
                "source: production",
                "target: " + TARGET,
                "region: " + rds.region(),
                "endpointUrl: " + rds.endpoint(),
                "mysqlUser: admin",
                "dbTls: disabled",
                "databases: [shop]",
                "timeoutMinutes: 10"));
        lines.addAll(List.of(extra));
        Files.writeString(f, String.join("\n", lines) + "\n");
        return f;
    }

    /** rds-sync in this JVM with the real engine (timed for the emulator); every engine exception is kept. */
    private static int rdsSync(String dbPassword, String... args) {
        Engines real = Engines.core().forEmulator(Duration.ofMillis(20));
        Engines keeping = (spec, listener) -> {
            Engines.Run run = real.create(spec, listener);
            return cancellation -> {
                try {
                    return run.run(cancellation);
                } catch (SyncException | RuntimeException e) {
                    thrown.add(e);
                    throw e;
                }
            };
        };
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = RdsSyncCommand.commandLine(new RdsSyncCommand(
                Env.of(Map.of(SpecFile.PASSWORD_ENV, dbPassword)), Clock.systemDefaultZone(), keeping));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        String text = "$ rds-sync " + String.join(" ", args) + " -> " + code + "\n" + out + err;
        outputs.add(text);
        System.out.println(text); // into this class's test report, which the last test scans
        return code;
    }

    @Test
    public void a_syncsThatSucceedFailAndResumeShowNoSecret() throws Exception {
        Path work = dir.resolve("work");
        Path sql = dir.resolve("post-migration-tweaks.sql");
        Files.writeString(sql, String.join("\n",
                "-- acceptance's reporting user",
                "CREATE USER IF NOT EXISTS 'reporting'@'%' IDENTIFIED BY '" + SQL_PASSWORD + "';",
                "GRANT SELECT ON shop.* TO 'reporting'@'%';",
                "-- long enough for the statement log to cut it inside the password",
                "CREATE USER IF NOT EXISTS 'acceptance_reporting_for_the_qa_team'@'%' IDENTIFIED BY '" + SQL_PASSWORD
                        + "';",
                "ALTER USER 'nobody-here'@'%' IDENTIFIED BY '" + SQL_PASSWORD + "';",
                ""));
        Path nightly = config("nightly", "postSql: [" + sql + "]");
        String w = work.toString();

        // a wrong password: refused before any change
        assertEquals(ExitCodes.FAILED, rdsSync(WRONG_PASSWORD, "run", "-c", nightly.toString(), "--work-dir",
                dir.resolve("work-wrong").toString()));
        // AWS refuses the credentials
        rds.faults().failNext("DescribeDBInstances", 1, 403, "InvalidClientTokenId",
                "The security token included in the request is invalid.");
        assertEquals(ExitCodes.FAILED, rdsSync(DB_PASSWORD, "--debug", "run", "-c", nightly.toString(),
                "--work-dir", dir.resolve("work-aws").toString()));
        // the plan
        assertEquals(ExitCodes.OK, rdsSync(DB_PASSWORD, "plan", "-c", nightly.toString(), "--work-dir", w));
        // a post-SQL statement fails (it holds a password) after the restore
        assertEquals(ExitCodes.FAILED, rdsSync(DB_PASSWORD, "--debug", "run", "-c", nightly.toString(),
                "--work-dir", w));
        // fixed, resumed to the end
        Files.writeString(sql, Files.readString(sql).replace("ALTER USER 'nobody-here'@'%'",
                "ALTER USER 'reporting'@'%'"));
        assertEquals(ExitCodes.OK, rdsSync(DB_PASSWORD, "run", "-c", nightly.toString(), "--work-dir", w, "--resume",
                "--result-file", dir.resolve("result.env").toString()));
        // and the next night's sync, from its first stage to its last
        assertEquals(ExitCodes.OK, rdsSync(DB_PASSWORD, "run", "-c", nightly.toString(), "--work-dir", w));
        assertTrue("the failures were kept for the scan", thrown.size() >= 3);
    }

    @Test
    public void b_tlsToTheDatabaseIsVerifiedByDefault() throws Exception {
        Path noTls = dir.resolve("no-tls.yaml");
        Files.writeString(noTls, Files.readString(config("default-tls")).replace("dbTls: disabled\n", ""));
        rds.requests().clear();
        assertEquals(ExitCodes.FAILED, rdsSync(DB_PASSWORD, "run", "-c", noTls.toString(), "--work-dir",
                dir.resolve("work-tls").toString()));
        String out = outputs.get(outputs.size() - 1);
        assertTrue(out, out.contains("SSL") || out.contains("TLS"));
        assertTrue("refused before any change", rds.requests().mutating().isEmpty());
    }

    @Test
    public void z_noSecretInOutputExceptionsFilesRequestsOrReports() throws Exception {
        List<String> found = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
            scan("output of run " + (i + 1), outputs.get(i), found);
        }
        for (Throwable t : thrown) {
            StringWriter trace = new StringWriter();
            t.printStackTrace(new PrintWriter(trace));
            scan("exception " + t.getClass().getSimpleName(), trace.toString()
                    + (t instanceof SyncException s ? "\n" + s.hint() : ""), found);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (f.getFileName().toString().endsWith(".sql")) {
                    continue; // the post-restore SQL the user wrote holds its password
                }
                scan(f.toString(), Files.readString(f, StandardCharsets.ISO_8859_1), found);
                if (f.getFileName().toString().endsWith(".zip")) {
                    scan(f + " (unpacked)", unzip(f), found);
                }
            }
        }
        for (RecordedRequest r : rds.requests().all()) {
            scan("request " + r.action(), r.parameters().toString(), found);
        }
        Path reports = Path.of("target", "surefire-reports");
        if (Files.isDirectory(reports)) {
            try (Stream<Path> files = Files.list(reports)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    scan(f.toString(), Files.readString(f, StandardCharsets.ISO_8859_1), found);
                }
            }
        }
        assertTrue("scanned the runs", outputs.size() >= 7);
        if (!found.isEmpty()) {
            fail("secrets found (shown by number, never by value):\n" + String.join("\n", found));
        }
    }

    /** Records where a secret appears, naming the secret by its number in {@link #SECRETS}. */
    private static void scan(String where, String text, List<String> found) {
        for (int i = 0; i < SECRETS.size(); i++) {
            int at = text.indexOf(SECRETS.get(i));
            if (at >= 0) {
                String line = text.substring(Math.max(0, text.lastIndexOf('\n', at) + 1), at);
                found.add("secret #" + i + " in " + where + " after: "
                        + line.substring(Math.max(0, line.length() - 80)));
            }
        }
    }

    private static String unzip(Path zip) throws IOException {
        StringBuilder b = new StringBuilder();
        try (InputStream in = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(in)) {
            ZipEntry e;
            while ((e = z.getNextEntry()) != null) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                z.transferTo(bytes);
                b.append(e.getName()).append('\n').append(bytes.toString(StandardCharsets.ISO_8859_1));
            }
        }
        return b.toString();
    }
}
