package io.jenkins.plugins.rdssync.core.aws;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBParameterGroupStatus;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.DbParameterGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DbSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.DbSubnetGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.OptionGroupMembership;
import software.amazon.awssdk.services.rds.model.OptionGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.PendingModifiedValues;
import software.amazon.awssdk.services.rds.model.Tag;
import software.amazon.awssdk.services.rds.model.VpcSecurityGroupMembership;

/**
 * The RDS calls the engine makes, in plain terms. Every mutating call goes through {@link #mutate(String)}, which
 * refuses in a dry run, so "plan changes nothing" holds by construction. Every call that fails (after the SDK's
 * retries) throws an {@link AwsFailure} naming the action and the resource. Counts calls per action for the
 * performance report.
 */
public final class RdsGateway implements AutoCloseable {
    private final RdsClient rds;
    private final boolean readOnly;
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    /** For an AccessDenied: which statement of the shipped policies allows an action on this side (or null). */
    private final Function<String, String> policyLines;
    private final String roleField;

    public RdsGateway(RdsClient rds, boolean readOnly) {
        this(rds, readOnly, action -> null);
    }

    /**
     * @param policyLines names, for an action AWS denied, the statement of docs/iam/ that allows it and whose
     *        identity needs it (the two sides of a cross-account sync have different policies); null for none
     */
    public RdsGateway(RdsClient rds, boolean readOnly, Function<String, String> policyLines) {
        this(rds, readOnly, policyLines, null);
    }

    /**
     * @param roleField the setting naming the role this side assumes ({@code roleArn}, {@code sourceRoleArn}): a
     *        refused AssumeRole blames it, so the user is told to fix the configuration
     */
    public RdsGateway(RdsClient rds, boolean readOnly, Function<String, String> policyLines, String roleField) {
        this.rds = rds;
        this.readOnly = readOnly;
        this.policyLines = policyLines;
        this.roleField = roleField;
    }

    private void count(String action) {
        calls.computeIfAbsent(action, a -> new AtomicLong()).incrementAndGet();
    }

    private void mutate(String action) {
        if (readOnly) {
            throw new IllegalStateException("dry run: " + action + " must not be called");
        }
        count(action);
    }

    /** Runs one SDK call; a failure becomes an {@link AwsFailure} naming the call and what it was for. */
    private <T> T call(String action, String what, Supplier<T> sdkCall) {
        try {
            return sdkCall.get();
        } catch (SdkException e) {
            boolean role = AwsFailure.fromSts(e);
            String failed = role ? "sts:AssumeRole" : action;
            AwsFailure f = AwsFailure.of(failed, role ? "(for " + action + " " + what + ")" : what, e,
                    policyLines.apply(failed));
            throw role && roleField != null && f.field() == null ? f.withField(roleField) : f;
        }
    }

    private void run(String action, String what, Runnable sdkCall) {
        call(action, what, () -> {
            sdkCall.run();
            return null;
        });
    }

    /** Calls made so far, by action. */
    public Map<String, Long> callCounts() {
        Map<String, Long> m = new LinkedHashMap<>();
        calls.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    public Optional<InstanceInfo> instance(String id) {
        count("DescribeDBInstances");
        return call("DescribeDBInstances", id, () -> {
            try {
                return rds.describeDBInstances(r -> r.dbInstanceIdentifier(id)).dbInstances().stream()
                        .findFirst().map(RdsGateway::toInfo);
            } catch (DbInstanceNotFoundException e) {
                return Optional.empty();
            }
        });
    }

    public Optional<SnapshotInfo> snapshot(String id) {
        count("DescribeDBSnapshots");
        return call("DescribeDBSnapshots", id, () -> {
            try {
                return rds.describeDBSnapshots(r -> r.dbSnapshotIdentifier(id)).dbSnapshots().stream()
                        .findFirst().map(RdsGateway::toInfo);
            } catch (DbSnapshotNotFoundException e) {
                return Optional.empty();
            }
        });
    }

    /** Snapshots of an instance of the given type ("manual" or "automated"), newest first. */
    public List<SnapshotInfo> snapshotsOf(String instanceId, String type) {
        List<SnapshotInfo> out = new ArrayList<>();
        String marker = null;
        do {
            count("DescribeDBSnapshots");
            String m = marker;
            var page = call("DescribeDBSnapshots", "of " + instanceId, () -> rds.describeDBSnapshots(
                    r -> r.dbInstanceIdentifier(instanceId).snapshotType(type).marker(m)));
            page.dbSnapshots().stream().map(RdsGateway::toInfo).forEach(out::add);
            marker = page.marker();
        } while (marker != null && !marker.isEmpty());
        out.sort(Comparator.comparing(SnapshotInfo::createdAt, Comparator.nullsFirst(Comparator.naturalOrder()))
                .reversed());
        return out;
    }

    public boolean subnetGroupExists(String name) {
        count("DescribeDBSubnetGroups");
        return call("DescribeDBSubnetGroups", name, () -> {
            try {
                return !rds.describeDBSubnetGroups(r -> r.dbSubnetGroupName(name)).dbSubnetGroups().isEmpty();
            } catch (DbSubnetGroupNotFoundException e) {
                return false;
            }
        });
    }

    public boolean parameterGroupExists(String name) {
        count("DescribeDBParameterGroups");
        return call("DescribeDBParameterGroups", name, () -> {
            try {
                return !rds.describeDBParameterGroups(r -> r.dbParameterGroupName(name)).dbParameterGroups()
                        .isEmpty();
            } catch (DbParameterGroupNotFoundException e) {
                return false;
            }
        });
    }

    public boolean optionGroupExists(String name) {
        count("DescribeOptionGroups");
        return call("DescribeOptionGroups", name, () -> {
            try {
                return !rds.describeOptionGroups(r -> r.optionGroupName(name)).optionGroupsList().isEmpty();
            } catch (OptionGroupNotFoundException e) {
                return false;
            }
        });
    }

    /** The parameter group and its family, or empty when there is none of that name. */
    public Optional<EngineFacts.ParameterGroup> parameterGroup(String name) {
        count("DescribeDBParameterGroups");
        return call("DescribeDBParameterGroups", name, () -> {
            try {
                return rds.describeDBParameterGroups(r -> r.dbParameterGroupName(name)).dbParameterGroups().stream()
                        .findFirst().map(g -> new EngineFacts.ParameterGroup(g.dbParameterGroupName(),
                                g.dbParameterGroupFamily()));
            } catch (DbParameterGroupNotFoundException e) {
                return Optional.empty();
            }
        });
    }

    /** The option group with its engine and major version, or empty when there is none of that name. */
    public Optional<EngineFacts.OptionGroup> optionGroup(String name) {
        count("DescribeOptionGroups");
        return call("DescribeOptionGroups", name, () -> {
            try {
                return rds.describeOptionGroups(r -> r.optionGroupName(name)).optionGroupsList().stream().findFirst()
                        .map(g -> new EngineFacts.OptionGroup(g.optionGroupName(), g.engineName(),
                                g.majorEngineVersion()));
            } catch (OptionGroupNotFoundException e) {
                return Optional.empty();
            }
        });
    }

    /** The engine version as RDS describes it (with its parameter group family), or empty when RDS has no such. */
    public Optional<EngineFacts.EngineVersion> engineVersion(String engine, String version) {
        count("DescribeDBEngineVersions");
        return call("DescribeDBEngineVersions", engine + " " + version, () -> rds.describeDBEngineVersions(
                r -> r.engine(engine).engineVersion(version)).dbEngineVersions().stream().findFirst()
                .map(v -> new EngineFacts.EngineVersion(v.engine(), v.engineVersion(), v.majorEngineVersion(),
                        v.dbParameterGroupFamily())));
    }

    /** The storage types RDS offers for this class, engine and version; empty when the class is not orderable. */
    public Set<String> orderableStorageTypes(String engine, String version, String instanceClass) {
        Set<String> types = new java.util.TreeSet<>();
        String marker = null;
        do {
            count("DescribeOrderableDBInstanceOptions");
            String m = marker;
            var page = call("DescribeOrderableDBInstanceOptions", instanceClass + " for " + engine + " " + version,
                    () -> rds.describeOrderableDBInstanceOptions(r -> r.engine(engine).engineVersion(version)
                            .dbInstanceClass(instanceClass).marker(m)));
            page.orderableDBInstanceOptions().forEach(o -> types.add(o.storageType()));
            marker = page.marker();
        } while (marker != null && !marker.isEmpty());
        return types;
    }

    public void createSnapshot(String snapshotId, String instanceId, Map<String, String> tags) {
        mutate("CreateDBSnapshot");
        run("CreateDBSnapshot", snapshotId + " of " + instanceId, () -> rds.createDBSnapshot(
                r -> r.dbSnapshotIdentifier(snapshotId).dbInstanceIdentifier(instanceId).tags(tags(tags))));
    }

    public void copySnapshot(String sourceId, String copyId, String kmsKeyId, Map<String, String> tags) {
        mutate("CopyDBSnapshot");
        run("CopyDBSnapshot", sourceId + " to " + copyId, () -> rds.copyDBSnapshot(
                r -> r.sourceDBSnapshotIdentifier(sourceId).targetDBSnapshotIdentifier(copyId).kmsKeyId(kmsKeyId)
                        .tags(tags(tags))));
    }

    /**
     * Copies a snapshot named by ARN (another account's shared snapshot, or one in another region) into this side's
     * account and region. With {@code sourceRegion} the SDK adds the presigned URL a cross-region copy needs.
     */
    public void copySnapshot(String sourceArn, String copyId, String kmsKeyId, Map<String, String> tags,
            String sourceRegion) {
        mutate("CopyDBSnapshot");
        run("CopyDBSnapshot", sourceArn + " to " + copyId, () -> rds.copyDBSnapshot(
                r -> r.sourceDBSnapshotIdentifier(sourceArn).targetDBSnapshotIdentifier(copyId).kmsKeyId(kmsKeyId)
                        .sourceRegion(sourceRegion).tags(tags(tags))));
    }

    /** How a snapshot (by id, or a shared one by ARN) is encrypted, and its ARN; empty when not found. */
    public Optional<SnapshotEncryption> snapshotEncryption(String idOrArn) {
        count("DescribeDBSnapshots");
        return call("DescribeDBSnapshots", idOrArn, () -> {
            try {
                return rds.describeDBSnapshots(r -> r.dbSnapshotIdentifier(idOrArn)).dbSnapshots().stream()
                        .findFirst().map(d -> new SnapshotEncryption(d.dbSnapshotArn(),
                                Boolean.TRUE.equals(d.encrypted()), d.kmsKeyId()));
            } catch (DbSnapshotNotFoundException e) {
                return Optional.empty();
            }
        });
    }

    /** How an instance's storage is encrypted (its new snapshots are encrypted alike), and its ARN. */
    public Optional<SnapshotEncryption> instanceEncryption(String id) {
        count("DescribeDBInstances");
        return call("DescribeDBInstances", id, () -> {
            try {
                return rds.describeDBInstances(r -> r.dbInstanceIdentifier(id)).dbInstances().stream().findFirst()
                        .map(i -> new SnapshotEncryption(i.dbInstanceArn(), Boolean.TRUE.equals(i.storageEncrypted()),
                                i.kmsKeyId()));
            } catch (DbInstanceNotFoundException e) {
                return Optional.empty();
            }
        });
    }

    /** The accounts a manual snapshot is shared with: its {@code restore} attribute. */
    public Set<String> sharedWith(String snapshotId) {
        count("DescribeDBSnapshotAttributes");
        return call("DescribeDBSnapshotAttributes", snapshotId, () -> {
            Set<String> out = new TreeSet<>();
            rds.describeDBSnapshotAttributes(r -> r.dbSnapshotIdentifier(snapshotId)).dbSnapshotAttributesResult()
                    .dbSnapshotAttributes().stream().filter(a -> "restore".equals(a.attributeName()))
                    .forEach(a -> out.addAll(a.attributeValues()));
            return out;
        });
    }

    /** Lets another account copy and restore a manual snapshot (ModifyDBSnapshotAttribute {@code restore}). */
    public void share(String snapshotId, String accountId) {
        mutate("ModifyDBSnapshotAttribute");
        run("ModifyDBSnapshotAttribute", snapshotId + " (share with account " + accountId + ")",
                () -> rds.modifyDBSnapshotAttribute(r -> r.dbSnapshotIdentifier(snapshotId).attributeName("restore")
                        .valuesToAdd(accountId)));
    }

    /** Takes the share back. */
    public void unshare(String snapshotId, String accountId) {
        mutate("ModifyDBSnapshotAttribute");
        run("ModifyDBSnapshotAttribute", snapshotId + " (remove the share with account " + accountId + ")",
                () -> rds.modifyDBSnapshotAttribute(r -> r.dbSnapshotIdentifier(snapshotId).attributeName("restore")
                        .valuesToRemove(accountId)));
    }

    public void deleteSnapshot(String snapshotId) {
        mutate("DeleteDBSnapshot");
        run("DeleteDBSnapshot", snapshotId, () -> rds.deleteDBSnapshot(r -> r.dbSnapshotIdentifier(snapshotId)));
    }

    /**
     * Restores with every setting the restore call accepts: the request's own and the carried ones (Iops and
     * throughput only with a storage type that takes them: gp3, io1, io2).
     */
    public void restore(RestoreRequest q) {
        mutate("RestoreDBInstanceFromDBSnapshot");
        CarriedSettings c = q.carried();
        String storage = q.storageType();
        boolean provisioned = storage != null && Set.of("gp3", "io1", "io2").contains(storage);
        run("RestoreDBInstanceFromDBSnapshot", q.instanceId() + " from " + q.snapshotId(),
                () -> rds.restoreDBInstanceFromDBSnapshot(r -> r.dbInstanceIdentifier(q.instanceId())
                .dbSnapshotIdentifier(q.snapshotId())
                .dbInstanceClass(q.instanceClass())
                .dbSubnetGroupName(q.subnetGroup())
                .availabilityZone(Boolean.TRUE.equals(q.multiAz()) ? null : q.availabilityZone())
                .vpcSecurityGroupIds(q.securityGroups() == null || q.securityGroups().isEmpty() ? null
                        : q.securityGroups())
                .dbParameterGroupName(q.parameterGroup())
                .optionGroupName(q.optionGroup())
                .port(q.port())
                .storageType(storage)
                .allocatedStorage(q.allocatedStorage())
                .iops(provisioned ? c.iops() : null)
                .storageThroughput(provisioned && "gp3".equals(storage) ? c.storageThroughput() : null)
                .multiAZ(q.multiAz())
                .publiclyAccessible(q.publiclyAccessible())
                .tags(tags(q.tags()))
                .deletionProtection(q.deletionProtection())
                .backupRetentionPeriod(q.backupRetention())
                .preferredBackupWindow(c.backupWindow())
                .enableIAMDatabaseAuthentication(c.iamDatabaseAuthentication())
                .enableCloudwatchLogsExports(c.cloudwatchLogsExports() == null || c.cloudwatchLogsExports().isEmpty()
                        ? null : c.cloudwatchLogsExports())
                .copyTagsToSnapshot(c.copyTagsToSnapshot())
                .caCertificateIdentifier(c.caCertificate())
                .autoMinorVersionUpgrade(c.autoMinorVersionUpgrade())
                .networkType(c.networkType())));
    }

    /** One ModifyDBInstance with ApplyImmediately: what the request names, nothing else. */
    public void modify(ModifyRequest m) {
        mutate("ModifyDBInstance");
        run("ModifyDBInstance", m.instanceId() + " (" + String.join(", ", m.describe()) + ")",
                () -> rds.modifyDBInstance(r -> r.dbInstanceIdentifier(m.instanceId())
                        .masterUserPassword(m.masterPassword)
                        .manageMasterUserPassword(m.manageMasterPassword)
                        .masterUserSecretKmsKeyId(m.masterUserSecretKmsKeyId)
                        .backupRetentionPeriod(m.backupRetention)
                        .preferredBackupWindow(m.backupWindow)
                        .deletionProtection(m.deletionProtection)
                        .maxAllocatedStorage(m.maxAllocatedStorage)
                        .monitoringInterval(m.monitoringInterval)
                        .monitoringRoleArn(m.monitoringRoleArn)
                        .enablePerformanceInsights(m.performanceInsights)
                        .performanceInsightsKMSKeyId(m.performanceInsightsKmsKeyId)
                        .performanceInsightsRetentionPeriod(m.performanceInsightsRetention)
                        .preferredMaintenanceWindow(m.maintenanceWindow)
                        .applyImmediately(true)));
    }

    /** Starts a stopped instance (StartDBInstance). */
    public void start(String instanceId) {
        mutate("StartDBInstance");
        run("StartDBInstance", instanceId, () -> rds.startDBInstance(r -> r.dbInstanceIdentifier(instanceId)));
    }

    public void rename(String instanceId, String newId) {
        mutate("ModifyDBInstance");
        run("ModifyDBInstance", instanceId + " (rename to " + newId + ")", () -> rds.modifyDBInstance(
                r -> r.dbInstanceIdentifier(instanceId).newDBInstanceIdentifier(newId).applyImmediately(true)));
    }

    public void reboot(String instanceId) {
        mutate("RebootDBInstance");
        run("RebootDBInstance", instanceId, () -> rds.rebootDBInstance(r -> r.dbInstanceIdentifier(instanceId)));
    }

    /** Deletes without a final snapshot: the data is production's, already in the snapshot. */
    public void delete(String instanceId) {
        mutate("DeleteDBInstance");
        run("DeleteDBInstance", instanceId, () -> rds.deleteDBInstance(
                r -> r.dbInstanceIdentifier(instanceId).skipFinalSnapshot(true).deleteAutomatedBackups(true)));
    }

    /**
     * Deletes with a final snapshot, the way back to the instance's data; RDS refuses the call when a snapshot of
     * that name exists (DBSnapshotAlreadyExists), so the caller removes an older one first.
     */
    public void deleteWithFinalSnapshot(String instanceId, String finalSnapshotId) {
        mutate("DeleteDBInstance");
        run("DeleteDBInstance", instanceId + " (final snapshot " + finalSnapshotId + ")", () -> rds.deleteDBInstance(
                r -> r.dbInstanceIdentifier(instanceId).skipFinalSnapshot(false)
                        .finalDBSnapshotIdentifier(finalSnapshotId).deleteAutomatedBackups(true)));
    }

    public void addTags(String arn, Map<String, String> tags) {
        mutate("AddTagsToResource");
        run("AddTagsToResource", arn, () -> rds.addTagsToResource(r -> r.resourceName(arn).tags(tags(tags))));
    }

    /** The SDK client, for the SDK's generic waiter. */
    RdsClient client() {
        return rds;
    }

    void countDescribe(String action) {
        count(action);
    }

    private static List<Tag> tags(Map<String, String> tags) {
        if (tags == null || tags.isEmpty()) {
            return null;
        }
        List<Tag> out = new ArrayList<>();
        tags.forEach((k, v) -> out.add(Tag.builder().key(k).value(v).build()));
        return out;
    }

    private static Map<String, String> tagMap(List<Tag> tags) {
        Map<String, String> m = new LinkedHashMap<>();
        if (tags != null) {
            tags.forEach(t -> m.put(t.key(), t.value()));
        }
        return m;
    }

    static InstanceInfo toInfo(DBInstance i) {
        DBParameterGroupStatus pg = i.dbParameterGroups().isEmpty() ? null : i.dbParameterGroups().get(0);
        OptionGroupMembership og = i.optionGroupMemberships().isEmpty() ? null : i.optionGroupMemberships().get(0);
        CarriedSettings carried = new CarriedSettings(i.iops(), i.storageThroughput(), i.maxAllocatedStorage(),
                i.iamDatabaseAuthenticationEnabled(),
                i.hasEnabledCloudwatchLogsExports() ? i.enabledCloudwatchLogsExports() : List.of(),
                i.copyTagsToSnapshot(), i.caCertificateIdentifier(), i.autoMinorVersionUpgrade(), i.networkType(),
                i.monitoringInterval(), i.monitoringRoleArn(), i.performanceInsightsEnabled(),
                i.performanceInsightsKMSKeyId(), i.performanceInsightsRetentionPeriod(),
                i.preferredMaintenanceWindow(), i.preferredBackupWindow(),
                // the secret's key stands for "managed"; an AWS-managed key may be reported without an id
                i.masterUserSecret() == null ? null
                        : i.masterUserSecret().kmsKeyId() == null ? "aws/secretsmanager" : i.masterUserSecret().kmsKeyId());
        return new InstanceInfo(i.dbInstanceIdentifier(), i.dbInstanceStatus(),
                i.endpoint() == null ? null : i.endpoint().address(),
                i.endpoint() == null ? null : i.endpoint().port(),
                i.engine(), i.dbInstanceClass(),
                i.dbSubnetGroup() == null ? null : i.dbSubnetGroup().dbSubnetGroupName(),
                i.availabilityZone(),
                i.vpcSecurityGroups().stream().map(VpcSecurityGroupMembership::vpcSecurityGroupId).toList(),
                pg == null ? null : pg.dbParameterGroupName(), pg == null ? null : pg.parameterApplyStatus(),
                og == null ? null : og.optionGroupName(),
                Boolean.TRUE.equals(i.multiAZ()), Boolean.TRUE.equals(i.publiclyAccessible()), i.storageType(),
                Boolean.TRUE.equals(i.deletionProtection()), i.masterUsername(),
                i.backupRetentionPeriod() == null ? 0 : i.backupRetentionPeriod(), i.dbInstanceArn(),
                tagMap(i.tagList()), i.engineVersion(), i.allocatedStorage(), i.dbClusterIdentifier(),
                i.readReplicaSourceDBInstanceIdentifier(),
                i.hasReadReplicaDBInstanceIdentifiers() ? i.readReplicaDBInstanceIdentifiers() : List.of(), carried,
                pending(i.pendingModifiedValues()));
    }

    /** The names of the pending modifications (those set in PendingModifiedValues); the master password's too. */
    static List<String> pending(PendingModifiedValues p) {
        List<String> out = new ArrayList<>();
        if (p == null) {
            return out;
        }
        for (var field : p.sdkFields()) {
            Object v = field.getValueOrDefault(p);
            // an absent list reads as an empty one
            boolean set = v != null && !(v instanceof java.util.Collection<?> c && c.isEmpty());
            if (set) {
                out.add(field.locationName());
            }
        }
        return out;
    }

    static SnapshotInfo toInfo(DBSnapshot s) {
        return new SnapshotInfo(s.dbSnapshotIdentifier(), s.dbInstanceIdentifier(), s.status(),
                s.percentProgress() == null ? 0 : s.percentProgress(), s.snapshotType(), s.snapshotCreateTime(),
                s.masterUsername(), s.dbSnapshotArn(), tagMap(s.tagList()), s.engine(), s.engineVersion(),
                s.allocatedStorage(), s.storageType());
    }

    @Override
    public void close() {
        rds.close();
    }
}
