package io.jenkins.plugins.rdssync.testkit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;

/** The main class in its own JVM: seeded production instance, usable endpoint, clean stop on SIGTERM. */
public class EmulatorMainTest {

    @Test
    public void runsUntilStoppedAndCleansUp() throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                RdsEmulatorMain.class.getName(), "--seed", Jdbc.seed().toString(), "--rds-minute", "10",
                "--master-user", "root_user", "--region", "eu-west-1").redirectErrorStream(true);
        pb.environment().put(RdsEmulatorMain.PASSWORD_ENV, "mainPass123");
        Process p = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (line.startsWith("Press Ctrl-C")) {
                    break;
                }
            }
            String text = String.join("\n", lines);
            Matcher api = Pattern.compile("RDS emulator endpoint: (http://127\\.0\\.0\\.1:\\d+)").matcher(text);
            assertTrue(text, api.find());
            assertFalse("the password is never printed", text.contains("mainPass123"));
            try (RdsClient client = RdsClient.builder().endpointOverride(URI.create(api.group(1)))
                    .region(Region.EU_WEST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))).build()) {
                DBInstance prod = client.describeDBInstances(r -> r.dbInstanceIdentifier("production")).dbInstances().get(0);
                assertEquals("available", prod.dbInstanceStatus());
                assertEquals("arn:aws:rds:eu-west-1:123456789012:db:production", prod.dbInstanceArn());
                assertNotNull(prod.endpoint());
                try (Connection c = Jdbc.connect(prod, "root_user", "mainPass123")) {
                    assertEquals(4, Jdbc.rows(c, "SELECT id FROM shop.customers").size());
                }
            }
            List<ProcessHandle> servers = p.descendants().filter(h -> h.info().command().orElse("").endsWith("mariadbd"))
                    .toList();
            assertEquals(1, servers.size());
            p.destroy(); // SIGTERM, like Ctrl-C
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            for (ProcessHandle h : servers) {
                assertTrue(h.onExit().get(30, TimeUnit.SECONDS) != null);
                assertFalse(h.isAlive());
            }
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    public void refusesToStartWithoutPassword() throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                RdsEmulatorMain.class.getName()).redirectErrorStream(true);
        pb.environment().remove(RdsEmulatorMain.PASSWORD_ENV);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue());
        assertTrue(out, out.contains(RdsEmulatorMain.PASSWORD_ENV));
    }
}
