package io.jenkins.plugins.rdssync.core.e2e;

import io.jenkins.plugins.rdssync.core.EngineOptions;
import io.jenkins.plugins.rdssync.core.iam.IamCheck;
import io.jenkins.plugins.rdssync.core.iam.RequiredPermissions;
import io.jenkins.plugins.rdssync.core.iam.ScenarioPolicies;
import io.jenkins.plugins.rdssync.core.SyncEngine;
import io.jenkins.plugins.rdssync.core.run.Cancellation;
import io.jenkins.plugins.rdssync.core.run.SyncException;
import io.jenkins.plugins.rdssync.core.run.SyncResult;
import io.jenkins.plugins.rdssync.core.spec.Secret;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import io.jenkins.plugins.rdssync.core.spec.TlsMode;
import io.jenkins.plugins.rdssync.testkit.RdsEmulator;
import io.jenkins.plugins.rdssync.testkit.RecordedRequest;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.rules.ExternalResource;

/**
 * One emulator per test class with a "production" instance seeded with the shop schema; helpers to build specs,
 * run syncs and query instances as their master user.
 */
public final class EmulatedRds extends ExternalResource {
    public static final Duration RDS_MINUTE = Duration.ofMillis(20);
    public static final String PROD_PASSWORD = "Prod-Master-Pw-7731";
    public static final String ACC_PASSWORD = "Acc-Login-Pw-4412";
    public static final String AWS_SECRET = "emulator-secret-key-9921";
    /** The access key of {@link #client()}: a test's own set-up calls, which no policy of the engine covers. */
    public static final String HARNESS_KEY_ID = "AKIDTESTHARNESS";

    public RdsEmulator rds;
    private Path workRoot;
    private int runs;
    private Path lastWorkDir;
    private final java.util.function.UnaryOperator<RdsEmulator.Builder> customize;

    public EmulatedRds() {
        this(b -> b);
    }

    /** An emulator with more groups, other phase lengths, ... than the default one. */
    public EmulatedRds(java.util.function.UnaryOperator<RdsEmulator.Builder> customize) {
        this.customize = customize;
    }

    @Override
    protected void before() throws Throwable {
        rds = customize.apply(RdsEmulator.builder().rdsMinute(RDS_MINUTE).securityGroups("sg-0acc")
                .parameterGroup("acc-params")).start();
        workRoot = Files.createTempDirectory("rds-sync-e2e-");
        rds.createAvailableInstance("production", "admin", PROD_PASSWORD, seed("production.sql"));
    }

    @Override
    protected void after() {
        if (rds != null) {
            rds.close();
        }
        if (workRoot != null) {
            try (var files = Files.walk(workRoot)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                // a temp folder; the OS cleans it eventually
            }
        }
    }

    public static Path seed(String name) throws URISyntaxException {
        return Path.of(EmulatedRds.class.getResource("/e2e/" + name).toURI());
    }

    /** A spec for the emulator, with a fresh work folder. */
    public SyncSpec.Builder spec(String source, String target) throws IOException {
        lastWorkDir = Files.createDirectories(workRoot.resolve(target + "-" + (++runs)));
        return SyncSpec.builder().source(source).target(target).region(rds.region())
                .endpointUrl(rds.endpoint().toString())
                .awsCredentials("AKIDEMULATOR", Secret.of(AWS_SECRET), null)
                .mysqlUser("admin").mysqlPassword(Secret.of(ACC_PASSWORD)).dbTls(TlsMode.DISABLED)
                .databases(List.of("shop"))
                .workDir(lastWorkDir)
                .timeoutMinutes(20);
    }

    /** The work folder of the last spec made (a resume needs the journal of the run it continues). */
    public Path lastWorkDir() {
        return lastWorkDir;
    }

    public SyncSpec.Builder spec(String target) throws IOException {
        return spec("production", target);
    }

    /**
     * Runs a sync, and checks that whatever happened, the source got no mutating call but its snapshot, and docs/iam/
     * allows every call the engine made.
     */
    public SyncResult sync(SyncSpec spec, RecordingListener listener) throws SyncException {
        return sync(spec, listener, new Cancellation());
    }

    /** As {@link #sync(SyncSpec, RecordingListener)}, with the caller's cancellation (to stop the run from a hook). */
    public SyncResult sync(SyncSpec spec, RecordingListener listener, Cancellation cancellation) throws SyncException {
        int before = rds.requests().all().size();
        try {
            return SyncEngine.create(spec, listener).options(EngineOptions.forEmulator(RDS_MINUTE))
                    .run(cancellation);
        } finally {
            List<RecordedRequest> engine = engineRequestsSince(rds, before);
            for (RecordedRequest r : engine) {
                if (r.isMutating() && r.names(spec.source()) && !"CreateDBSnapshot".equals(r.action())) {
                    throw new AssertionError("the source " + spec.source() + " got a mutating call: " + r);
                }
            }
            IamCheck.assertAllowed(ScenarioPolicies.oneAccount(spec, rds.region(), rds.accountId()),
                    new RequiredPermissions(rds.region()), engine);
        }
    }

    /** The requests after the first {@code before} of the log, but a test's own set-up calls ({@link #client()}). */
    public static List<RecordedRequest> engineRequestsSince(RdsEmulator rds, int before) {
        List<RecordedRequest> all = rds.requests().all();
        return all.subList(Math.min(before, all.size()), all.size()).stream()
                .filter(r -> !HARNESS_KEY_ID.equals(r.accessKeyId())).toList();
    }

    /** An SDK client on the emulator, for setting up situations the engine must cope with. */
    public RdsClient client() {
        return RdsClient.builder().endpointOverride(rds.endpoint()).region(Region.of(rds.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(HARNESS_KEY_ID, "harness-secret"))).build();
    }

    public SyncResult sync(SyncSpec spec) throws SyncException {
        return sync(spec, new RecordingListener());
    }

    /** A connection to an instance's shop schema as its master user (the engine's view, through the endpoint). */
    public Connection shop(String instance) throws SQLException {
        return rds.connectAsMaster(instance, "shop");
    }

    public long queryLong(String instance, String sql) throws SQLException {
        try (Connection c = shop(instance); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    public String queryString(String instance, String sql) throws SQLException {
        try (Connection c = shop(instance); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getString(1) : null;
        }
    }

    public long execute(String instance, String sql) throws SQLException {
        try (Connection c = shop(instance); Statement s = c.createStatement()) {
            s.executeUpdate(sql, Statement.RETURN_GENERATED_KEYS);
            try (ResultSet keys = s.getGeneratedKeys()) {
                return keys.next() ? keys.getLong(1) : -1;
            }
        }
    }
}
