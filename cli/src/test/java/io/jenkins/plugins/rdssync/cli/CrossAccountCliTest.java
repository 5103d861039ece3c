package io.jenkins.plugins.rdssync.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.rdssync.testkit.RdsEmulator;
import io.jenkins.plugins.rdssync.testkit.RecordedRequest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import picocli.CommandLine;

/**
 * The command line with two sets of AWS credentials: acceptance's from the SDK's default chain, production's from
 * {@code RDS_SYNC_SOURCE_AWS_*}, each acting in its own account of the emulator.
 */
public class CrossAccountCliTest {
    static final String PROD = "111111111111";
    static final String ACC = "222222222222";
    static final String DB_PASSWORD = "Db-Pw-xacct-9913";
    static final String PROD_SECRET = "prod-secret-xacct-7781";
    static final String ACC_SECRET = "acc-secret-xacct-5530";

    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();
    private static RdsEmulator rds;
    private static final Map<String, String> saved = new HashMap<>();

    @BeforeClass
    public static void start() throws Exception {
        rds = RdsEmulator.builder().rdsMinute(Duration.ofMillis(20)).account(PROD, "AKIDPRODCLI")
                .account(ACC, "AKIDACCCLI").start();
        Path seed = Path.of(CrossAccountCliTest.class.getResource("/reliability/production.sql").toURI());
        rds.account(PROD).createAvailableInstance("production", "admin", "Prod-Master-xacct-1", seed);
        // the target side: the SDK's default chain (as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY would be)
        for (String[] p : new String[][] {{"aws.accessKeyId", "AKIDACCCLI"}, {"aws.secretAccessKey", ACC_SECRET}}) {
            saved.put(p[0], System.getProperty(p[0]));
            System.setProperty(p[0], p[1]);
        }
    }

    @AfterClass
    public static void stop() {
        saved.forEach((k, v) -> {
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

    @Test
    public void runWithProductionsKeysFromTheEnvironment() throws Exception {
        Path dir = TMP.newFolder("xacct").toPath();
        Path config = dir.resolve("cross-account.yaml");
        Files.writeString(config, String.join("\n",
                "source: production",
                "target: acc-cli",
                "region: " + rds.region(),
                "endpointUrl: " + rds.endpoint(),
                "mysqlUser: admin",
                "dbTls: disabled",
                "databases: [shop]",
                "strategy: replace",
                "timeoutMinutes: 10", ""));
        Env env = Env.of(Map.of(SpecFile.PASSWORD_ENV, DB_PASSWORD,
                SpecFile.SOURCE_KEY_ID_ENV, "AKIDPRODCLI", SpecFile.SOURCE_SECRET_ENV, PROD_SECRET));
        StringWriter out = new StringWriter();
        CommandLine cl = RdsSyncCommand.commandLine(new RdsSyncCommand(env, Clock.systemDefaultZone(),
                Engines.core().forEmulator(Duration.ofMillis(20))));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        int code = cl.execute("run", "-c", config.toString(), "--work-dir", dir.resolve("work").toString());
        String text = out.toString();
        assertEquals(text, ExitCodes.OK, code);

        // (the run's last change turned backups on: RDS is taking the first backup)
        rds.account(ACC).awaitInstanceStatus("acc-cli", "available", Duration.ofSeconds(30));
        assertNull(rds.account(PROD).instanceStatus("acc-cli"));
        // rolling, first night: production's snapshot is <source>-<target>-rds-sync-a
        assertEquals(Set.of(), rds.account(PROD).snapshotSharedWith("production-acc-cli-rds-sync-a"));
        assertTrue(text, text.contains("Share and copy"));
        List<RecordedRequest> log = rds.requests().all();
        assertTrue("production's calls were made with production's keys", log.stream()
                .filter(r -> "CreateDBSnapshot".equals(r.action()))
                .allMatch(r -> PROD.equals(r.accountId()) && r.principalArn().endsWith(":user/akidprodcli")));
        assertTrue("the restore was made with acceptance's keys", log.stream()
                .filter(r -> "RestoreDBInstanceFromDBSnapshot".equals(r.action()))
                .allMatch(r -> ACC.equals(r.accountId())));
        for (String secret : List.of(PROD_SECRET, ACC_SECRET, DB_PASSWORD)) {
            assertFalse("no secret in the output", text.contains(secret));
        }
    }
}
