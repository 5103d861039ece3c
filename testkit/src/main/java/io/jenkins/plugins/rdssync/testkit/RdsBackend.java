package io.jenkins.plugins.rdssync.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emulated RDS service: DB instances, snapshots and groups, their lifecycle on the RDS-minute clock,
 * and the Query API actions. All state is guarded by this object's monitor; slow work (servers, dumps)
 * runs on worker threads outside it.
 */
final class RdsBackend {
    private static final Logger LOG = LoggerFactory.getLogger(RdsBackend.class);
    static final String ENGINE = "mysql";
    static final String DEFAULT_ENGINE_VERSION = "8.0.40";
    static final String ADDRESS = "127.0.0.1";
    private static final Pattern INSTANCE_ID = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
    private static final Pattern SNAPSHOT_ID = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
    private static final Pattern INSTANCE_CLASS = Pattern.compile("db\\.[a-z0-9-]+\\.[a-z0-9]+");
    private static final Pattern MASTER_USER = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,31}");
    private static final Pattern DB_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    private static final Set<String> STORAGE_TYPES = Set.of("gp2", "gp3", "io1", "io2", "standard");
    private static final DateTimeFormatter AUTOMATED_NAME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int SNAPSHOT_PROGRESS_STEPS = 5;

    record SubnetGroup(String name, String description, List<String> azs) { }

    record ParameterGroup(String name, String family, String description) { }

    record OptionGroup(String name, String description, String engine, String major) { }

    record Tag(String key, String value) { }

    /** What the builder configured. */
    static final class Config {
        String region = "us-east-1";
        String accountId = "123456789012";
        long rdsMinuteNanos = TimeUnit.SECONDS.toNanos(1);
        final EnumMap<Transition, Double> minutes = new EnumMap<>(Transition.class);
        final Map<String, SubnetGroup> subnetGroups = new LinkedHashMap<>();
        final Map<String, ParameterGroup> parameterGroups = new LinkedHashMap<>();
        final Map<String, OptionGroup> optionGroups = new LinkedHashMap<>();
        final Set<String> securityGroups = new java.util.LinkedHashSet<>();
        String defaultSecurityGroup = "sg-0default";
        long automatedBackupIntervalNanos;
        /** Manual snapshots per region (RDS's default quota: 100; RDS User Guide, "Backup retention period"). */
        int manualSnapshotQuota = 100;

        /** The same service (clock, groups) for another account or region (AwsAccounts: one backend each). */
        Config forAccount(String id, String inRegion) {
            Config c = new Config();
            c.region = inRegion;
            c.accountId = id;
            c.rdsMinuteNanos = rdsMinuteNanos;
            c.minutes.putAll(minutes);
            subnetGroups.forEach((name, g) -> c.subnetGroups.put(name, new SubnetGroup(g.name(), g.description(),
                    g.azs().stream().map(z -> z.startsWith(region) ? inRegion + z.substring(region.length()) : z)
                            .toList())));
            c.parameterGroups.putAll(parameterGroups);
            c.optionGroups.putAll(optionGroups);
            c.securityGroups.addAll(securityGroups);
            c.defaultSecurityGroup = defaultSecurityGroup;
            c.automatedBackupIntervalNanos = automatedBackupIntervalNanos;
            c.manualSnapshotQuota = manualSnapshotQuota;
            return c;
        }
    }

    abstract static class Resource {
        String id;
        String status;
        long generation;
        boolean removed;
        final List<Tag> tags = new ArrayList<>();
    }

    static final class Instance extends Resource {
        String dbiResourceId;
        String instanceClass;
        String engineVersion;
        String masterUsername;
        String masterPassword;
        String dbName;
        int allocatedStorage;
        String storageType;
        Integer iops;
        Instant createTime;
        int backupRetention;
        List<String> securityGroups = new ArrayList<>();
        String parameterGroup;
        String parameterApplyStatus = "in-sync";
        String optionGroup;
        String availabilityZone;
        String subnetGroup;
        boolean multiAz;
        boolean publiclyAccessible;
        boolean deletionProtection;
        boolean storageEncrypted;
        String kmsKeyId;
        boolean copyTagsToSnapshot;
        int preferredPort;
        int endpointPort;
        String forcedStatus;
        /** PendingModifiedValues, as element name to value. */
        final Map<String, String> pending = new LinkedHashMap<>();
        /** Deferred modifications (ApplyImmediately=false), applied by applyPendingMaintenance. */
        final Map<String, String> deferred = new LinkedHashMap<>();
        MariaDbServer server;
        /** Null until the server is up. */
        InstanceNet net;
        final Set<CompletableFuture<?>> inflight = ConcurrentHashMap.newKeySet();
        final InstanceExtras extras = new InstanceExtras();

        String displayStatus() {
            return forcedStatus != null ? forcedStatus : status;
        }
    }

    static final class Snapshot extends Resource {
        String instanceId;
        String dbiResourceId;
        String type;
        int percent;
        Instant createTime;
        Instant originalCreateTime;
        Instant instanceCreateTime;
        String engineVersion;
        int allocatedStorage;
        int port;
        String availabilityZone;
        String masterUsername;
        String masterPassword;
        String optionGroup;
        String storageType;
        Integer iops;
        boolean encrypted;
        String kmsKeyId;
        String sourceSnapshotArn;
        String instanceClass;
        int backupRetention;
        Path dumpFile;
        Path accountsFile;
        /** The {@code restore} attribute: accounts this manual snapshot is shared with (ModifyDBSnapshotAttribute). */
        final Set<String> restoreAccounts = new java.util.TreeSet<>();
    }

    /** One timed phase of a lifecycle chain. */
    static final class Step {
        final String status;
        final Transition transition;
        final double factor;
        Supplier<CompletableFuture<?>> work;
        Runnable onEnd;

        Step(String status, Transition transition, double factor) {
            this.status = status;
            this.transition = transition;
            this.factor = factor;
        }

        Step work(Supplier<CompletableFuture<?>> w) {
            this.work = w;
            return this;
        }

        Step onEnd(Runnable r) {
            this.onEnd = r;
            return this;
        }
    }

    final Config cfg;
    final RdsFaults faults;
    final RequestLog log = new RequestLog();
    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;
    private final NameEndpoints names;
    private final Path root;
    private final Map<String, Instance> instances = new TreeMap<>();
    private final Set<String> reservedIds = new java.util.HashSet<>();
    private final Map<String, Snapshot> snapshots = new TreeMap<>();
    private final Map<String, List<Tag>> otherTags = new java.util.HashMap<>();
    private final Set<MariaDbServer> servers = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private int azCounter;

    RdsBackend(Config cfg, Path root, ScheduledExecutorService scheduler, ExecutorService workers,
               ExecutorService proxyThreads) {
        this.cfg = cfg;
        this.root = root;
        this.scheduler = scheduler;
        this.workers = workers;
        this.names = new NameEndpoints(proxyThreads);
        this.faults = new RdsFaults(this);
        if (cfg.automatedBackupIntervalNanos > 0) {
            scheduler.scheduleWithFixedDelay(this::scheduledBackups, cfg.automatedBackupIntervalNanos,
                    cfg.automatedBackupIntervalNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** The shared MariaDB runtime (created on first use; not under this monitor, installing takes a while). */
    MariaDbRuntime runtime() {
        return MariaDbRuntime.get();
    }

    void runAsync(Runnable r) {
        if (!closed) {
            workers.execute(r);
        }
    }

    // =====================================================================================================
    // Query API dispatch
    // =====================================================================================================

    /** Runs one action; returns the XML inside {@code <ActionResult>}, or null for actions without a result. */
    String dispatch(String action, Params p) {
        switch (action) {
            case "CreateDBInstance": return createInstance(p);
            case "DescribeDBInstances": return describeInstances(p);
            case "ModifyDBInstance": return modifyInstance(p);
            case "RebootDBInstance": return rebootInstance(p);
            case "DeleteDBInstance": return deleteInstance(p);
            case "CreateDBSnapshot": return createSnapshot(p);
            case "DescribeDBSnapshots": return describeSnapshots(p);
            case "DeleteDBSnapshot": return deleteSnapshot(p);
            case "CopyDBSnapshot": return copySnapshot(p);
            case "RestoreDBInstanceFromDBSnapshot": return restoreInstance(p);
            case "AddTagsToResource": return addTags(p);
            case "RemoveTagsFromResource": return removeTags(p);
            case "ListTagsForResource": return listTags(p);
            case "DescribeDBSubnetGroups": return describeSubnetGroups(p);
            case "DescribeDBParameterGroups": return describeParameterGroups(p);
            case "DescribeOptionGroups": return describeOptionGroups(p);
            case "DescribeDBEngineVersions": return EngineCatalog.describeVersions(p);
            case "DescribeOrderableDBInstanceOptions": return EngineCatalog.describeOrderable(p, this);
            case "StopDBInstance": return stopInstance(p);
            case "StartDBInstance": return startInstance(p);
            default:
                throw new RdsApiException(400, "InvalidAction",
                        "The action " + action + " is not valid for this web service.");
        }
    }

    // =====================================================================================================
    // DB instances
    // =====================================================================================================

    private String createInstance(Params p) {
        String id = instanceId(p.required("DBInstanceIdentifier"), "DBInstanceIdentifier");
        String cls = instanceClass(p.required("DBInstanceClass"));
        String engine = p.required("Engine");
        if (!ENGINE.equalsIgnoreCase(engine)) {
            throw RdsApiException.invalidParameterValue("Invalid DB engine: " + engine);
        }
        String user = p.str("MasterUsername");
        if (user == null) {
            throw RdsApiException.invalidParameterValue(
                    "The parameter MasterUsername must be provided and must not be blank.");
        }
        if (!MASTER_USER.matcher(user).matches() || user.length() > 16) {
            throw RdsApiException.invalidParameterValue("The parameter MasterUsername is not a valid identifier. "
                    + "Identifiers must begin with a letter; must contain only ASCII letters, digits, and underscores;"
                    + " and must be 1 to 16 characters long.");
        }
        if (Boolean.TRUE.equals(p.bool("ManageMasterUserPassword"))) {
            throw RdsApiException.invalidParameterValue(
                    "ManageMasterUserPassword (Secrets Manager) is not supported by the emulator.");
        }
        String password = p.str("MasterUserPassword");
        if (password == null) {
            throw RdsApiException.invalidParameterValue(
                    "The parameter MasterUserPassword must be provided and must not be blank.");
        }
        validatePassword(password);
        Integer storage = p.integer("AllocatedStorage");
        Integer iops = p.integer("Iops");
        String storageType = storageType(p.str("StorageType"), iops != null ? "io1" : "gp2");
        if (storage == null || storage < 20 || storage > 65536) {
            throw RdsApiException.invalidParameterValue("Invalid storage size for engine name mysql and storage type "
                    + storageType + ": " + (storage == null ? 0 : storage));
        }
        String dbName = p.str("DBName");
        if (dbName != null && !DB_NAME.matcher(dbName).matches()) {
            throw RdsApiException.invalidParameterValue("The parameter DBName is not a valid identifier. Identifiers "
                    + "must begin with a letter; must contain only ASCII letters, digits, and underscores.");
        }
        Integer retention = p.integer("BackupRetentionPeriod");
        if (retention != null && (retention < 0 || retention > 35)) {
            throw RdsApiException.invalidParameterValue("Invalid backup retention period: " + retention
                    + ". Must be between 0 and 35.");
        }
        Integer port = port(p.integer("Port"));
        String version = p.str("EngineVersion");
        if (version != null && !version.startsWith("8.0")) {
            throw new RdsApiException(400, "InvalidParameterCombination",
                    "Cannot find version " + version + " for mysql");
        }
        List<Tag> tags = tags(p, "Tags");
        synchronized (this) {
            checkOpen();
            SubnetGroup sg = subnetGroup(p.str("DBSubnetGroupName"));
            boolean multiAz = p.bool("MultiAZ", false);
            String az = availabilityZone(sg, p.str("AvailabilityZone"), multiAz);
            List<String> sgs = securityGroups(p);
            String pg = parameterGroup(p.str("DBParameterGroupName"));
            String og = optionGroup(p.str("OptionGroupName"));
            checkNewInstanceId(id);
            Instance i = newInstance(id);
            i.instanceClass = cls;
            i.engineVersion = version != null ? version : DEFAULT_ENGINE_VERSION;
            i.masterUsername = user;
            i.masterPassword = password;
            i.dbName = dbName;
            i.allocatedStorage = storage;
            i.storageType = storageType;
            i.iops = iops;
            i.backupRetention = retention != null ? retention : 1;
            i.securityGroups = sgs;
            i.parameterGroup = pg;
            i.optionGroup = og;
            i.availabilityZone = az;
            i.subnetGroup = sg.name();
            i.multiAz = multiAz;
            i.publiclyAccessible = p.bool("PubliclyAccessible", false);
            i.deletionProtection = p.bool("DeletionProtection", false);
            i.storageEncrypted = p.bool("StorageEncrypted", false) || p.str("KmsKeyId") != null;
            i.kmsKeyId = i.storageEncrypted ? kmsArn(p.str("KmsKeyId")) : null;
            i.copyTagsToSnapshot = p.bool("CopyTagsToSnapshot", false);
            i.preferredPort = port == null ? 0 : port;
            i.tags.addAll(tags);
            i.status = "creating";
            i.pending.put("MasterUserPassword", "****");
            instances.put(id, i);
            List<Step> steps = new ArrayList<>();
            steps.add(new Step("creating", Transition.CREATE, 1)
                    .work(() -> startServer(i, null, null, user, password, dbName, null))
                    .onEnd(() -> {
                        i.pending.remove("MasterUserPassword");
                        openEndpoint(i, i.preferredPort);
                        i.createTime = Instant.now();
                    }));
            if (i.backupRetention > 0) {
                steps.add(new Step("backing-up", Transition.BACKUP, 1));
            }
            runChain(i, steps, "available");
            return xmlInstanceResult(i);
        }
    }

    /** Java API: creates an instance and makes it available at once, with its data loaded. */
    DbEndpoint createAvailableInstance(String rawId, String user, String password, Path seed) {
        String id = instanceId(rawId, "DBInstanceIdentifier");
        if (user == null || user.isEmpty() || password == null || password.isEmpty()) {
            throw new IllegalArgumentException("master user and password are required");
        }
        Instance i;
        synchronized (this) {
            checkOpen();
            checkNewInstanceId(id);
            i = newInstance(id);
            i.instanceClass = "db.t3.micro";
            i.engineVersion = DEFAULT_ENGINE_VERSION;
            i.masterUsername = user;
            i.masterPassword = password;
            i.allocatedStorage = 20;
            i.storageType = "gp2";
            i.backupRetention = 1;
            i.securityGroups = new ArrayList<>(List.of(cfg.defaultSecurityGroup));
            i.parameterGroup = parameterGroup(null);
            i.optionGroup = optionGroup(null);
            SubnetGroup sg = subnetGroup(null);
            i.subnetGroup = sg.name();
            i.availabilityZone = availabilityZone(sg, null, false);
            i.status = "creating";
            instances.put(id, i);
        }
        try {
            startServer(i, null, null, user, password, null, seed).join();
        } catch (CompletionException e) {
            synchronized (this) {
                instances.remove(id);
                i.removed = true;
            }
            stopServerAsync(i);
            throw new IllegalStateException("cannot create instance " + id + ": " + e.getCause().getMessage(),
                    e.getCause());
        }
        synchronized (this) {
            openEndpoint(i, 0);
            i.createTime = Instant.now();
            i.status = "available";
            return new DbEndpoint(ADDRESS, i.endpointPort);
        }
    }

    private String describeInstances(Params p) {
        String id = p.str("DBInstanceIdentifier");
        List<Map<String, String>> filters = p.structs("Filters");
        synchronized (this) {
            List<Instance> list;
            if (id != null) {
                Instance i = findInstance(id);
                list = List.of(i);
            } else {
                list = new ArrayList<>(instances.values());
            }
            for (Map<String, String> f : filters) {
                String name = f.get("Name");
                List<String> values = Params.subList(f, "Values");
                Predicate<Instance> match;
                switch (name == null ? "" : name) {
                    case "db-instance-id":
                        match = i -> values.stream().anyMatch(v -> v.equalsIgnoreCase(i.id) || v.equals(arnDb(i.id)));
                        break;
                    case "dbi-resource-id":
                        match = i -> values.contains(i.dbiResourceId);
                        break;
                    case "engine":
                        match = i -> values.contains(ENGINE);
                        break;
                    case "db-cluster-id":
                    case "domain":
                        match = i -> false;
                        break;
                    default:
                        throw RdsApiException.invalidParameterValue("Unrecognized filter name: " + name);
                }
                list = list.stream().filter(match).collect(java.util.stream.Collectors.toList());
            }
            String[] marker = new String[1];
            list = page(list, p, marker);
            Xml x = new Xml();
            x.open("DBInstances");
            for (Instance i : list) {
                writeInstance(x, i);
            }
            x.close("DBInstances");
            x.el("Marker", marker[0]);
            return x.toString();
        }
    }

    private String modifyInstance(Params p) {
        String id = p.required("DBInstanceIdentifier");
        boolean now = p.bool("ApplyImmediately", false);
        String newId = p.str("NewDBInstanceIdentifier");
        if (newId != null) {
            newId = instanceId(newId, "NewDBInstanceIdentifier");
        }
        String cls = p.str("DBInstanceClass") == null ? null : instanceClass(p.str("DBInstanceClass"));
        String password = p.str("MasterUserPassword");
        if (password != null) {
            validatePassword(password);
        }
        Integer retention = p.integer("BackupRetentionPeriod");
        if (retention != null && (retention < 0 || retention > 35)) {
            throw RdsApiException.invalidParameterValue("Invalid backup retention period: " + retention
                    + ". Must be between 0 and 35.");
        }
        Integer storage = p.integer("AllocatedStorage");
        String storageType = p.str("StorageType") == null ? null : storageType(p.str("StorageType"), null);
        Boolean deletionProtection = p.bool("DeletionProtection");
        Boolean publiclyAccessible = p.bool("PubliclyAccessible");
        Boolean multiAz = p.bool("MultiAZ");
        Boolean copyTags = p.bool("CopyTagsToSnapshot");
        synchronized (this) {
            checkOpen();
            Instance i = findInstance(id);
            List<String> sgs = p.hasList("VpcSecurityGroupIds") ? securityGroups(p) : null;
            String pg = p.str("DBParameterGroupName") == null ? null : parameterGroup(p.str("DBParameterGroupName"));
            String og = p.str("OptionGroupName") == null ? null : optionGroup(p.str("OptionGroupName"));
            if (storage != null && storage < i.allocatedStorage) {
                throw RdsApiException.invalidParameterValue("Invalid storage size for engine name mysql and storage "
                        + "type " + i.storageType + ": " + storage + ". Allocated storage cannot be reduced.");
            }
            if (!InstanceStatus.usable(i.displayStatus())) {
                throw RdsApiException.invalidInstanceState("Database instance is not in available state.");
            }
            if (InstanceStatus.STORAGE_OPTIMIZATION.equals(i.displayStatus())
                    && (storage != null || storageType != null || p.integer("Iops") != null)) {
                // no further storage change until the optimization ends (RDS User Guide, "Working with storage")
                throw RdsApiException.invalidParameterCombination("You can't modify storage while the DB instance is"
                        + " in the storage-optimization state.");
            }
            ManagedPassword.check(i, p, password);
            i.extras.fromModify(p);
            if (p.integer("Iops") != null) {
                i.iops = p.integer("Iops");
            }
            if (newId != null && newId.equals(i.id)) {
                newId = null;
            }
            if (newId != null && now) {
                checkNewInstanceId(newId);
            }
            // changes that never wait for a maintenance window and need no status change
            if (deletionProtection != null) {
                i.deletionProtection = deletionProtection;
            }
            // 0 -> n turns backups on (offline, then an immediate backup), n -> 0 restarts the instance; n -> m is
            // applied at once (RDS User Guide, "Backup retention period" and "Enabling automated backups")
            boolean backupsOn = retention != null && retention > 0 && i.backupRetention == 0;
            boolean backupsOff = retention != null && retention == 0 && i.backupRetention > 0;
            if (retention != null) {
                i.backupRetention = retention;
            }
            if (publiclyAccessible != null) {
                i.publiclyAccessible = publiclyAccessible;
            }
            if (copyTags != null) {
                i.copyTagsToSnapshot = copyTags;
            }
            // changes that wait for the maintenance window unless ApplyImmediately
            Map<String, String> later = new LinkedHashMap<>();
            if (cls != null && !cls.equals(i.instanceClass)) {
                later.put("DBInstanceClass", cls);
            }
            if (storage != null && storage != i.allocatedStorage) {
                later.put("AllocatedStorage", storage.toString());
            }
            if (storageType != null && !storageType.equals(i.storageType)) {
                later.put("StorageType", storageType);
            }
            if (multiAz != null && multiAz != i.multiAz) {
                later.put("MultiAZ", multiAz.toString());
            }
            if (newId != null) {
                later.put("DBInstanceIdentifier", newId);
            }
            if (og != null && !og.equals(i.optionGroup)) {
                if (now) {
                    i.optionGroup = og;
                } else {
                    i.deferred.put("OptionGroupName", og);
                }
            }
            if (!now) {
                i.deferred.putAll(later);
                i.pending.putAll(later);
                later.clear();
            } else if (!i.deferred.isEmpty()) {
                // ApplyImmediately applies the request's changes and every pending modification of the instance
                // (ModifyDBInstance API reference, ApplyImmediately): what this request sets wins
                Map<String, String> waiting = new LinkedHashMap<>(i.deferred);
                i.deferred.clear();
                waiting.keySet().removeAll(later.keySet());
                if (waiting.containsKey("DBInstanceIdentifier") && newId != null) {
                    waiting.remove("DBInstanceIdentifier");
                }
                String og2 = waiting.remove("OptionGroupName");
                if (og2 != null && og == null) {
                    i.optionGroup = og2;
                }
                later.putAll(waiting);
                i.pending.keySet().removeAll(waiting.keySet());
            }
            String renameTo = later.remove("DBInstanceIdentifier");
            if (renameTo != null && renameTo.equals(i.id)) {
                renameTo = null;
            }
            if (renameTo != null && newId == null) {
                // a deferred rename now applied: the name must still be free
                checkNewInstanceId(renameTo);
            }
            boolean pgChanged = pg != null && !pg.equals(i.parameterGroup);
            boolean sgChanged = sgs != null && !sgs.equals(i.securityGroups);
            if (sgChanged) {
                i.securityGroups = sgs;
            }
            if (pgChanged) {
                i.parameterGroup = pg;
                i.parameterApplyStatus = "applying";
            }
            if (password != null) {
                i.pending.put("MasterUserPassword", "****");
            }
            later.forEach(i.pending::put);
            Map<String, String> apply = new LinkedHashMap<>(later);
            Supplier<CompletableFuture<?>> resetPassword = password == null ? null
                    : () -> serverWork(i, s -> s.ensureMasterUser(i.masterUsername, password));
            Runnable finish = () -> {
                applyModifications(i, apply);
                if (password != null) {
                    i.masterPassword = password;
                    i.pending.remove("MasterUserPassword");
                }
                if (pgChanged && "applying".equals(i.parameterApplyStatus)) {
                    i.parameterApplyStatus = "pending-reboot";
                }
            };
            if (renameTo != null) {
                runRename(i, renameTo, apply, resetPassword, finish);
            } else if (backupsOn || backupsOff || Boolean.TRUE.equals(p.bool("ManageMasterUserPassword"))) {
                runChain(i, ManagedPassword.andBackups(this, i, p, backupsOn, backupsOff, finish,
                        () -> serverWork(i, s -> s.ensureMasterUser(i.masterUsername, i.masterPassword))),
                        InstanceStatus.AVAILABLE);
            } else if (sgChanged || pgChanged || password != null || !apply.isEmpty()
                    || (og != null && now)) {
                boolean onlyPassword = password != null && !sgChanged && !pgChanged && apply.isEmpty();
                Step step = onlyPassword
                        ? new Step("resetting-master-credentials", Transition.RESET_CREDENTIALS, 1)
                        : new Step("modifying", Transition.MODIFY, apply.containsKey("DBInstanceClass") ? 3 : 1);
                boolean storageChange = apply.containsKey("StorageType");
                step.work(resetPassword).onEnd(() -> {
                    finish.run();
                    if (storageChange) {
                        // a storage type change continues as storage-optimization, usable (RDS-FACTS "Restores")
                        runChain(i, List.of(new Step(InstanceStatus.STORAGE_OPTIMIZATION,
                                Transition.STORAGE_OPTIMIZATION, 1)), InstanceStatus.AVAILABLE);
                    }
                    if (apply.containsKey("DBInstanceClass") && i.net != null) {
                        i.net.dropConnections();
                    }
                });
                runChain(i, List.of(step), "available");
            }
            return xmlInstanceResult(i);
        }
    }

    private void applyModifications(Instance i, Map<String, String> apply) {
        for (Map.Entry<String, String> e : apply.entrySet()) {
            switch (e.getKey()) {
                case "DBInstanceClass": i.instanceClass = e.getValue(); break;
                case "AllocatedStorage": i.allocatedStorage = Integer.parseInt(e.getValue()); break;
                case "StorageType": i.storageType = e.getValue(); break;
                case "MultiAZ": i.multiAz = Boolean.parseBoolean(e.getValue()); break;
                case "OptionGroupName": i.optionGroup = e.getValue(); break;
                default: break;
            }
            i.pending.remove(e.getKey());
        }
    }

    /** Java API: applies modifications that were waiting for the maintenance window. */
    synchronized void applyPendingMaintenance(String id) {
        Instance i = findInstance(id);
        if (i.deferred.isEmpty()) {
            return;
        }
        Map<String, String> apply = new LinkedHashMap<>(i.deferred);
        i.deferred.clear();
        String renameTo = apply.remove("DBInstanceIdentifier");
        i.pending.remove("DBInstanceIdentifier");
        if (renameTo != null && (instances.containsKey(renameTo) || reservedIds.contains(renameTo))) {
            renameTo = null;
        }
        if (renameTo != null) {
            runRename(i, renameTo, apply, null, () -> applyModifications(i, apply));
            return;
        }
        runChain(i, List.of(new Step("modifying", Transition.MODIFY, 1).onEnd(() -> {
            applyModifications(i, apply);
            if (i.net != null) {
                i.net.dropConnections();
            }
        })), "available");
    }

    /**
     * A rename with ApplyImmediately, as RDS does it (RDS User Guide, "Renaming a DB instance"; RDS-FACTS.md,
     * Renames): other changes applied with it come first ({@code modifying}); while {@code renaming} the instance
     * keeps serving at its old endpoint; when the rename takes effect, the old name's DNS record is deleted
     * (resolvers may keep it cached: {@link RdsFaults#staleDnsCache}), the new name's record is created (effective
     * after {@link RdsFaults#dnsPropagation}), and the instance reboots; after the reboot it answers under the new
     * name only (and under the old one where a resolver still caches it).
     */
    private void runRename(Instance i, String target, Map<String, String> apply,
            Supplier<CompletableFuture<?>> work, Runnable finish) {
        reservedIds.add(target);
        i.pending.put("DBInstanceIdentifier", target);
        List<Step> steps = new ArrayList<>();
        Map<String, String> others = new LinkedHashMap<>(apply);
        others.remove("OptionGroupName");
        if (!others.isEmpty()) {
            steps.add(new Step("modifying", Transition.MODIFY, others.containsKey("DBInstanceClass") ? 3 : 1)
                    .onEnd(() -> {
                        applyModifications(i, others);
                        if (others.containsKey("DBInstanceClass") && i.net != null) {
                            i.net.dropConnections();
                        }
                    }));
        }
        steps.add(new Step("renaming", Transition.RENAME, 1).work(work).onEnd(() -> {
            finish.run();
            switchIdentifier(i, target);
            if (i.net != null) {
                i.net.close(); // the reboot the rename implies
            }
        }));
        steps.add(new Step("rebooting", Transition.RENAME_REBOOT, 1).onEnd(() -> {
            if (i.net != null) {
                i.net.open();
            }
            if ("pending-reboot".equals(i.parameterApplyStatus)) {
                i.parameterApplyStatus = "in-sync";
            }
        }));
        runChain(i, steps, "available");
    }

    /** The rename takes effect: the old name is gone, the new one exists; the new endpoint is announced. */
    private void switchIdentifier(Instance i, String target) {
        instances.remove(i.id);
        reservedIds.remove(target);
        if (i.net != null) {
            names.unpoint(i.id, i.net, faults.staleDnsCacheNanos());
            names.point(target, i.net, faults.dnsPropagationNanos());
        }
        i.id = target;
        instances.put(target, i);
        i.pending.remove("DBInstanceIdentifier");
        i.endpointPort = names.port(target, 0);
    }

    private String rebootInstance(Params p) {
        String id = p.required("DBInstanceIdentifier");
        boolean failover = p.bool("ForceFailover", false);
        synchronized (this) {
            checkOpen();
            Instance i = findInstance(id);
            if (failover && !i.multiAz) {
                throw RdsApiException.invalidParameterCombination(
                        "Cannot reboot DB instance " + i.id + " with force failover: it is not Multi-AZ.");
            }
            if (!"available".equals(i.displayStatus())) {
                throw RdsApiException.invalidInstanceState("DB instance " + i.id + " is not in available state.");
            }
            if (i.net != null) {
                i.net.close();
            }
            runChain(i, List.of(new Step("rebooting", Transition.REBOOT, 1).onEnd(() -> {
                openEndpoint(i, i.endpointPort);
                if ("pending-reboot".equals(i.parameterApplyStatus)) {
                    i.parameterApplyStatus = "in-sync";
                }
                i.pending.remove("DBInstanceClass");
            })), "available");
            return xmlInstanceResult(i);
        }
    }

    private String deleteInstance(Params p) {
        String id = p.required("DBInstanceIdentifier");
        boolean skip = p.bool("SkipFinalSnapshot", false);
        String finalId = p.str("FinalDBSnapshotIdentifier");
        boolean deleteAutomated = p.bool("DeleteAutomatedBackups", true);
        if (skip && finalId != null) {
            throw RdsApiException.invalidParameterCombination(
                    "Cannot specify FinalDBSnapshotIdentifier when SkipFinalSnapshot is true.");
        }
        if (!skip && finalId == null) {
            throw RdsApiException.invalidParameterCombination(
                    "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.");
        }
        if (finalId != null) {
            finalId = snapshotId(finalId, "FinalDBSnapshotIdentifier");
        }
        synchronized (this) {
            checkOpen();
            Instance i = findInstance(id);
            if (i.deletionProtection) {
                throw RdsApiException.invalidParameterCombination(
                        "Cannot delete protected DB Instance, please disable deletion protection and try again.");
            }
            String st = i.displayStatus();
            if ("deleting".equals(st)) {
                throw RdsApiException.invalidInstanceState("Instance " + i.id + " is already being deleted.");
            }
            if ("creating".equals(st) || "renaming".equals(st)) {
                throw RdsApiException.invalidInstanceState(
                        "Instance " + i.id + " is currently " + st + " - a final snapshot cannot be taken.");
            }
            if (finalId != null && snapshots.containsKey(finalId)) {
                throw new RdsApiException(400, "DBSnapshotAlreadyExists",
                        "Cannot create the snapshot because a snapshot with the identifier " + finalId
                                + " already exists.");
            }
            if (finalId != null && i.server == null) {
                throw RdsApiException.invalidInstanceState(
                        "Instance " + i.id + " is in " + st + " state - a final snapshot cannot be taken.");
            }
            i.forcedStatus = null;
            if (i.net != null) {
                // deleting: the endpoint stops answering and its DNS record goes
                i.net.close();
                names.unpoint(i.id, i.net, 0);
            }
            if (finalId != null) {
                checkSnapshotQuota();
                Snapshot s = newSnapshot(i, finalId, "manual");
                if (i.copyTagsToSnapshot) {
                    s.tags.addAll(i.tags);
                }
                startSnapshot(i, s, false);
            }
            runChain(i, List.of(new Step("deleting", Transition.DELETE, 1)
                    .work(() -> CompletableFuture.allOf(i.inflight.toArray(new CompletableFuture<?>[0]))
                            .handle((v, e) -> null)
                            .thenRunAsync(() -> stopServer(i), workers))
                    .onEnd(() -> {
                        instances.remove(i.id);
                        i.removed = true;
                        if (deleteAutomated) {
                            snapshots.values().removeIf(s -> {
                                boolean gone = "automated".equals(s.type) && s.dbiResourceId.equals(i.dbiResourceId);
                                if (gone) {
                                    s.removed = true;
                                    deleteSnapshotFiles(s);
                                }
                                return gone;
                            });
                        }
                    })), null);
            return xmlInstanceResult(i);
        }
    }

    // =====================================================================================================
    // DB snapshots
    // =====================================================================================================

    private String createSnapshot(Params p) {
        String snapId = snapshotId(p.required("DBSnapshotIdentifier"), "DBSnapshotIdentifier");
        String instId = p.required("DBInstanceIdentifier");
        List<Tag> tags = tags(p, "Tags");
        synchronized (this) {
            checkOpen();
            Instance i = findInstance(instId);
            if (snapshots.containsKey(snapId)) {
                throw new RdsApiException(400, "DBSnapshotAlreadyExists",
                        "Cannot create the snapshot because a snapshot with the identifier " + snapId
                                + " already exists.");
            }
            if (i.extras.clusterId != null) {
                // a Multi-AZ DB cluster member is snapshotted as the cluster (shared/RDS-FACTS.md, "Clusters")
                throw RdsApiException.invalidParameterCombination("The specified DB instance " + i.id + " is a member"
                        + " of a cluster. Use CreateDBClusterSnapshot instead.");
            }
            // e.g. backing-up in its backup window: refused, not queued (fog/fog-aws#157)
            if (!InstanceStatus.usable(i.displayStatus())) {
                throw RdsApiException.invalidInstanceState("Cannot create a snapshot because the database instance "
                        + i.id + " is not currently in the available state.");
            }
            checkSnapshotQuota();
            Snapshot s = newSnapshot(i, snapId, "manual");
            s.tags.addAll(tags);
            if (i.copyTagsToSnapshot && tags.isEmpty()) {
                s.tags.addAll(i.tags);
            }
            startSnapshot(i, s, true);
            return xmlSnapshotResult(s);
        }
    }

    /** Java API: an automated snapshot, taken now and available at once. */
    String takeAutomatedSnapshot(String instId, Instant time) {
        Snapshot s;
        Instance i;
        synchronized (this) {
            checkOpen();
            i = findInstance(instId);
            if (i.server == null) {
                throw new IllegalStateException("instance " + i.id + " has no running server");
            }
            Instant t = time.truncatedTo(ChronoUnit.MINUTES);
            String name = automatedName(i.id, t);
            while (snapshots.containsKey(name)) {
                t = t.plus(1, ChronoUnit.MINUTES);
                name = automatedName(i.id, t);
            }
            s = newSnapshot(i, name, "automated");
            s.createTime = time;
            s.originalCreateTime = time;
        }
        dumpInto(i, s).join();
        synchronized (this) {
            s.percent = 100;
            s.status = "available";
        }
        return s.id;
    }

    private static String automatedName(String instanceId, Instant t) {
        return "rds:" + instanceId + "-" + AUTOMATED_NAME.format(t);
    }

    private void scheduledBackups() {
        synchronized (this) {
            if (closed) {
                return;
            }
            for (Instance i : new ArrayList<>(instances.values())) {
                if (i.backupRetention > 0 && "available".equals(i.displayStatus()) && i.server != null) {
                    Instant t = Instant.now().truncatedTo(ChronoUnit.MINUTES);
                    String name = automatedName(i.id, t);
                    if (snapshots.containsKey(name)) {
                        continue;
                    }
                    Snapshot s = newSnapshot(i, name, "automated");
                    startSnapshot(i, s, true);
                }
            }
        }
    }

    /** Starts the dump now and the snapshot's progress chain; optionally the instance's backing-up. */
    private void startSnapshot(Instance i, Snapshot s, boolean instanceBacksUp) {
        CompletableFuture<Void> dump = dumpInto(i, s);
        if (instanceBacksUp) {
            runChain(i, List.of(new Step("backing-up", Transition.SNAPSHOT, 1).work(() -> dump)), "available");
        }
        runChain(s, progressSteps(Transition.SNAPSHOT, s, () -> dump), "available");
    }

    private List<Step> progressSteps(Transition t, Snapshot s, Supplier<CompletableFuture<?>> work) {
        List<Step> steps = new ArrayList<>();
        for (int k = 1; k <= SNAPSHOT_PROGRESS_STEPS; k++) {
            int pct = k * 100 / SNAPSHOT_PROGRESS_STEPS;
            Step step = new Step("creating", t, 1.0 / SNAPSHOT_PROGRESS_STEPS).onEnd(() -> s.percent = pct);
            if (k == SNAPSHOT_PROGRESS_STEPS && work != null) {
                step.work(work);
            }
            steps.add(step);
        }
        return steps;
    }

    /** Dumps the instance's data and accounts into the snapshot's files (on a worker thread). */
    private CompletableFuture<Void> dumpInto(Instance i, Snapshot s) {
        MariaDbServer server = i.server;
        Path dir = root.resolve("snapshots").resolve(s.dbiResourceId + "-" + Long.toHexString(RANDOM.nextLong()));
        CompletableFuture<Void> f = CompletableFuture.runAsync(() -> {
            try {
                Files.createDirectories(dir);
                Path dump = dir.resolve("dump.sql");
                Path accounts = dir.resolve("accounts.sql");
                server.dump(dump);
                Files.write(accounts, server.accountStatements(), StandardCharsets.UTF_8);
                synchronized (this) {
                    s.dumpFile = dump;
                    s.accountsFile = accounts;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (SQLException e) {
                throw new IllegalStateException("snapshot of " + s.instanceId + " failed: " + e.getMessage(), e);
            }
        }, workers);
        i.inflight.add(f);
        f.whenComplete((v, e) -> i.inflight.remove(f));
        return f;
    }

    private Snapshot newSnapshot(Instance i, String id, String type) {
        Snapshot s = new Snapshot();
        s.id = id;
        s.type = type;
        s.status = "creating";
        s.instanceId = i.id;
        s.dbiResourceId = i.dbiResourceId;
        s.createTime = Instant.now();
        s.originalCreateTime = s.createTime;
        s.instanceCreateTime = i.createTime;
        s.engineVersion = i.engineVersion;
        s.allocatedStorage = i.allocatedStorage;
        s.port = i.endpointPort;
        s.availabilityZone = i.availabilityZone;
        s.masterUsername = i.masterUsername;
        s.masterPassword = i.masterPassword;
        s.optionGroup = i.optionGroup;
        s.storageType = i.storageType;
        s.iops = i.iops;
        s.encrypted = i.storageEncrypted;
        s.kmsKeyId = i.kmsKeyId;
        s.instanceClass = i.instanceClass;
        s.backupRetention = i.backupRetention;
        snapshots.put(id, s);
        return s;
    }

    private String describeSnapshots(Params p) {
        String snapId = p.str("DBSnapshotIdentifier");
        String instId = p.str("DBInstanceIdentifier");
        String type = p.str("SnapshotType");
        String dbiResourceId = p.str("DbiResourceId");
        List<Map<String, String>> filters = p.structs("Filters");
        if (type != null && !Set.of("automated", "manual", "shared", "public", "awsbackup").contains(type)) {
            throw RdsApiException.invalidParameterValue("Invalid snapshot type: " + type);
        }
        if (snapId != null && instId != null) {
            throw RdsApiException.invalidParameterCombination(
                    "DBInstanceIdentifier cannot be used in conjunction with DBSnapshotIdentifier.");
        }
        synchronized (this) {
            List<Snapshot> list;
            if (snapId != null) {
                list = List.of(findSnapshot(snapId));
            } else {
                list = new ArrayList<>(snapshots.values());
                list.sort(Comparator.comparing((Snapshot s) -> s.createTime).thenComparing(s -> s.id));
            }
            String inst = instId == null ? null : lastArnPart(instId, ":db:");
            list = list.stream()
                    .filter(s -> inst == null || s.instanceId.equalsIgnoreCase(inst))
                    .filter(s -> type == null || type.equals(s.type))
                    .filter(s -> dbiResourceId == null || dbiResourceId.equals(s.dbiResourceId))
                    .collect(java.util.stream.Collectors.toList());
            for (Map<String, String> f : filters) {
                String name = f.get("Name");
                List<String> values = Params.subList(f, "Values");
                Predicate<Snapshot> match;
                switch (name == null ? "" : name) {
                    case "db-instance-id":
                        match = s -> values.stream().anyMatch(v -> lastArnPart(v, ":db:").equalsIgnoreCase(s.instanceId));
                        break;
                    case "db-snapshot-id":
                        match = s -> values.stream().anyMatch(v -> lastArnPart(v, ":snapshot:").equalsIgnoreCase(s.id));
                        break;
                    case "dbi-resource-id":
                        match = s -> values.contains(s.dbiResourceId);
                        break;
                    case "snapshot-type":
                        match = s -> values.contains(s.type);
                        break;
                    case "engine":
                        match = s -> values.contains(ENGINE);
                        break;
                    default:
                        throw RdsApiException.invalidParameterValue("Unrecognized filter name: " + name);
                }
                list = list.stream().filter(match).collect(java.util.stream.Collectors.toList());
            }
            String[] marker = new String[1];
            list = page(list, p, marker);
            Xml x = new Xml();
            x.open("DBSnapshots");
            for (Snapshot s : list) {
                writeSnapshot(x, s);
            }
            x.close("DBSnapshots");
            x.el("Marker", marker[0]);
            return x.toString();
        }
    }

    private String deleteSnapshot(Params p) {
        String id = p.required("DBSnapshotIdentifier");
        synchronized (this) {
            checkOpen();
            Snapshot s = findSnapshot(id);
            if ("automated".equals(s.type)) {
                throw RdsApiException.invalidSnapshotState("Only manual snapshots may be deleted.");
            }
            if (!"available".equals(s.status) && !"failed".equals(s.status)) {
                throw RdsApiException.invalidSnapshotState(
                        "Cannot delete the snapshot because it is not in the available state: " + s.status);
            }
            snapshots.remove(s.id);
            s.removed = true;
            s.generation++;
            s.status = "deleted";
            deleteSnapshotFiles(s);
            return xmlSnapshotResult(s);
        }
    }

    private String copySnapshot(Params p) {
        String source = p.required("SourceDBSnapshotIdentifier");
        String target = snapshotId(p.required("TargetDBSnapshotIdentifier"), "TargetDBSnapshotIdentifier");
        String kms = p.str("KmsKeyId");
        boolean copyTags = p.bool("CopyTags", false);
        List<Tag> tags = tags(p, "Tags");
        // another account's shared snapshot, named by ARN (resolved outside this monitor: it takes the owner's)
        Snapshot shared = foreignSnapshot(source, "CopyDBSnapshot", kms);
        synchronized (this) {
            checkOpen();
            Snapshot src = shared != null ? shared : findSnapshot(source);
            String og = p.str("OptionGroupName") == null ? src.optionGroup : optionGroup(p.str("OptionGroupName"));
            if (snapshots.containsKey(target)) {
                throw new RdsApiException(400, "DBSnapshotAlreadyExists",
                        "Cannot create the snapshot because a snapshot with the identifier " + target
                                + " already exists.");
            }
            if (!"available".equals(src.status)) {
                throw RdsApiException.invalidSnapshotState("Snapshot " + src.id + " is not in available state.");
            }
            checkSnapshotQuota();
            Snapshot s = new Snapshot();
            s.id = target;
            s.type = "manual";
            s.status = "creating";
            s.instanceId = src.instanceId;
            s.dbiResourceId = src.dbiResourceId;
            s.createTime = Instant.now();
            s.originalCreateTime = src.originalCreateTime;
            s.instanceCreateTime = src.instanceCreateTime;
            s.engineVersion = src.engineVersion;
            s.allocatedStorage = src.allocatedStorage;
            s.port = src.port;
            s.availabilityZone = src.availabilityZone;
            s.masterUsername = src.masterUsername;
            s.masterPassword = src.masterPassword;
            s.optionGroup = og;
            s.storageType = src.storageType;
            s.iops = src.iops;
            s.encrypted = src.encrypted || kms != null;
            s.kmsKeyId = kms != null ? kmsArn(kms) : src.kmsKeyId;
            s.instanceClass = src.instanceClass;
            s.backupRetention = src.backupRetention;
            s.sourceSnapshotArn = shared != null ? source : arnSnapshot(src.id);
            if (copyTags) {
                s.tags.addAll(src.tags);
            }
            mergeTags(s.tags, tags);
            snapshots.put(target, s);
            Path dir = root.resolve("snapshots").resolve(s.dbiResourceId + "-" + Long.toHexString(RANDOM.nextLong()));
            try {
                Files.createDirectories(dir);
                s.dumpFile = linkOrCopy(src.dumpFile, dir.resolve("dump.sql"));
                s.accountsFile = linkOrCopy(src.accountsFile, dir.resolve("accounts.sql"));
            } catch (IOException e) {
                snapshots.remove(target);
                throw new UncheckedIOException(e);
            }
            runChain(s, progressSteps(Transition.COPY_SNAPSHOT, s, null), "available");
            return xmlSnapshotResult(s);
        }
    }

    private static Path linkOrCopy(Path from, Path to) throws IOException {
        try {
            Files.createLink(to, from);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(from, to);
        }
        return to;
    }

    private String restoreInstance(Params p) {
        String id = instanceId(p.required("DBInstanceIdentifier"), "DBInstanceIdentifier");
        String snapId = p.required("DBSnapshotIdentifier");
        String cls = p.str("DBInstanceClass") == null ? null : instanceClass(p.str("DBInstanceClass"));
        Integer port = port(p.integer("Port"));
        Integer iops = p.integer("Iops");
        String storageType = p.str("StorageType") == null ? null : storageType(p.str("StorageType"), null);
        String engine = p.str("Engine");
        if (engine != null && !ENGINE.equalsIgnoreCase(engine)) {
            throw RdsApiException.invalidParameterCombination("The engine " + engine
                    + " does not match the engine of the snapshot (mysql).");
        }
        Integer storage = p.integer("AllocatedStorage");
        Integer retention = p.integer("BackupRetentionPeriod");
        if (retention != null && (retention < 0 || retention > 35)) {
            throw RdsApiException.invalidParameterValue("Invalid backup retention period: " + retention
                    + ". Must be between 0 and 35.");
        }
        List<Tag> tags = tags(p, "Tags");
        InstanceExtras extras = new InstanceExtras();
        extras.fromRestore(p);
        Snapshot shared = foreignSnapshot(snapId, "RestoreDBInstanceFromDBSnapshot", null);
        synchronized (this) {
            checkOpen();
            Snapshot s = shared != null ? shared : findSnapshot(snapId);
            if (!"available".equals(s.status)) {
                throw RdsApiException.invalidSnapshotState(
                        "DBSnapshot must have state available but actually has " + s.status);
            }
            SubnetGroup sg = subnetGroup(p.str("DBSubnetGroupName"));
            boolean multiAz = p.bool("MultiAZ", false);
            String az = availabilityZone(sg, p.str("AvailabilityZone"), multiAz);
            List<String> sgs = securityGroups(p);
            // without a parameter group: the default one of the snapshot's family
            EngineCatalog.Version v = EngineCatalog.version(s.engineVersion);
            String pg = parameterGroup(p.str("DBParameterGroupName") != null ? p.str("DBParameterGroupName")
                    : v == null ? null : "default." + v.family());
            String og = p.str("OptionGroupName") == null ? s.optionGroup : optionGroup(p.str("OptionGroupName"));
            if (storage != null && storage < s.allocatedStorage) {
                throw RdsApiException.invalidParameterValue("The allocated storage " + storage
                        + " must be at least the snapshot's allocated storage " + s.allocatedStorage + ".");
            }
            String type = storageType != null ? storageType : s.storageType;
            Integer restoredIops = iops != null ? iops : type.equals(s.storageType) ? s.iops : null;
            EngineCatalog.checkFits(s.engineVersion, cls != null ? cls : s.instanceClass, cfg.parameterGroups.get(pg),
                    cfg.optionGroups.get(og), type, restoredIops);
            checkNewInstanceId(id);
            Instance i = newInstance(id);
            copyExtras(extras, i.extras);
            i.instanceClass = cls != null ? cls : s.instanceClass;
            i.engineVersion = s.engineVersion;
            i.masterUsername = s.masterUsername;
            i.masterPassword = s.masterPassword;
            i.allocatedStorage = storage != null ? storage : s.allocatedStorage;
            i.storageType = type;
            i.iops = restoredIops;
            // without BackupRetentionPeriod the restore inherits the snapshot's (RDS User Guide, "Backup retention
            // period")
            i.backupRetention = retention != null ? retention : s.backupRetention;
            i.securityGroups = sgs;
            i.parameterGroup = pg;
            i.optionGroup = og;
            i.availabilityZone = az;
            i.subnetGroup = sg.name();
            i.multiAz = multiAz;
            i.publiclyAccessible = p.bool("PubliclyAccessible", false);
            i.deletionProtection = p.bool("DeletionProtection", false);
            i.storageEncrypted = s.encrypted;
            i.kmsKeyId = s.kmsKeyId;
            i.copyTagsToSnapshot = p.bool("CopyTagsToSnapshot", false);
            i.preferredPort = port == null ? 0 : port;
            i.tags.addAll(tags);
            i.status = "creating";
            instances.put(id, i);
            String outcome = faults.takeRestoreOutcome();
            // keep the snapshot's files for this restore even if the snapshot is deleted meanwhile
            Path dump;
            Path accounts;
            try {
                Path src = root.resolve("restore-sources").resolve(i.dbiResourceId);
                Files.createDirectories(src);
                dump = linkOrCopy(s.dumpFile, src.resolve("dump.sql"));
                accounts = linkOrCopy(s.accountsFile, src.resolve("accounts.sql"));
            } catch (IOException e) {
                instances.remove(id);
                throw new UncheckedIOException(e);
            }
            String user = s.masterUsername;
            String password = s.masterPassword;
            List<Step> steps = new ArrayList<>();
            steps.add(new Step("creating", Transition.RESTORE, 1)
                    .work(() -> startServer(i, dump, accounts, user, password, null, null))
                    .onEnd(() -> {
                        i.createTime = Instant.now();
                        if (outcome == null) {
                            openEndpoint(i, i.preferredPort);
                        } else {
                            i.endpointPort = names.port(i.id, i.preferredPort);
                            stopServerAsync(i);
                        }
                    }));
            boolean customPg = !pg.startsWith("default.");
            if (customPg) {
                // a custom parameter group reads applying, then pending-reboot (aws-controllers-k8s/community#1949)
                i.parameterApplyStatus = "applying";
            }
            if (outcome != null) {
                runChain(i, steps, outcome);
            } else {
                steps.add(new Step(InstanceStatus.AVAILABLE, Transition.RESTORE_SETTLE, 1).onEnd(() -> {
                    if (customPg && "applying".equals(i.parameterApplyStatus)) {
                        i.parameterApplyStatus = "pending-reboot";
                    }
                }));
                if (i.backupRetention > 0) {
                    // the baseline backup RDS takes right after a restore with backups on, growing with the data
                    // (AWS Support in hashicorp/terraform-provider-aws#44104)
                    steps.add(baselineBackup(i));
                }
                if (!type.equals(s.storageType)) {
                    // another storage type than the snapshot's: a storage conversion, usable meanwhile
                    // (aws-cloudformation-resource-providers-rds#267, #384)
                    steps.add(new Step(InstanceStatus.STORAGE_OPTIMIZATION, Transition.STORAGE_OPTIMIZATION, 1));
                }
                runChain(i, steps, "available");
            }
            return xmlInstanceResult(i);
        }
    }

    /** The baseline backup after a restore or after backups were turned on: its length grows with the storage. */
    Step baselineBackup(Instance i) {
        return new Step(InstanceStatus.BACKING_UP, Transition.BASELINE_BACKUP, Math.max(1, i.allocatedStorage) / 100.0);
    }

    private static void copyExtras(InstanceExtras from, InstanceExtras to) {
        to.storageThroughput = from.storageThroughput;
        to.iamAuth = from.iamAuth;
        to.logExports = from.logExports;
        to.caCertificate = from.caCertificate;
        to.autoMinorVersionUpgrade = from.autoMinorVersionUpgrade;
        to.networkType = from.networkType;
        to.backupWindow = from.backupWindow;
    }

    /** RDS's manual snapshot quota per region (SnapshotQuotaExceeded; shared/RDS-FACTS.md, "Snapshots"). */
    private void checkSnapshotQuota() {
        long manual = snapshots.values().stream().filter(x -> "manual".equals(x.type)).count();
        if (manual >= cfg.manualSnapshotQuota) {
            throw new RdsApiException(400, "SnapshotQuotaExceeded", "Cannot create more than "
                    + cfg.manualSnapshotQuota + " manual snapshots");
        }
    }

    /** StopDBInstance: only an available instance; its endpoint stops answering, the server is kept. */
    private String stopInstance(Params p) {
        String id = p.required("DBInstanceIdentifier");
        synchronized (this) {
            checkOpen();
            Instance i = findInstance(id);
            if (!InstanceStatus.AVAILABLE.equals(i.displayStatus())) {
                throw RdsApiException.invalidInstanceState("Instance " + i.id + " is not in available state.");
            }
            if (i.net != null) {
                i.net.close();
            }
            runChain(i, List.of(new Step(InstanceStatus.STOPPING, Transition.STOP, 1)), InstanceStatus.STOPPED);
            return xmlInstanceResult(i);
        }
    }

    /** StartDBInstance: only a stopped instance (InvalidDBInstanceState otherwise); same endpoint afterwards. */
    private String startInstance(Params p) {
        String id = p.required("DBInstanceIdentifier");
        synchronized (this) {
            checkOpen();
            Instance i = findInstance(id);
            if (!InstanceStatus.STOPPED.equals(i.displayStatus())) {
                throw RdsApiException.invalidInstanceState("Instance " + i.id + " is not stopped, it is "
                        + i.displayStatus() + ".");
            }
            runChain(i, List.of(new Step(InstanceStatus.STARTING, Transition.START, 1)
                    .onEnd(() -> openEndpoint(i, i.endpointPort))), InstanceStatus.AVAILABLE);
            return xmlInstanceResult(i);
        }
    }

    <T> List<T> pageOf(List<T> all, Params p, String[] nextMarker) {
        return page(all, p, nextMarker);
    }

    /** Java API: sets what only RDS's own tools make (clusters, replicas, other engines and versions). */
    synchronized void alter(String id, java.util.function.Consumer<InstanceExtras> change, String engineVersion) {
        Instance i = findInstance(id);
        change.accept(i.extras);
        if (engineVersion != null) {
            i.engineVersion = engineVersion;
            // an upgrade moves the instance to the new version's default groups (custom ones stay)
            EngineCatalog.Version v = EngineCatalog.version(engineVersion);
            if (v != null && i.parameterGroup.startsWith("default.")) {
                i.parameterGroup = "default." + v.family();
            }
            if (v != null && i.optionGroup.startsWith("default:")) {
                i.optionGroup = "default:mysql-" + v.major().replace('.', '-');
            }
        }
    }

    // =====================================================================================================
    // Tags and groups
    // =====================================================================================================

    private List<Tag> tagsOf(String arn) {
        String prefix = "arn:aws:rds:" + cfg.region + ":" + cfg.accountId + ":";
        if (!arn.startsWith(prefix)) {
            throw RdsApiException.invalidParameterValue(
                    "The specified resource name does not match an RDS resource in this region.");
        }
        String rest = arn.substring(prefix.length());
        int colon = rest.indexOf(':');
        if (colon < 0) {
            throw RdsApiException.invalidParameterValue("Invalid resource name: " + arn);
        }
        String kind = rest.substring(0, colon);
        String name = rest.substring(colon + 1);
        switch (kind) {
            case "db":
                return findInstance(name).tags;
            case "snapshot":
                return findSnapshot(name).tags;
            case "subgrp":
                if (!cfg.subnetGroups.containsKey(name)) {
                    throw new RdsApiException(404, "DBSubnetGroupNotFoundFault", "DBSubnetGroup '" + name + "' not found.");
                }
                return otherTags.computeIfAbsent(arn, k -> new ArrayList<>());
            case "pg":
                if (!cfg.parameterGroups.containsKey(name)) {
                    throw new RdsApiException(404, "DBParameterGroupNotFound", "DBParameterGroup not found: " + name);
                }
                return otherTags.computeIfAbsent(arn, k -> new ArrayList<>());
            case "og":
                if (!cfg.optionGroups.containsKey(name)) {
                    throw new RdsApiException(404, "OptionGroupNotFoundFault",
                            "Specified OptionGroupName: " + name + " not found.");
                }
                return otherTags.computeIfAbsent(arn, k -> new ArrayList<>());
            default:
                throw RdsApiException.invalidParameterValue("Invalid resource name: " + arn);
        }
    }

    private String addTags(Params p) {
        String arn = p.required("ResourceName");
        List<Tag> tags = tags(p, "Tags");
        synchronized (this) {
            checkOpen();
            List<Tag> target = tagsOf(arn);
            mergeTags(target, tags);
            if (target.size() > 50) {
                throw new RdsApiException(400, "TagQuotaPerResourceExceeded",
                        "The resource " + arn + " would have more than 50 tags.");
            }
            return null;
        }
    }

    private String removeTags(Params p) {
        String arn = p.required("ResourceName");
        List<String> keys = p.list("TagKeys");
        synchronized (this) {
            checkOpen();
            tagsOf(arn).removeIf(t -> keys.contains(t.key()));
            return null;
        }
    }

    private String listTags(Params p) {
        String arn = p.required("ResourceName");
        synchronized (this) {
            Xml x = new Xml();
            writeTags(x, tagsOf(arn));
            return x.toString();
        }
    }

    private String describeSubnetGroups(Params p) {
        String name = p.str("DBSubnetGroupName");
        synchronized (this) {
            List<SubnetGroup> list = name == null ? new ArrayList<>(cfg.subnetGroups.values())
                    : List.of(subnetGroup(name));
            String[] marker = new String[1];
            list = page(list, p, marker);
            Xml x = new Xml().open("DBSubnetGroups");
            for (SubnetGroup g : list) {
                writeSubnetGroup(x, g);
            }
            return x.close("DBSubnetGroups").el("Marker", marker[0]).toString();
        }
    }

    private String describeParameterGroups(Params p) {
        String name = p.str("DBParameterGroupName");
        synchronized (this) {
            List<ParameterGroup> list = name == null ? new ArrayList<>(cfg.parameterGroups.values())
                    : List.of(cfg.parameterGroups.get(parameterGroup(name)));
            String[] marker = new String[1];
            list = page(list, p, marker);
            Xml x = new Xml().open("DBParameterGroups");
            for (ParameterGroup g : list) {
                x.open("DBParameterGroup")
                        .el("DBParameterGroupName", g.name())
                        .el("DBParameterGroupFamily", g.family())
                        .el("Description", g.description())
                        .el("DBParameterGroupArn", arn("pg", g.name()))
                        .close("DBParameterGroup");
            }
            return x.close("DBParameterGroups").el("Marker", marker[0]).toString();
        }
    }

    private String describeOptionGroups(Params p) {
        String name = p.str("OptionGroupName");
        String engine = p.str("EngineName");
        String major = p.str("MajorEngineVersion");
        synchronized (this) {
            List<OptionGroup> list = name == null ? new ArrayList<>(cfg.optionGroups.values())
                    : List.of(cfg.optionGroups.get(optionGroup(name)));
            list = list.stream().filter(g -> (engine == null || g.engine().equals(engine))
                    && (major == null || g.major().equals(major))).collect(java.util.stream.Collectors.toList());
            String[] marker = new String[1];
            list = page(list, p, marker);
            Xml x = new Xml().open("OptionGroupsList");
            for (OptionGroup g : list) {
                x.open("OptionGroup")
                        .el("OptionGroupName", g.name())
                        .el("OptionGroupDescription", g.description())
                        .el("EngineName", g.engine())
                        .el("MajorEngineVersion", g.major())
                        .empty("Options")
                        .el("AllowsVpcAndNonVpcInstanceMemberships", true)
                        .el("OptionGroupArn", arn("og", g.name()))
                        .close("OptionGroup");
            }
            return x.close("OptionGroupsList").el("Marker", marker[0]).toString();
        }
    }

    // =====================================================================================================
    // Lifecycle chains
    // =====================================================================================================

    /**
     * Runs timed steps on a resource: each step shows its status for its time (scaled, slowed by faults) and until
     * its work is done and no hold keeps it; then its onEnd runs (under the monitor). A newer chain on the same
     * resource cancels this one. After the last step the resource shows {@code finalStatus} (unless null).
     */
    private synchronized void runChain(Resource r, List<Step> steps, String finalStatus) {
        long gen = ++r.generation;
        runStep(r, gen, steps, 0, finalStatus);
    }

    private void runStep(Resource r, long gen, List<Step> steps, int index, String finalStatus) {
        Step step;
        long delay;
        synchronized (this) {
            if (closed || r.generation != gen || r.removed && index > 0) {
                return;
            }
            if (index == steps.size()) {
                if (finalStatus != null) {
                    r.status = finalStatus;
                }
                return;
            }
            step = steps.get(index);
            if (step.status != null) {
                r.status = step.status;
            }
            double minutes = cfg.minutes.getOrDefault(step.transition, step.transition.defaultMinutes()) * step.factor;
            delay = (long) (minutes * cfg.rdsMinuteNanos * faults.slowFactor(step.status));
        }
        CompletableFuture<?> work;
        try {
            work = step.work == null ? CompletableFuture.completedFuture(null) : step.work.get();
        } catch (RuntimeException e) {
            work = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> timer = new CompletableFuture<>();
        try {
            scheduler.schedule(() -> timer.complete(null), Math.max(0, delay), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return;
        }
        CompletableFuture.allOf(timer, work).whenComplete((v, err) -> {
            if (err != null) {
                failed(r, gen, err);
                return;
            }
            String holdId;
            synchronized (this) {
                holdId = r.id;
            }
            faults.whenReleased(holdId, step.status, () -> {
                synchronized (this) {
                    if (closed || r.generation != gen) {
                        return;
                    }
                    if (step.onEnd != null) {
                        try {
                            step.onEnd.run();
                        } catch (RuntimeException e) {
                            failed(r, gen, e);
                            return;
                        }
                    }
                }
                runStep(r, gen, steps, index + 1, finalStatus);
            });
        });
    }

    private synchronized void failed(Resource r, long gen, Throwable err) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (closed || r.generation != gen) {
            return;
        }
        LOG.warn("{} {} failed: {}", r instanceof Instance ? "DB instance" : "DB snapshot", r.id, cause.toString());
        r.status = "failed";
        if (r instanceof Instance) {
            ((Instance) r).forcedStatus = null;
        }
    }

    // =====================================================================================================
    // Servers and endpoints
    // =====================================================================================================

    /** Starts a fresh server for the instance (worker thread): accounts, dump, master user, schema, seed. */
    private CompletableFuture<Void> startServer(Instance i, Path dump, Path accounts, String user, String password,
                                                String dbName, Path seed) {
        return CompletableFuture.runAsync(() -> {
            MariaDbRuntime rt = runtime();
            Path dir = root.resolve("instances").resolve(i.dbiResourceId);
            MariaDbServer server;
            try {
                server = MariaDbServer.start(rt, dir, rt.templateDataDir, null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            servers.add(server);
            synchronized (this) {
                if (closed || i.removed) {
                    servers.remove(server);
                    server.shutdown();
                    MariaDbRuntime.deleteTree(dir);
                    throw new IllegalStateException("instance " + i.id + " is gone");
                }
                i.server = server;
                i.net = new InstanceNet(server.port());
            }
            try {
                if (accounts != null) {
                    server.executeLenient(Files.readAllLines(accounts, StandardCharsets.UTF_8));
                }
                if (dump != null) {
                    server.load(dump);
                    MariaDbRuntime.deleteTree(dump.getParent());
                }
                server.ensureMasterUser(user, password);
                if (dbName != null) {
                    server.execute(List.of("CREATE DATABASE IF NOT EXISTS " + MariaDbServer.quoteIdentifier(dbName)));
                }
                if (seed != null) {
                    server.load(seed);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }, workers);
    }

    private interface ServerAction {
        void run(MariaDbServer s) throws SQLException, IOException;
    }

    private CompletableFuture<Void> serverWork(Instance i, ServerAction action) {
        MariaDbServer server;
        synchronized (this) {
            server = i.server;
        }
        if (server == null) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.runAsync(() -> {
            try {
                action.run(server);
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, workers);
    }

    /** The instance takes connections under its name (its DNS record exists from now on). */
    private void openEndpoint(Instance i, int preferredPort) {
        if (i.net == null) {
            return;
        }
        i.endpointPort = names.port(i.id, preferredPort);
        names.point(i.id, i.net, 0);
        i.net.open();
    }

    private void stopServer(Instance i) {
        MariaDbServer server;
        InstanceNet net;
        synchronized (this) {
            server = i.server;
            net = i.net;
            i.server = null;
            if (net != null) {
                names.unpoint(i.id, net, 0);
            }
        }
        if (net != null) {
            net.close();
        }
        if (server != null) {
            server.shutdown();
            servers.remove(server);
            MariaDbRuntime.deleteTree(server.dir());
        }
    }

    private void stopServerAsync(Instance i) {
        if (i.net != null) {
            i.net.close();
        }
        workers.execute(() -> stopServer(i));
    }

    private void deleteSnapshotFiles(Snapshot s) {
        Path dump = s.dumpFile;
        if (dump != null) {
            workers.execute(() -> MariaDbRuntime.deleteTree(dump.getParent()));
        }
    }

    synchronized void dropConnections(String id) {
        Instance i = findInstance(id);
        if (i.net != null) {
            i.net.dropConnections();
        }
    }

    synchronized void forceStatus(String id, String status) {
        Instance i = instances.get(id.toLowerCase(Locale.ROOT));
        if (i == null) {
            if (status != null) {
                throw new IllegalArgumentException("no DB instance " + id);
            }
            return;
        }
        i.forcedStatus = status;
    }

    synchronized void releaseAllForced() {
        instances.values().forEach(i -> i.forcedStatus = null);
    }

    // =====================================================================================================
    // Java API helpers
    // =====================================================================================================

    synchronized String instanceStatus(String id) {
        Instance i = instances.get(id.toLowerCase(Locale.ROOT));
        return i == null ? null : i.displayStatus();
    }

    /** The KMS key an instance's storage is encrypted with, or null (unencrypted, or no such instance). */
    synchronized String instanceKmsKeyId(String id) {
        Instance i = instances.get(id.toLowerCase(Locale.ROOT));
        return i == null || !i.storageEncrypted ? null : i.kmsKeyId;
    }

    synchronized String snapshotStatus(String id) {
        Snapshot s = snapshots.get(normaliseSnapshotId(id));
        return s == null ? null : s.status;
    }

    /** Java API: the endpoint of a name, whichever instance it reaches now (like a DNS name a client has). */
    DbEndpoint nameEndpoint(String name) {
        return new DbEndpoint(ADDRESS, names.port(instanceId(name, "name"), 0));
    }

    synchronized DbEndpoint endpoint(String id) {
        Instance i = findInstance(id);
        if (i.endpointPort <= 0) {
            throw new IllegalStateException("DB instance " + i.id + " has no endpoint yet (" + i.displayStatus() + ")");
        }
        return new DbEndpoint(ADDRESS, i.endpointPort);
    }

    synchronized String masterUsername(String id) {
        return findInstance(id).masterUsername;
    }

    synchronized String masterPassword(String id) {
        return findInstance(id).masterPassword;
    }

    synchronized String managedMasterPassword(String id) {
        Instance i = findInstance(id);
        return i.extras.secretArn == null ? null : i.masterPassword;
    }

    synchronized List<String> instanceIds() {
        return new ArrayList<>(instances.keySet());
    }

    synchronized List<String> snapshotIds() {
        return new ArrayList<>(snapshots.keySet());
    }

    synchronized long serverPid(String id) {
        Instance i = findInstance(id);
        return i.server == null ? -1 : i.server.pid();
    }

    /** Stops everything: chains, endpoints and servers (in parallel), then the files. */
    void close() {
        List<Instance> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            all = new ArrayList<>(instances.values());
        }
        for (Instance i : all) {
            if (i.net != null) {
                i.net.close();
            }
        }
        names.close();
        List<Thread> stoppers = new ArrayList<>();
        for (MariaDbServer s : new ArrayList<>(servers)) {
            Thread t = new Thread(s::shutdown, "rds-emulator-stop");
            t.start();
            stoppers.add(t);
        }
        for (Thread t : stoppers) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        servers.clear();
    }

    int runningServers() {
        return servers.size();
    }

    // =====================================================================================================
    // Validation and lookups
    // =====================================================================================================

    private void checkOpen() {
        if (closed) {
            throw new RdsApiException(503, "ServiceUnavailable", "The emulator is shutting down.");
        }
    }

    private Instance newInstance(String id) {
        Instance i = new Instance();
        i.id = id;
        i.dbiResourceId = "db-" + randomUpper(26);
        return i;
    }

    private void checkNewInstanceId(String id) {
        if (instances.containsKey(id) || reservedIds.contains(id)) {
            throw new RdsApiException(400, "DBInstanceAlreadyExists", "DB instance already exists");
        }
    }

    private Instance findInstance(String idOrArn) {
        String id = lastArnPart(idOrArn, ":db:").toLowerCase(Locale.ROOT);
        Instance i = instances.get(id);
        if (i == null) {
            throw RdsApiException.instanceNotFound(id);
        }
        return i;
    }

    private Snapshot findSnapshot(String idOrArn) {
        String id = normaliseSnapshotId(lastArnPart(idOrArn, ":snapshot:"));
        Snapshot s = snapshots.get(id);
        if (s == null) {
            throw RdsApiException.snapshotNotFound(id);
        }
        return s;
    }

    private static String normaliseSnapshotId(String id) {
        return id.startsWith("rds:") ? "rds:" + id.substring(4).toLowerCase(Locale.ROOT) : id.toLowerCase(Locale.ROOT);
    }

    private static String lastArnPart(String value, String marker) {
        if (value.startsWith("arn:")) {
            int at = value.indexOf(marker);
            if (at >= 0) {
                return value.substring(at + marker.length());
            }
        }
        return value;
    }

    private static String instanceId(String raw, String param) {
        String id = raw.toLowerCase(Locale.ROOT);
        if (id.length() > 63 || !INSTANCE_ID.matcher(id).matches()) {
            throw RdsApiException.invalidParameterValue("The parameter " + param + " is not a valid identifier. "
                    + "Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; "
                    + "and must not end with a hyphen or contain two consecutive hyphens.");
        }
        return id;
    }

    private static String snapshotId(String raw, String param) {
        String id = raw.toLowerCase(Locale.ROOT);
        if (id.length() > 255 || !SNAPSHOT_ID.matcher(id).matches()) {
            throw RdsApiException.invalidParameterValue("The parameter " + param + " is not a valid identifier. "
                    + "Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; "
                    + "and must not end with a hyphen or contain two consecutive hyphens.");
        }
        return id;
    }

    private static String instanceClass(String cls) {
        if (!INSTANCE_CLASS.matcher(cls).matches()) {
            throw RdsApiException.invalidParameterValue("Invalid DB Instance class: " + cls);
        }
        return cls;
    }

    private static void validatePassword(String pw) {
        if (pw.length() < 8 || pw.length() > 41) {
            throw RdsApiException.invalidParameterValue("The parameter MasterUserPassword is not a valid password "
                    + "because it is " + (pw.length() < 8 ? "shorter than 8" : "longer than 41") + " characters.");
        }
        for (char c : pw.toCharArray()) {
            if (c < 0x21 || c > 0x7e || c == '/' || c == '@' || c == '"') {
                throw RdsApiException.invalidParameterValue("The parameter MasterUserPassword is not a valid password."
                        + " Only printable ASCII characters besides '/', '@', '\"', ' ' may be used.");
            }
        }
    }

    private static String storageType(String type, String dflt) {
        if (type == null) {
            return dflt;
        }
        if (!STORAGE_TYPES.contains(type)) {
            throw RdsApiException.invalidParameterValue("Invalid storage type: " + type);
        }
        return type;
    }

    private static Integer port(Integer port) {
        if (port != null && (port < 1150 || port > 65535)) {
            throw RdsApiException.invalidParameterValue("Invalid port " + port + ". Valid ports: 1150-65535.");
        }
        return port;
    }

    private SubnetGroup subnetGroup(String name) {
        String n = name == null ? "default" : name.toLowerCase(Locale.ROOT);
        SubnetGroup g = cfg.subnetGroups.get(n);
        if (g == null) {
            throw new RdsApiException(404, "DBSubnetGroupNotFoundFault", "DBSubnetGroup '" + name + "' not found.");
        }
        return g;
    }

    private String availabilityZone(SubnetGroup g, String az, boolean multiAz) {
        if (az == null) {
            return g.azs().get(Math.floorMod(azCounter++, g.azs().size()));
        }
        if (multiAz) {
            throw RdsApiException.invalidParameterCombination(
                    "Requesting a specific availability zone is not valid for Multi-AZ instances.");
        }
        if (!g.azs().contains(az)) {
            throw RdsApiException.invalidParameterValue("Cannot find the availability zone " + az
                    + " in DB subnet group " + g.name() + ".");
        }
        return az;
    }

    private List<String> securityGroups(Params p) {
        List<String> ids = p.list("VpcSecurityGroupIds");
        if (ids.isEmpty()) {
            return new ArrayList<>(List.of(cfg.defaultSecurityGroup));
        }
        for (String id : ids) {
            if (!cfg.securityGroups.contains(id)) {
                throw RdsApiException.invalidParameterValue("Invalid security group , groupId= " + id + ", groupName=.");
            }
        }
        return new ArrayList<>(new java.util.LinkedHashSet<>(ids));
    }

    private String parameterGroup(String name) {
        String n = name == null ? "default.mysql8.0" : name.toLowerCase(Locale.ROOT);
        if (!cfg.parameterGroups.containsKey(n)) {
            throw new RdsApiException(404, "DBParameterGroupNotFound", "DBParameterGroup not found: " + name);
        }
        return n;
    }

    private String optionGroup(String name) {
        String n = name == null ? "default:mysql-8-0" : name.toLowerCase(Locale.ROOT);
        if (!cfg.optionGroups.containsKey(n)) {
            throw new RdsApiException(404, "OptionGroupNotFoundFault", "Specified OptionGroupName: " + name
                    + " not found.");
        }
        return n;
    }

    private static List<Tag> tags(Params p, String prefix) {
        List<Tag> out = new ArrayList<>();
        for (Map<String, String> t : p.structs(prefix)) {
            String key = t.get("Key");
            if (key == null || key.isEmpty()) {
                throw RdsApiException.invalidParameterValue("Tag keys must not be empty.");
            }
            if (key.toLowerCase(Locale.ROOT).startsWith("aws:")) {
                throw RdsApiException.invalidParameterValue("Tag keys must not start with 'aws:'.");
            }
            out.add(new Tag(key, t.getOrDefault("Value", "")));
        }
        return out;
    }

    private static void mergeTags(List<Tag> target, List<Tag> tags) {
        for (Tag t : tags) {
            target.removeIf(old -> old.key().equals(t.key()));
            target.add(t);
        }
    }

    private <T> List<T> page(List<T> all, Params p, String[] nextMarker) {
        Integer max = p.integer("MaxRecords");
        if (max != null && (max < 20 || max > 100)) {
            throw RdsApiException.invalidParameterValue("Invalid value " + max
                    + " for MaxRecords. Must be between 20 and 100");
        }
        int size = max == null ? 100 : max;
        int from = 0;
        String marker = p.str("Marker");
        if (marker != null) {
            try {
                from = Integer.parseInt(marker.replace("page-", ""));
            } catch (NumberFormatException e) {
                throw RdsApiException.invalidParameterValue("Invalid marker: " + marker);
            }
        }
        from = Math.min(from, all.size());
        int to = Math.min(all.size(), from + size);
        nextMarker[0] = to < all.size() ? "page-" + to : null;
        return new ArrayList<>(all.subList(from, to));
    }

    private String kmsArn(String kms) {
        if (kms == null) {
            return "arn:aws:kms:" + cfg.region + ":" + cfg.accountId + ":key/aws-rds-default";
        }
        if (kms.startsWith("arn:")) {
            return kms;
        }
        return "arn:aws:kms:" + cfg.region + ":" + cfg.accountId + ":" + (kms.startsWith("alias/") ? kms : "key/" + kms);
    }

    private String arn(String kind, String name) {
        return "arn:aws:rds:" + cfg.region + ":" + cfg.accountId + ":" + kind + ":" + name;
    }

    String arnDb(String id) {
        return arn("db", id);
    }

    String arnSnapshot(String id) {
        return arn("snapshot", id);
    }

    static String randomUpper(int n) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder sb = new StringBuilder(n);
        for (int k = 0; k < n; k++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    // =====================================================================================================
    // Accounts: what AwsAccounts and CrossAccountRds need of one account's state
    // =====================================================================================================

    /** Resolves another account's shared snapshot named by ARN, for a copy or a restore in this account. */
    interface ForeignSnapshots {
        /**
         * @return a detached copy of the other account's snapshot, with its own links to the data, or null when
         *         {@code idOrArn} names a snapshot of this account
         * @throws RdsApiException as RDS answers when the snapshot is not shared with this account or its KMS key
         *         may not be used here
         */
        Snapshot resolve(String idOrArn, String action, String kmsKeyId);
    }

    /** Set by {@link AwsAccounts}; null when the emulator models one account only. */
    volatile ForeignSnapshots foreign;

    private Snapshot foreignSnapshot(String idOrArn, String action, String kmsKeyId) {
        ForeignSnapshots f = foreign;
        return f == null ? null : f.resolve(idOrArn, action, kmsKeyId);
    }

    /** The snapshot's fields, for another account; with {@code dataDir}, its data hard-linked (or copied) there. */
    synchronized Snapshot export(String idOrArn, Path dataDir) {
        Snapshot src = findSnapshot(idOrArn);
        Snapshot s = new Snapshot();
        s.id = src.id;
        s.type = src.type;
        s.status = src.status;
        s.instanceId = src.instanceId;
        s.dbiResourceId = src.dbiResourceId;
        s.percent = src.percent;
        s.createTime = src.createTime;
        s.originalCreateTime = src.originalCreateTime;
        s.instanceCreateTime = src.instanceCreateTime;
        s.engineVersion = src.engineVersion;
        s.allocatedStorage = src.allocatedStorage;
        s.port = src.port;
        s.availabilityZone = src.availabilityZone;
        s.masterUsername = src.masterUsername;
        s.masterPassword = src.masterPassword;
        s.optionGroup = src.optionGroup;
        s.storageType = src.storageType;
        s.iops = src.iops;
        s.encrypted = src.encrypted;
        s.kmsKeyId = src.kmsKeyId;
        s.sourceSnapshotArn = src.sourceSnapshotArn;
        s.instanceClass = src.instanceClass;
        s.backupRetention = src.backupRetention;
        s.restoreAccounts.addAll(src.restoreAccounts);
        if (dataDir != null && "available".equals(src.status)) {
            try {
                Files.createDirectories(dataDir);
                s.dumpFile = linkOrCopy(src.dumpFile, dataDir.resolve("dump.sql"));
                s.accountsFile = linkOrCopy(src.accountsFile, dataDir.resolve("accounts.sql"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return s;
    }

    /** A fresh folder for the data of a snapshot shared out to another account. */
    Path stagingDir() {
        return root.resolve("shared-out").resolve(Long.toHexString(RANDOM.nextLong()));
    }

    /** Runs {@code f} on one of this account's snapshots under this backend's monitor. */
    synchronized <T> T onSnapshot(String idOrArn, java.util.function.Function<Snapshot, T> f) {
        checkOpen();
        return f.apply(findSnapshot(idOrArn));
    }

    /** A snapshot as DescribeDBSnapshots shows it to another account it is shared with: type {@code shared}. */
    synchronized String sharedView(Snapshot exported) {
        exported.type = "shared";
        Xml x = new Xml();
        writeSnapshot(x, exported);
        return x.toString();
    }

    /** Identifiers of this account's manual snapshots shared with {@code accountId}. */
    synchronized List<String> snapshotsSharedWith(String accountId) {
        List<String> out = new ArrayList<>();
        for (Snapshot s : snapshots.values()) {
            if (s.restoreAccounts.contains(accountId) || s.restoreAccounts.contains("all")) {
                out.add(s.id);
            }
        }
        return out;
    }

    /** Java API: the instance's storage is encrypted with this KMS key from now on (its next snapshots too). */
    synchronized void encryptAtRest(String id, String kmsKeyArn) {
        Instance i = findInstance(id);
        i.storageEncrypted = kmsKeyArn != null;
        i.kmsKeyId = kmsKeyArn;
    }

    // =====================================================================================================
    // XML
    // =====================================================================================================

    private String xmlInstanceResult(Instance i) {
        Xml x = new Xml();
        writeInstance(x, i);
        return x.toString();
    }

    private String xmlSnapshotResult(Snapshot s) {
        Xml x = new Xml();
        writeSnapshot(x, s);
        return x.toString();
    }

    private void writeInstance(Xml x, Instance i) {
        x.open("DBInstance")
                .el("DBInstanceIdentifier", i.id)
                .el("DBInstanceClass", i.instanceClass)
                .el("Engine", i.extras.engine != null ? i.extras.engine : ENGINE)
                .el("DBInstanceStatus", i.displayStatus())
                .el("MasterUsername", i.masterUsername)
                .el("DBName", i.dbName);
        if (i.endpointPort > 0) {
            x.open("Endpoint")
                    .el("Address", ADDRESS)
                    .el("Port", i.endpointPort)
                    .el("HostedZoneId", "Z2R2ITUGPM61AM")
                    .close("Endpoint");
        }
        x.el("AllocatedStorage", i.allocatedStorage)
                .el("InstanceCreateTime", i.createTime)
                .el("BackupRetentionPeriod", i.backupRetention)
                .empty("DBSecurityGroups")
                .open("VpcSecurityGroups");
        for (String sg : i.securityGroups) {
            x.open("VpcSecurityGroupMembership")
                    .el("VpcSecurityGroupId", sg)
                    .el("Status", "active")
                    .close("VpcSecurityGroupMembership");
        }
        x.close("VpcSecurityGroups")
                .open("DBParameterGroups")
                .open("DBParameterGroup")
                .el("DBParameterGroupName", i.parameterGroup)
                .el("ParameterApplyStatus", i.parameterApplyStatus)
                .close("DBParameterGroup")
                .close("DBParameterGroups")
                .el("AvailabilityZone", i.availabilityZone);
        writeSubnetGroup(x, cfg.subnetGroups.get(i.subnetGroup));
        x.open("PendingModifiedValues");
        for (Map.Entry<String, String> e : i.pending.entrySet()) {
            x.el(e.getKey(), e.getValue());
        }
        x.close("PendingModifiedValues");
        if (i.createTime != null && "available".equals(i.status)) {
            x.el("LatestRestorableTime", Instant.now().minusSeconds(300).isBefore(i.createTime)
                    ? i.createTime : Instant.now().minusSeconds(300));
        }
        x.el("MultiAZ", i.multiAz)
                .el("EngineVersion", i.engineVersion)
                .empty("ReadReplicaDBClusterIdentifiers")
                .el("LicenseModel", "general-public-license")
                .el("Iops", i.iops)
                .open("OptionGroupMemberships")
                .open("OptionGroupMembership")
                .el("OptionGroupName", i.optionGroup)
                .el("Status", "in-sync")
                .close("OptionGroupMembership")
                .close("OptionGroupMemberships")
                .el("SecondaryAvailabilityZone", null)
                .el("PubliclyAccessible", i.publiclyAccessible)
                .el("StorageType", i.storageType)
                .el("DbInstancePort", 0)
                .el("StorageEncrypted", i.storageEncrypted)
                .el("KmsKeyId", i.kmsKeyId)
                .el("DbiResourceId", i.dbiResourceId)
                .empty("DomainMemberships")
                .el("CopyTagsToSnapshot", i.copyTagsToSnapshot)
                .el("DBInstanceArn", arnDb(i.id))
                .el("DeletionProtection", i.deletionProtection)
                .empty("AssociatedRoles");
        writeTags(x, i.tags);
        i.extras.write(x);
        x.empty("DBInstanceAutomatedBackupsReplications")
                .el("CustomerOwnedIpEnabled", false)
                .el("BackupTarget", "region")
                .el("DedicatedLogVolume", false)
                .el("MultiTenant", false)
                .el("EngineLifecycleSupport", "open-source-rds-extended-support")
                .close("DBInstance");
    }

    private void writeSnapshot(Xml x, Snapshot s) {
        x.open("DBSnapshot")
                .el("DBSnapshotIdentifier", s.id)
                .el("DBInstanceIdentifier", s.instanceId)
                .el("SnapshotCreateTime", s.createTime)
                .el("Engine", ENGINE)
                .el("AllocatedStorage", s.allocatedStorage)
                .el("Status", s.status)
                .el("Port", s.port)
                .el("AvailabilityZone", s.availabilityZone)
                .el("VpcId", vpcId())
                .el("InstanceCreateTime", s.instanceCreateTime)
                .el("MasterUsername", s.masterUsername)
                .el("EngineVersion", s.engineVersion)
                .el("LicenseModel", "general-public-license")
                .el("SnapshotType", s.type)
                .el("Iops", s.iops)
                .el("OptionGroupName", s.optionGroup)
                .el("PercentProgress", s.percent)
                .el("SourceDBSnapshotIdentifier", s.sourceSnapshotArn)
                .el("SourceRegion", s.sourceSnapshotArn == null ? null : s.sourceSnapshotArn.split(":")[3])
                .el("StorageType", s.storageType)
                .el("Encrypted", s.encrypted)
                .el("KmsKeyId", s.kmsKeyId)
                .el("DBSnapshotArn", arnSnapshot(s.id))
                .el("IAMDatabaseAuthenticationEnabled", false)
                .empty("ProcessorFeatures")
                .el("DbiResourceId", s.dbiResourceId);
        writeTags(x, s.tags);
        x.el("OriginalSnapshotCreateTime", s.originalCreateTime)
                .el("SnapshotTarget", "region")
                .el("DedicatedLogVolume", false)
                .el("MultiTenant", false)
                .close("DBSnapshot");
    }

    private void writeSubnetGroup(Xml x, SubnetGroup g) {
        x.open("DBSubnetGroup")
                .el("DBSubnetGroupName", g.name())
                .el("DBSubnetGroupDescription", g.description())
                .el("VpcId", vpcId())
                .el("SubnetGroupStatus", "Complete")
                .open("Subnets");
        for (String az : g.azs()) {
            x.open("Subnet")
                    .el("SubnetIdentifier", "subnet-0" + Integer.toHexString((g.name() + az).hashCode() & 0xfffffff))
                    .open("SubnetAvailabilityZone").el("Name", az).close("SubnetAvailabilityZone")
                    .empty("SubnetOutpost")
                    .el("SubnetStatus", "Active")
                    .close("Subnet");
        }
        x.close("Subnets")
                .el("DBSubnetGroupArn", arn("subgrp", g.name()))
                .open("SupportedNetworkTypes").el("member", "IPV4").close("SupportedNetworkTypes")
                .close("DBSubnetGroup");
    }

    private static void writeTags(Xml x, List<Tag> tags) {
        x.open("TagList");
        for (Tag t : tags) {
            x.open("Tag").el("Key", t.key()).el("Value", t.value()).close("Tag");
        }
        x.close("TagList");
    }

    private String vpcId() {
        return "vpc-0" + Integer.toHexString(cfg.region.hashCode() & 0xfffffff);
    }
}
