package io.jenkins.plugins.rdssync.core.stage;

import io.jenkins.plugins.rdssync.core.aws.EngineFacts;
import io.jenkins.plugins.rdssync.core.aws.InstanceInfo;
import io.jenkins.plugins.rdssync.core.aws.RestoreRequest;
import io.jenkins.plugins.rdssync.core.spec.Strategy;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Preflight's read-only checks that the restore will be accepted: what RDS would otherwise refuse only at the restore
 * call, which in {@code replace} comes after acceptance was deleted (shared/RDS-FACTS.md, "Restores"): the parameter
 * group's family against the snapshot's engine version (DescribeDBEngineVersions, DescribeDBParameterGroups), the
 * option group's engine and major version (DescribeOptionGroups), the instance class and storage type
 * (DescribeOrderableDBInstanceOptions), the storage type's Iops, the target's engine, the master password RDS would
 * be asked to set, and instances that are not plain DB instances (cluster members, Aurora, read replicas).
 */
final class RestoreCompatibility {
    /** Characters RDS refuses in a master password, besides non-printable ones (ModifyDBInstance reference). */
    private static final String PASSWORD_FORBIDDEN = "/\"@ ";
    private static final Set<String> NEEDS_IOPS = Set.of("io1", "io2");

    private RestoreCompatibility() {
    }

    /** Instances the sync cannot treat as one plain DB instance are refused, naming the field and the fix. */
    static void checkTopology(RunContext ctx) {
        SyncSpec spec = ctx.spec;
        InstanceInfo source = ctx.source;
        if (source.engine() != null && source.engine().toLowerCase(Locale.ROOT).startsWith("aurora")) {
            throw new StageFailure("source", "'" + spec.source() + "' is an Aurora instance (" + source.engine()
                    + "): Aurora is snapshotted and restored as a cluster, which RDS Sync does not do; choose an RDS"
                    + " for MySQL or MariaDB instance");
        }
        if (source.clusterId() != null) {
            throw new StageFailure("source", "'" + spec.source() + "' is a member of DB cluster '" + source.clusterId()
                    + "' (RDS refuses CreateDBSnapshot on cluster members); choose a DB instance that is not part of a"
                    + " cluster");
        }
        ctx.currentTarget.ifPresent(t -> {
            if (t.clusterId() != null || t.engine() != null && t.engine().toLowerCase(Locale.ROOT).startsWith("aurora")) {
                throw new StageFailure("target", "'" + t.id() + "' is " + (t.clusterId() != null
                        ? "a member of DB cluster '" + t.clusterId() + "'" : "an Aurora instance") + "; RDS Sync"
                        + " replaces plain DB instances only: choose another target");
            }
            if (t.replicaSource() != null) {
                throw new StageFailure("target", "'" + t.id() + "' is a read replica of '" + t.replicaSource()
                        + "': replacing it with a restore would end the replication; promote it first"
                        + " (PromoteReadReplica) or choose another target");
            }
            if (!t.readReplicas().isEmpty()) {
                throw new StageFailure("target", "'" + t.id() + "' has read replicas " + t.readReplicas()
                        + ": when it is deleted RDS promotes them to standalone instances, which the restored"
                        + " instance would not feed; delete or promote them first, or choose another target");
            }
            String engine = engineOf(ctx);
            if (t.engine() != null && engine != null && !t.engine().equalsIgnoreCase(engine)) {
                throw new StageFailure("target", "'" + t.id() + "' runs " + t.engine() + ", the snapshot "
                        + engine + ": the restored instance would be another engine than acceptance's; choose a "
                        + engine + " target, or another source");
            }
        });
    }

    /** The snapshot's engine, or the source's for a snapshot still to be taken. */
    private static String engineOf(RunContext ctx) {
        return ctx.snapshotInfo != null && ctx.snapshotInfo.engine() != null ? ctx.snapshotInfo.engine()
                : ctx.source.engine();
    }

    private static String versionOf(RunContext ctx) {
        return ctx.snapshotInfo != null && ctx.snapshotInfo.engineVersion() != null
                ? ctx.snapshotInfo.engineVersion() : ctx.source.engineVersion();
    }

    /** The groups, class and storage the restore will ask for fit the engine version it restores. */
    static void checkRestore(RunContext ctx, StageLog log) {
        SyncSpec spec = ctx.spec;
        String engine = engineOf(ctx);
        String version = versionOf(ctx);
        if (engine == null || version == null) {
            return;
        }
        RestoreRequest r = RestoreSettings.restore(ctx, ctx.restoreId());
        Optional<EngineFacts.EngineVersion> ev = ctx.rds.engineVersion(engine, version);
        String what = "the snapshot runs " + engine + " " + version;
        if (r.parameterGroup() != null && ev.isPresent() && ev.get().parameterGroupFamily() != null) {
            String field = "parameterGroup";
            EngineFacts.ParameterGroup pg = ctx.rds.parameterGroup(r.parameterGroup()).orElseThrow(
                    () -> new StageFailure(field, "no DB parameter group '" + r.parameterGroup() + "'"
                            + origin(spec.parameterGroup().isPresent()) + "; check the name"));
            String family = ev.get().parameterGroupFamily();
            if (!family.equalsIgnoreCase(pg.family())) {
                throw new StageFailure(field, "parameter group '" + pg.name() + "'" + origin(spec.parameterGroup()
                        .isPresent()) + " is of family " + pg.family() + ", but " + what + ", which needs family "
                        + family + " (RDS would refuse the restore); set parameterGroup to a group of family " + family
                        + ", e.g. default." + family);
            }
        }
        String major = ev.map(EngineFacts.EngineVersion::majorVersion).orElse(majorOf(version));
        if (r.optionGroup() != null) {
            EngineFacts.OptionGroup og = ctx.rds.optionGroup(r.optionGroup()).orElseThrow(() -> new StageFailure(
                    "optionGroup", "no option group '" + r.optionGroup() + "'" + origin(spec.optionGroup().isPresent())
                            + "; check the name"));
            if (!engine.equalsIgnoreCase(og.engine()) || !major.equals(og.majorVersion())) {
                throw new StageFailure("optionGroup", "option group '" + og.name() + "'" + origin(spec.optionGroup()
                        .isPresent()) + " belongs to " + og.engine() + " " + og.majorVersion() + ", but " + what
                        + " (an option group serves one engine and major version); set optionGroup to a group for "
                        + engine + " " + major + ", e.g. default:" + engine + "-" + major.replace('.', '-'));
            }
        }
        String cls = r.instanceClass() != null ? r.instanceClass() : ctx.source.instanceClass();
        if (cls != null) {
            Set<String> storage = ctx.rds.orderableStorageTypes(engine, version, cls);
            if (storage.isEmpty()) {
                throw new StageFailure("instanceClass", "RDS offers no " + cls + origin(spec.instanceClass()
                        .isPresent()) + " for " + engine + " " + version + " (DescribeOrderableDBInstanceOptions);"
                        + " set instanceClass to a class RDS offers for this version");
            }
            String type = r.storageType() != null ? r.storageType()
                    : ctx.snapshotInfo != null && ctx.snapshotInfo.storageType() != null
                            ? ctx.snapshotInfo.storageType() : ctx.source.storageType();
            if (type != null && !storage.contains(type)) {
                throw new StageFailure("storageType", "storage type " + type + " is not offered with " + cls + " for "
                        + engine + " " + version + " (offered: " + String.join(", ", storage) + "); set storageType"
                        + " to one of those");
            }
            if (type != null && NEEDS_IOPS.contains(type) && r.carried().iops() == null) {
                throw new StageFailure("storageType", type + " storage needs provisioned Iops, and the target has"
                        + " none to carry over (it is not " + type + " now); choose gp3 or gp2, or give the target"
                        + " provisioned Iops first");
            }
            log.log("Restore fits " + engine + " " + version + ": class " + cls + (type == null ? "" : ", " + type)
                    + (r.parameterGroup() == null ? "" : ", parameter group " + r.parameterGroup())
                    + (r.optionGroup() == null ? "" : ", option group " + r.optionGroup()));
        }
        checkPassword(ctx);
        if (spec.strategy() == Strategy.SWAP && ctx.currentTarget.map(InstanceInfo::isStopped).orElse(false)) {
            log.log("Target " + spec.target() + " is stopped: it is started for the backup and the switch");
        }
    }

    /** The acceptance password becomes the new instance's master password: RDS's rules apply to it. */
    private static void checkPassword(RunContext ctx) {
        SyncSpec spec = ctx.spec;
        if (!spec.resetMasterPassword() || spec.mysqlPassword().isEmpty()) {
            return;
        }
        String pw = spec.mysqlPassword().get().reveal();
        String problem = null;
        if (pw.length() < 8 || pw.length() > 41) {
            problem = "has " + pw.length() + " characters (RDS takes 8 to 41)";
        } else {
            for (char c : pw.toCharArray()) {
                if (c < 0x21 || c > 0x7e || PASSWORD_FORBIDDEN.indexOf(c) >= 0) {
                    problem = "contains a character RDS refuses in a master password (only printable ASCII, and"
                            + " none of / \" @ or a space)";
                    break;
                }
            }
        }
        if (problem != null) {
            throw new StageFailure("mysqlCredentialsId", "the database password " + problem + "; after the restore"
                    + " it is set as the master password, so RDS would refuse it. Choose a password RDS accepts, or"
                    + " set resetMasterPassword: false to keep the source's master password");
        }
    }

    private static String origin(boolean configured) {
        return configured ? "" : " (the current target's)";
    }

    static String majorOf(String version) {
        String[] parts = version.split("\\.");
        return parts.length >= 2 ? parts[0] + "." + parts[1] : version;
    }
}
