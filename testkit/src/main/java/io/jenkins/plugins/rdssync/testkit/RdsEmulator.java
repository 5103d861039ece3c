package io.jenkins.plugins.rdssync.testkit;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An Amazon RDS emulator for tests and demos: the RDS Query API (version 2014-10-31) on a loopback HTTP port,
 * usable by an unmodified AWS SDK {@code RdsClient} (with {@code endpointOverride(rds.endpoint())}, any static
 * credentials and the emulator's region), waiters included. Every DB instance is a real embedded MariaDB server
 * behind its own loopback endpoint; snapshots hold real data; the lifecycle runs on a scaled clock
 * (see {@link Builder#rdsMinute(Duration)} and {@link Transition}).
 *
 * <pre>{@code
 * try (RdsEmulator rds = RdsEmulator.builder().rdsMinute(Duration.ofMillis(20)).start()) {
 *     rds.createAvailableInstance("prod", "admin", "secret12", Path.of("seed.sql"));
 *     RdsClient client = RdsClient.builder().endpointOverride(rds.endpoint()).region(Region.US_EAST_1)
 *             .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))).build();
 *     ...
 * }
 * }</pre>
 *
 * Close it (try-with-resources) to stop every server and delete its data; a JVM shutdown hook does the same.
 */
public final class RdsEmulator implements AutoCloseable {
    private static final String OWNER_FILE = "owner.pid";

    private final RdsBackend backend;
    private final AwsAccounts accounts;
    private final HttpServer http;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;
    private final ExecutorService proxyThreads;
    private final ExecutorService httpThreads;
    private final Path root;
    private final URI endpoint;
    private final Duration rdsMinute;
    private final Thread shutdownHook;
    private volatile boolean closed;

    private RdsEmulator(Builder b) throws IOException {
        sweepStaleDirectories();
        this.root = Files.createTempDirectory("rds-emulator-");
        Files.writeString(root.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
        this.rdsMinute = b.rdsMinute;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("rds-emulator-clock"));
        this.workers = Executors.newCachedThreadPool(daemon("rds-emulator-worker"));
        this.proxyThreads = Executors.newCachedThreadPool(daemon("rds-emulator-proxy"));
        this.httpThreads = Executors.newFixedThreadPool(4, daemon("rds-emulator-http"));
        this.backend = new RdsBackend(b.config(), root, scheduler, workers, proxyThreads);
        this.accounts = new AwsAccounts(backend, root, scheduler, workers, proxyThreads);
        b.accounts.forEach((id, keys) -> accounts.account(id, keys));
        accounts.regions(b.otherRegions);
        try {
            this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port), 64);
        } catch (IOException e) {
            scheduler.shutdownNow();
            workers.shutdownNow();
            proxyThreads.shutdownNow();
            httpThreads.shutdownNow();
            MariaDbRuntime.deleteTree(root);
            throw e;
        }
        http.createContext("/", new QueryApiHandler(accounts));
        http.setExecutor(httpThreads);
        http.start();
        this.endpoint = URI.create("http://127.0.0.1:" + http.getAddress().getPort());
        this.shutdownHook = new Thread(this::close, "rds-emulator-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        // prepare the MariaDB runtime in the background, so the first instance starts sooner
        workers.execute(() -> {
            try {
                backend.runtime();
            } catch (RuntimeException e) {
                // reported again when an instance needs it
            }
        });
    }

    /** A builder with the defaults: ephemeral port, {@code us-east-1}, RDS minute = 1 s, the default groups. */
    public static Builder builder() {
        return new Builder();
    }

    /** The RDS API endpoint, {@code http://127.0.0.1:port}, for {@code RdsClientBuilder.endpointOverride}. */
    public URI endpoint() {
        return endpoint;
    }

    /** The region in ARNs and availability zones (configure the SDK client with the same). */
    public String region() {
        return backend.cfg.region;
    }

    /** The account id in ARNs. */
    public String accountId() {
        return backend.cfg.accountId;
    }

    /**
     * One AWS account of the emulator: the default one ({@link #accountId()}) or one added with
     * {@link Builder#account(String, String...)}.
     *
     * @throws IllegalArgumentException for an account the emulator does not model
     */
    public EmulatedAccount account(String accountId) {
        return account(accountId, region());
    }

    /** One AWS account in one of the emulator's regions ({@link Builder#otherRegions(String...)}). */
    public EmulatedAccount account(String accountId, String region) {
        RdsBackend b = accounts.backendExactly(accountId, region);
        if (b == null) {
            throw new IllegalArgumentException("the emulator has no account " + accountId + " in " + region);
        }
        return new EmulatedAccount(accounts, b);
    }

    /** The length of one RDS minute. */
    public Duration rdsMinute() {
        return rdsMinute;
    }

    /** The ARN of a DB instance identifier, as RDS reports it ({@code arn:aws:rds:region:account:db:id}). */
    public String instanceArn(String id) {
        return backend.arnDb(id.toLowerCase(Locale.ROOT));
    }

    /** The ARN of a DB snapshot identifier ({@code arn:aws:rds:region:account:snapshot:id}). */
    public String snapshotArn(String id) {
        return backend.arnSnapshot(id);
    }

    /**
     * Direct setup, bypassing the API (and the request log): creates a DB instance that is {@code available} as soon
     * as this returns, with a master user ({@code 'user'@'%'}, all privileges) and the seed SQL loaded (as an admin,
     * with the mariadb client: DELIMITER, routines and several schemas are fine).
     *
     * @param seedSql an SQL file, or null for an empty server
     * @return its endpoint
     */
    public DbEndpoint createAvailableInstance(String id, String masterUser, String masterPassword, Path seedSql) {
        return backend.createAvailableInstance(id, masterUser, masterPassword, seedSql);
    }

    /**
     * The endpoint of an instance identifier as a client configures it: one port per name for good, reaching
     * whichever instance holds the name now, as its DNS says (during a rename the old name keeps serving; see
     * {@link RdsFaults#dnsPropagation} and {@link RdsFaults#staleDnsCache}). Nothing answers while no instance does.
     */
    public DbEndpoint nameEndpoint(String name) {
        return backend.nameEndpoint(name);
    }

    /** Where a DB instance accepts connections now: the endpoint of the name it holds (it changes on rename). */
    public DbEndpoint dbEndpoint(String id) {
        return backend.endpoint(id);
    }

    /** A Connector/J URL for a DB instance's endpoint. */
    public String jdbcUrl(String id) {
        return backend.endpoint(id).jdbcUrl();
    }

    /** A Connector/J URL for a DB instance's endpoint and a schema. */
    public String jdbcUrl(String id, String database) {
        return backend.endpoint(id).jdbcUrl(database);
    }

    /** A JDBC connection to a DB instance's endpoint as its master user, with the password RDS knows for it. */
    public Connection connectAsMaster(String id) throws SQLException {
        return connectAsMaster(id, "");
    }

    /** A JDBC connection as the master user, with a default schema. */
    public Connection connectAsMaster(String id, String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(id, database), backend.masterUsername(id), backend.masterPassword(id));
    }

    /** Takes an automated snapshot ({@code rds:<id>-yyyy-MM-dd-HH-mm}, type automated) now; available on return. */
    public String takeAutomatedSnapshot(String instanceId) {
        return takeAutomatedSnapshot(instanceId, Instant.now());
    }

    /**
     * Takes an automated snapshot of the data as it is now, named and dated as if taken at {@code time}
     * (to set up "the newest automated snapshot" cases). If the name is taken, the next minute is used.
     *
     * @return the snapshot identifier
     */
    public String takeAutomatedSnapshot(String instanceId, Instant time) {
        return backend.takeAutomatedSnapshot(instanceId, time);
    }

    /** A DB instance's status as DescribeDBInstances shows it, or null when there is no such instance. */
    public String instanceStatus(String id) {
        return backend.instanceStatus(id);
    }

    /** A DB snapshot's status, or null when there is no such snapshot. */
    public String snapshotStatus(String id) {
        return backend.snapshotStatus(id);
    }

    /** Identifiers of the DB instances that exist now. */
    public List<String> instanceIds() {
        return backend.instanceIds();
    }

    /** Identifiers of the DB snapshots that exist now. */
    public List<String> snapshotIds() {
        return backend.snapshotIds();
    }

    /** The OS process id of a DB instance's MariaDB server, or -1. */
    public long serverPid(String id) {
        return backend.serverPid(id);
    }

    /**
     * Java API: reports the instance as another engine version (its server stays MariaDB): for snapshots of a
     * production that was upgraded, e.g. to {@code 8.4.3}.
     */
    public void setEngineVersion(String id, String engineVersion) {
        backend.alter(id, e -> { }, engineVersion);
    }

    /** Java API: reports the instance as a member of a DB cluster (Multi-AZ DB cluster). */
    public void setClusterMember(String id, String clusterId) {
        backend.alter(id, e -> e.clusterId = clusterId, null);
    }

    /** Java API: reports the instance as running another engine (e.g. {@code aurora-mysql}). */
    public void setEngine(String id, String engine) {
        backend.alter(id, e -> e.engine = engine, null);
    }

    /** Java API: reports {@code replicaId} as a read replica of {@code sourceId} (both must exist). */
    public void setReadReplica(String replicaId, String sourceId) {
        backend.alter(replicaId, e -> e.replicaSource = sourceId.toLowerCase(Locale.ROOT), null);
        backend.alter(sourceId, e -> e.replicas.add(replicaId.toLowerCase(Locale.ROOT)), null);
    }

    /**
     * The master password as Secrets Manager holds it for an instance whose password is managed (what GetSecretValue
     * on its MasterUserSecret would answer); null when it is not managed.
     */
    public String managedMasterPassword(String id) {
        return backend.managedMasterPassword(id);
    }

    /** Applies modifications made with {@code ApplyImmediately=false} now (the maintenance window came). */
    public void applyPendingMaintenance(String id) {
        backend.applyPendingMaintenance(id);
    }

    /**
     * Waits until a DB instance shows {@code status} (or, for {@code status == null}, no longer exists).
     *
     * @throws IllegalStateException on timeout
     */
    public void awaitInstanceStatus(String id, String status, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        long pollMs = Math.max(5, rdsMinute.toMillis() / 4);
        String last = null;
        while (System.nanoTime() < end) {
            last = backend.instanceStatus(id);
            if (status == null ? last == null : status.equals(last)) {
                return;
            }
            try {
                Thread.sleep(Math.min(pollMs, 250));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        throw new IllegalStateException("DB instance " + id + " is " + last + ", not " + status + " after " + timeout);
    }

    /** The fault switches. */
    public RdsFaults faults() {
        return backend.faults;
    }

    /** The request log. */
    public RequestLog requests() {
        return backend.log;
    }

    /** Stops the API, every MariaDB server, and deletes the emulator's data. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        http.stop(0);
        accounts.closeAll();
        backend.close();
        scheduler.shutdownNow();
        workers.shutdownNow();
        proxyThreads.shutdownNow();
        httpThreads.shutdownNow();
        MariaDbRuntime.deleteTree(root);
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // the JVM is shutting down
            }
        }
    }

    /**
     * Removes what emulators of JVMs that died without closing left in the temp dir (e.g. a killed test fork):
     * their MariaDB servers are killed and their files deleted.
     */
    private static void sweepStaleDirectories() {
        Path tmp = Paths.get(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, "rds-emulator-*")) {
            for (Path dir : dirs) {
                Path owner = dir.resolve(OWNER_FILE);
                if (!Files.isRegularFile(owner)) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(Files.readString(owner, StandardCharsets.UTF_8).trim());
                } catch (IOException | NumberFormatException e) {
                    continue;
                }
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                Path instancesDir = dir.resolve("instances");
                if (Files.isDirectory(instancesDir)) {
                    try (DirectoryStream<Path> inst = Files.newDirectoryStream(instancesDir)) {
                        for (Path i : inst) {
                            killServer(i.resolve("mariadbd.pid"), i);
                        }
                    }
                }
                MariaDbRuntime.deleteTree(dir);
            }
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
    }

    private static void killServer(Path pidFile, Path dir) {
        try {
            long pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.UTF_8).trim());
            ProcessHandle.of(pid).ifPresent(h -> {
                String cmd = h.info().commandLine().orElse("");
                if (cmd.contains("mariadbd") && cmd.contains(dir.toString())) {
                    h.destroyForcibly();
                }
            });
        } catch (IOException | NumberFormatException ignored) {
            // no server
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Configures and starts an {@link RdsEmulator}. */
    public static final class Builder {
        private int port;
        private Duration rdsMinute = Duration.ofSeconds(1);
        private final RdsBackend.Config cfg = new RdsBackend.Config();
        private final List<RdsBackend.SubnetGroup> subnetGroups = new ArrayList<>();
        private final List<String[]> parameterGroups = new ArrayList<>();
        private final List<String[]> optionGroups = new ArrayList<>();
        private final List<String> securityGroups = new ArrayList<>();
        private final java.util.Map<String, List<String>> accounts = new java.util.LinkedHashMap<>();
        private final List<String> otherRegions = new ArrayList<>();

        private Builder() {
        }

        /**
         * Regions besides {@link #region(String)} that every account has, each with its own instances and snapshots
         * (for copies across regions). A request signed for a region the emulator does not model acts in the default
         * region, as before.
         */
        public Builder otherRegions(String... regions) {
            otherRegions.addAll(Arrays.asList(regions));
            return this;
        }

        /**
         * Models another AWS account (or gives the default one access keys): requests signed with one of these access
         * key ids act in that account, with its own instances, snapshots, KMS keys and roles. Keys the emulator does
         * not know act in the default account.
         */
        public Builder account(String accountId, String... accessKeyIds) {
            accounts.computeIfAbsent(accountId, k -> new ArrayList<>()).addAll(Arrays.asList(accessKeyIds));
            return this;
        }

        /** The API's loopback port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The region in ARNs and zone names (default {@code us-east-1}). */
        public Builder region(String region) {
            cfg.region = region;
            return this;
        }

        /** The account id in ARNs (default {@code 123456789012}). */
        public Builder accountId(String accountId) {
            cfg.accountId = accountId;
            return this;
        }

        /** How long one "RDS minute" lasts (default 1 s; ~20 ms in tests). */
        public Builder rdsMinute(Duration d) {
            this.rdsMinute = d;
            return this;
        }

        /** How many RDS minutes a phase lasts (see {@link Transition} for the defaults). */
        public Builder transitionMinutes(Transition t, double minutes) {
            cfg.minutes.put(t, minutes);
            return this;
        }

        /** Adds a DB subnet group spanning these zones (default zones: the region's a, b and c). */
        public Builder subnetGroup(String name, String... availabilityZones) {
            subnetGroups.add(new RdsBackend.SubnetGroup(name.toLowerCase(Locale.ROOT), name + " (emulated)",
                    List.of(availabilityZones)));
            return this;
        }

        /** Adds a DB parameter group (family mysql8.0). */
        public Builder parameterGroup(String name) {
            return parameterGroup(name, "mysql8.0");
        }

        /** Adds a DB parameter group of a family ({@code mysql8.0}, {@code mysql8.4}). */
        public Builder parameterGroup(String name, String family) {
            parameterGroups.add(new String[] {name, family});
            return this;
        }

        /** Adds an option group (mysql 8.0). */
        public Builder optionGroup(String name) {
            return optionGroup(name, "mysql", "8.0");
        }

        /** Adds an option group of an engine and major version (e.g. mysql 8.4). */
        public Builder optionGroup(String name, String engine, String majorVersion) {
            optionGroups.add(new String[] {name, engine, majorVersion});
            return this;
        }

        /** Manual snapshots allowed in the region before CreateDBSnapshot fails with SnapshotQuotaExceeded (100). */
        public Builder manualSnapshotQuota(int quota) {
            cfg.manualSnapshotQuota = quota;
            return this;
        }

        /** Adds VPC security group ids that instances may use (unknown ids are refused as by RDS). */
        public Builder securityGroups(String... ids) {
            securityGroups.addAll(Arrays.asList(ids));
            return this;
        }

        /** Takes automated snapshots of every available instance with backups on, at this interval (default: never). */
        public Builder automatedBackupInterval(Duration interval) {
            cfg.automatedBackupIntervalNanos = interval.toNanos();
            return this;
        }

        RdsBackend.Config config() {
            cfg.rdsMinuteNanos = rdsMinute.toNanos();
            List<String> zones = List.of(cfg.region + "a", cfg.region + "b", cfg.region + "c");
            cfg.subnetGroups.put("default", new RdsBackend.SubnetGroup("default", "default", zones));
            for (RdsBackend.SubnetGroup g : subnetGroups) {
                cfg.subnetGroups.put(g.name(), g.azs().isEmpty()
                        ? new RdsBackend.SubnetGroup(g.name(), g.description(), zones) : g);
            }
            for (String family : List.of("mysql8.0", "mysql8.4")) {
                cfg.parameterGroups.put("default." + family, new RdsBackend.ParameterGroup("default." + family,
                        family, "Default parameter group for " + family));
            }
            for (String[] pg : parameterGroups) {
                String n = pg[0].toLowerCase(Locale.ROOT);
                cfg.parameterGroups.put(n, new RdsBackend.ParameterGroup(n, pg[1], pg[0] + " (emulated)"));
            }
            for (String major : List.of("8.0", "8.4")) {
                String n = "default:mysql-" + major.replace('.', '-');
                cfg.optionGroups.put(n, new RdsBackend.OptionGroup(n, "Default option group for mysql " + major,
                        "mysql", major));
            }
            for (String[] og : optionGroups) {
                String n = og[0].toLowerCase(Locale.ROOT);
                cfg.optionGroups.put(n, new RdsBackend.OptionGroup(n, og[0] + " (emulated)", og[1], og[2]));
            }
            cfg.securityGroups.add(cfg.defaultSecurityGroup);
            cfg.securityGroups.addAll(securityGroups);
            return cfg;
        }

        /** Starts the emulator (the API answers at once; MariaDB is prepared in the background). */
        public RdsEmulator start() {
            try {
                return new RdsEmulator(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the RDS emulator", e);
            }
        }
    }
}
