package io.jenkins.plugins.rdssync;

import static org.junit.Assert.fail;

import com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl;
import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.Run;
import io.jenkins.plugins.rdssync.testkit.RdsEmulator;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import jenkins.model.Jenkins;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * What the plugin tests share: one RDS emulator per test class (each DB instance a real embedded MariaDB, started
 * before the class and closed after it, in {@link #rds}), a pair of instances per test, the credentials, the step
 * arguments, and a grep for secrets on disk. Tests that need a Jenkins ({@link JenkinsRule}, with the credentials
 * added) extend {@link WithJenkins}; the others (restart sessions, the agent side alone) extend this class.
 */
public abstract class SyncTestSupport {
    static final String AWS_ID = "aws-acc";
    static final String DB_ID = "acc-db";
    static final String AWS_KEY_ID = "AKIAEMULATOR00000001";
    static final String AWS_SECRET = "Emu+Secret/Key-0815-xyz";
    static final String MASTER_USER = "admin";
    static final String MASTER_PASSWORD = "Acc-Master-Pw-4711";
    static final long OFFSET = 1_000_000_000L;
    /** One emulated "RDS minute"; the plugin passes the matching engine timings to core (SyncRunner property). */
    static final Duration RDS_MINUTE = Duration.ofMillis(20);

    private static final AtomicInteger PAIRS = new AtomicInteger();

    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    /** The test class's emulator; outlives the Jenkins sessions of a restart test, as a real RDS would. */
    protected static RdsEmulator rds;

    @BeforeClass
    public static void startEmulator() {
        System.setProperty(SyncRunner.EMULATOR_PROPERTY, String.valueOf(RDS_MINUTE.toMillis()));
        rds = RdsEmulator.builder().rdsMinute(RDS_MINUTE).start();
    }

    @AfterClass
    public static void stopEmulator() {
        if (rds != null) {
            rds.close();
            rds = null;
        }
    }

    /** A test with one {@link JenkinsRule} per test method and the shared credentials in it. */
    public abstract static class WithJenkins extends SyncTestSupport {
        @Rule
        public JenkinsRule j = new JenkinsRule();

        @Before
        public void addCredentials() throws Exception {
            SyncTestSupport.addCredentials(j.jenkins);
        }
    }

    /** A source and a target instance for one test; the target holds one row made on acceptance. */
    record Pair(String source, String target) {
    }

    static Pair newPair(RdsEmulator rds) throws IOException {
        int n = PAIRS.incrementAndGet();
        Pair p = new Pair("prod" + n, "acc" + n);
        rds.createAvailableInstance(p.source(), MASTER_USER, "Prod-Master-Pw-0001", seed(
                "INSERT INTO app.orders (id, note) VALUES (1, 'p1'), (2, 'p2'), (3, 'p3');\n"));
        rds.createAvailableInstance(p.target(), MASTER_USER, MASTER_PASSWORD, seed(
                "INSERT INTO app.orders (id, note) VALUES (1, 'old'), (" + (OFFSET + 1) + ", 'made on acceptance');\n"));
        return p;
    }

    private static Path seed(String rows) throws IOException {
        Path f = Files.createTempFile("seed", ".sql");
        Files.writeString(f, "CREATE DATABASE app;\n"
                + "CREATE TABLE app.orders (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, note VARCHAR(100));\n"
                + rows, StandardCharsets.UTF_8);
        return f;
    }

    static void addCredentials(Jenkins jenkins) throws Exception {
        add(jenkins, new AWSCredentialsImpl(CredentialsScope.GLOBAL, AWS_ID, AWS_KEY_ID, AWS_SECRET, "emulator"));
        add(jenkins, new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, DB_ID, "acceptance master",
                MASTER_USER, MASTER_PASSWORD));
    }

    static void add(Jenkins jenkins, Credentials c) throws IOException {
        CredentialsProvider.lookupStores(jenkins).iterator().next().addCredentials(Domain.global(), c);
    }

    /** The arguments of a {@code syncRdsInstance} call against the emulator (Groovy map syntax, no brackets). */
    static String args(RdsEmulator rds, Pair p) {
        return "source: '" + p.source() + "', target: '" + p.target() + "', region: '" + rds.region()
                + "', endpointUrl: '" + rds.endpoint() + "', awsCredentialsId: '" + AWS_ID
                + "', mysqlCredentialsId: '" + DB_ID + "', databases: ['app'], dbTls: 'disabled'";
    }

    static long count(RdsEmulator rds, String instance, String where) throws SQLException {
        try (Connection c = rds.connectAsMaster(instance, "app"); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT COUNT(*) FROM orders WHERE " + where)) {
            r.next();
            return r.getLong(1);
        }
    }

    static String note(RdsEmulator rds, String instance, long id) throws SQLException {
        try (Connection c = rds.connectAsMaster(instance, "app"); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT note FROM orders WHERE id = " + id)) {
            return r.next() ? r.getString(1) : null;
        }
    }

    /** Files under {@code dir} that contain {@code text} (credentials-binding's BindingStepTest does the same). */
    static Set<String> grep(File dir, String text) throws IOException {
        Set<String> hits = new TreeSet<>();
        if (!dir.isDirectory()) {
            return hits;
        }
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(dir.toPath())) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                if (indexOf(Files.readAllBytes(f), needle) >= 0) {
                    hits.add(dir.toPath().relativize(f).toString());
                }
            }
        }
        return hits;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (hay[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Waits until the build's RDS Sync page says the given stage is running. */
    static SyncAction waitForStage(Run<?, ?> b, String stage) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            for (SyncAction a : b.getActions(SyncAction.class)) {
                if (stage.equals(a.getCurrentStage())) {
                    return a;
                }
            }
            if (!b.isBuilding()) {
                fail("build ended before stage " + stage + ": " + b.getResult());
            }
            Thread.sleep(50);
        }
        fail("stage " + stage + " did not start");
        return null;
    }
}
