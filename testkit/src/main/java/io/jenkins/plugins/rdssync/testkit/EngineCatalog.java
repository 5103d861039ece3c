package io.jenkins.plugins.rdssync.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The engine versions the emulator offers, their parameter group families, and the instance classes and storage
 * types orderable for each: what DescribeDBEngineVersions and DescribeOrderableDBInstanceOptions answer, and what a
 * restore is checked against. RDS refuses at the restore call a parameter group of another family than the
 * snapshot's engine version, an option group of another engine or major version, and a class not orderable for the
 * version (shared/RDS-FACTS.md, "Restores"; API reference RestoreDBInstanceFromDBSnapshot, errors
 * InvalidParameterCombination). Every instance is a MariaDB server whatever version it reports.
 */
final class EngineCatalog {
    record Version(String version, String major, String family) { }

    static final List<Version> VERSIONS = List.of(
            new Version("8.0.40", "8.0", "mysql8.0"),
            new Version("8.0.41", "8.0", "mysql8.0"),
            new Version("8.4.3", "8.4", "mysql8.4"),
            new Version("8.4.4", "8.4", "mysql8.4"));
    static final List<String> STORAGE_TYPES = List.of("gp2", "gp3", "io1", "io2", "standard");
    /** Families of classes RDS for MySQL offers; db.t2 is not offered for 8.4 (it is a previous generation). */
    private static final Pattern CLASS = Pattern.compile("db\\.(t2|t3|t4g|m5|m6g|m6i|m7g|r5|r6g|r6i|r7g)\\.[a-z0-9]+");
    private static final Set<String> SIZES = Set.of("micro", "small", "medium", "large", "xlarge", "2xlarge",
            "4xlarge", "8xlarge");

    private EngineCatalog() {
    }

    static Version version(String v) {
        return VERSIONS.stream().filter(x -> x.version().equals(v)).findFirst().orElse(null);
    }

    /** Is this class orderable for this engine version? */
    static boolean orderable(String version, String cls) {
        if (cls == null || !CLASS.matcher(cls).matches()) {
            return false;
        }
        String size = cls.substring(cls.lastIndexOf('.') + 1);
        if (!SIZES.contains(size)) {
            return false;
        }
        boolean burstable = cls.startsWith("db.t");
        if (!burstable && (size.equals("micro") || size.equals("small") || size.equals("medium"))) {
            return false;
        }
        return !(cls.startsWith("db.t2.") && version.startsWith("8.4"));
    }

    /** Refuses a restore (or create) whose class, parameter group or option group does not fit the version. */
    static void checkFits(String version, String cls, RdsBackend.ParameterGroup pg, RdsBackend.OptionGroup og,
            String storageType, Integer iops) {
        Version v = version(version);
        if (v == null) {
            return;
        }
        if (!orderable(version, cls)) {
            throw RdsApiException.invalidParameterCombination("RDS does not support creating a DB instance with the"
                    + " following combination: DBInstanceClass=" + cls + ", Engine=mysql, EngineVersion=" + version
                    + ", LicenseModel=general-public-license. For supported combinations of instance class and"
                    + " database engine version, see the documentation.");
        }
        if (pg != null && !v.family().equals(pg.family())) {
            throw RdsApiException.invalidParameterCombination("The parameter group " + pg.name() + " with"
                    + " DBParameterGroupFamily " + pg.family() + " can't be used for this instance. Use a parameter"
                    + " group with DBParameterGroupFamily " + v.family() + ".");
        }
        if (og != null && (!RdsBackend.ENGINE.equals(og.engine()) || !v.major().equals(og.major()))) {
            throw RdsApiException.invalidParameterCombination("The option group " + og.name() + " is for engine "
                    + og.engine() + " " + og.major() + " and cannot be used with " + RdsBackend.ENGINE + " " + version
                    + ".");
        }
        // io1/io2 need provisioned Iops (API reference, Iops)
        if (storageType != null && (storageType.equals("io1") || storageType.equals("io2")) && iops == null) {
            throw RdsApiException.invalidParameterCombination("Specifying the IOPS value is required for storage"
                    + " type " + storageType + ".");
        }
    }

    /** DescribeDBEngineVersions: Engine, EngineVersion, DBParameterGroupFamily filters; unknown versions: none. */
    static String describeVersions(Params p) {
        String engine = p.str("Engine");
        String version = p.str("EngineVersion");
        String family = p.str("DBParameterGroupFamily");
        Xml x = new Xml().open("DBEngineVersions");
        if (engine == null || RdsBackend.ENGINE.equalsIgnoreCase(engine)) {
            for (Version v : VERSIONS) {
                if ((version == null || v.version().equals(version)) && (family == null
                        || v.family().equalsIgnoreCase(family))) {
                    x.open("DBEngineVersion")
                            .el("Engine", RdsBackend.ENGINE)
                            .el("EngineVersion", v.version())
                            .el("MajorEngineVersion", v.major())
                            .el("DBParameterGroupFamily", v.family())
                            .el("DBEngineDescription", "MySQL Community Edition")
                            .el("DBEngineVersionDescription", "MySQL " + v.version())
                            .el("Status", "available")
                            .close("DBEngineVersion");
                }
            }
        }
        return x.close("DBEngineVersions").toString();
    }

    /** DescribeOrderableDBInstanceOptions: one option per class and storage type (Engine required). */
    static String describeOrderable(Params p, RdsBackend backend) {
        String engine = p.required("Engine");
        String version = p.str("EngineVersion");
        String cls = p.str("DBInstanceClass");
        List<String[]> rows = new ArrayList<>();
        if (RdsBackend.ENGINE.equalsIgnoreCase(engine)) {
            List<String> classes = new ArrayList<>();
            if (cls != null) {
                classes.add(cls.toLowerCase(Locale.ROOT));
            } else {
                for (String fam : List.of("t3", "m5", "r5")) {
                    for (String size : List.of("micro", "small", "medium", "large", "xlarge")) {
                        classes.add("db." + fam + "." + size);
                    }
                }
            }
            for (Version v : VERSIONS) {
                if (version != null && !v.version().equals(version)) {
                    continue;
                }
                for (String c : classes) {
                    if (orderable(v.version(), c)) {
                        for (String st : STORAGE_TYPES) {
                            rows.add(new String[] {v.version(), c, st});
                        }
                    }
                }
            }
        }
        String[] marker = new String[1];
        rows = backend.pageOf(rows, p, marker);
        Xml x = new Xml().open("OrderableDBInstanceOptions");
        for (String[] r : rows) {
            boolean provisioned = !r[2].equals("gp2") && !r[2].equals("standard");
            x.open("OrderableDBInstanceOption")
                    .el("Engine", RdsBackend.ENGINE)
                    .el("EngineVersion", r[0])
                    .el("DBInstanceClass", r[1])
                    .el("LicenseModel", "general-public-license")
                    .el("StorageType", r[2])
                    .el("MultiAZCapable", true)
                    .el("ReadReplicaCapable", true)
                    .el("Vpc", true)
                    .el("SupportsIops", provisioned)
                    .el("SupportsStorageThroughput", r[2].equals("gp3"))
                    .el("SupportsIAMDatabaseAuthentication", true)
                    .el("SupportsPerformanceInsights", !r[1].startsWith("db.t2."))
                    .el("SupportsEnhancedMonitoring", true)
                    .el("SupportsStorageAutoscaling", true)
                    .close("OrderableDBInstanceOption");
        }
        return x.close("OrderableDBInstanceOptions").el("Marker", marker[0]).toString();
    }
}
