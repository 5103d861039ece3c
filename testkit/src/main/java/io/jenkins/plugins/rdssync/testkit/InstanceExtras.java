package io.jenkins.plugins.rdssync.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings of a DB instance beyond class, network and groups: storage performance, authentication, logging,
 * monitoring, windows, the Secrets Manager master secret, and cluster/replica membership. Which the restore call
 * takes ({@link #fromRestore}) and which only ModifyDBInstance takes ({@link #fromModify}) follows the API reference
 * of RestoreDBInstanceFromDBSnapshot and ModifyDBInstance (shared/RDS-FACTS.md, "Restores").
 */
final class InstanceExtras {
    private static final Pattern WINDOW = Pattern.compile("\\d\\d:\\d\\d-\\d\\d:\\d\\d");
    private static final Pattern MAINTENANCE = Pattern.compile("(mon|tue|wed|thu|fri|sat|sun):\\d\\d:\\d\\d-"
            + "(mon|tue|wed|thu|fri|sat|sun):\\d\\d:\\d\\d");
    private static final Set<Integer> MONITORING_INTERVALS = Set.of(0, 1, 5, 10, 15, 30, 60);
    private static final Set<String> LOG_TYPES = Set.of("audit", "error", "general", "slowquery", "iam-db-auth-error");

    Integer storageThroughput;
    Integer maxAllocatedStorage;
    boolean iamAuth;
    List<String> logExports = new ArrayList<>();
    String caCertificate = "rds-ca-rsa2048-g1";
    boolean autoMinorVersionUpgrade = true;
    String networkType = "IPV4";
    int monitoringInterval;
    String monitoringRoleArn;
    boolean performanceInsights;
    String performanceInsightsKmsKeyId;
    Integer performanceInsightsRetention;
    String maintenanceWindow = "sun:05:00-sun:05:30";
    String backupWindow = "03:00-03:30";
    /** Set while the master password is managed in Secrets Manager. */
    String secretArn;
    String secretKmsKeyId;
    String clusterId;
    String replicaSource;
    final List<String> replicas = new ArrayList<>();
    /** Reported engine (e.g. aurora-mysql for a test of that refusal); null: mysql. */
    String engine;

    /** What RestoreDBInstanceFromDBSnapshot accepts beyond the backend's own parameters. */
    void fromRestore(Params p) {
        storageThroughput = p.integer("StorageThroughput");
        iamAuth = p.bool("EnableIAMDatabaseAuthentication", false);
        logExports = logTypes(p.list("EnableCloudwatchLogsExports"));
        if (p.str("CACertificateIdentifier") != null) {
            caCertificate = p.str("CACertificateIdentifier");
        }
        autoMinorVersionUpgrade = p.bool("AutoMinorVersionUpgrade", true);
        networkType = networkType(p.str("NetworkType"), "IPV4");
        if (p.str("PreferredBackupWindow") != null) {
            backupWindow = window(p.str("PreferredBackupWindow"));
        }
        // Secrets Manager management at restore: "Applies to RDS for Oracle only" (API reference, restore)
        if (Boolean.TRUE.equals(p.bool("ManageMasterUserPassword"))) {
            throw RdsApiException.invalidParameterCombination("ManageMasterUserPassword is not supported for this"
                    + " engine when restoring from a DB snapshot.");
        }
    }

    /** What ModifyDBInstance changes of these (applied at once; the backend handles status and outages). */
    void fromModify(Params p) {
        if (p.integer("StorageThroughput") != null) {
            storageThroughput = p.integer("StorageThroughput");
        }
        if (p.integer("MaxAllocatedStorage") != null) {
            maxAllocatedStorage = p.integer("MaxAllocatedStorage");
        }
        if (p.bool("EnableIAMDatabaseAuthentication") != null) {
            iamAuth = p.bool("EnableIAMDatabaseAuthentication");
        }
        List<String> enable = p.list("CloudwatchLogsExportConfiguration.EnableLogTypes");
        List<String> disable = p.list("CloudwatchLogsExportConfiguration.DisableLogTypes");
        if (!enable.isEmpty() || !disable.isEmpty()) {
            List<String> now = new ArrayList<>(logExports);
            now.removeAll(disable);
            for (String t : logTypes(enable)) {
                if (!now.contains(t)) {
                    now.add(t);
                }
            }
            logExports = now;
        }
        if (p.str("CACertificateIdentifier") != null) {
            caCertificate = p.str("CACertificateIdentifier");
        }
        if (p.bool("AutoMinorVersionUpgrade") != null) {
            autoMinorVersionUpgrade = p.bool("AutoMinorVersionUpgrade");
        }
        if (p.str("NetworkType") != null) {
            networkType = networkType(p.str("NetworkType"), networkType);
        }
        Integer interval = p.integer("MonitoringInterval");
        String role = p.str("MonitoringRoleArn");
        if (interval != null) {
            if (!MONITORING_INTERVALS.contains(interval)) {
                throw RdsApiException.invalidParameterValue("Invalid MonitoringInterval " + interval
                        + ". Valid values: 0, 1, 5, 10, 15, 30, 60.");
            }
            // a MonitoringInterval other than 0 needs a MonitoringRoleArn (API reference, MonitoringRoleArn)
            if (interval > 0 && role == null && monitoringRoleArn == null) {
                throw RdsApiException.invalidParameterCombination("A MonitoringRoleARN value is required if you"
                        + " specify a MonitoringInterval value other than 0.");
            }
            monitoringInterval = interval;
            if (interval == 0) {
                monitoringRoleArn = null;
            }
        }
        if (role != null) {
            monitoringRoleArn = role;
        }
        Boolean pi = p.bool("EnablePerformanceInsights");
        if (pi != null) {
            performanceInsights = pi;
            performanceInsightsKmsKeyId = pi ? p.str("PerformanceInsightsKMSKeyId") : null;
            performanceInsightsRetention = pi ? (p.integer("PerformanceInsightsRetentionPeriod") == null ? 7
                    : p.integer("PerformanceInsightsRetentionPeriod")) : null;
        }
        if (p.str("PreferredMaintenanceWindow") != null) {
            String w = p.str("PreferredMaintenanceWindow").toLowerCase(java.util.Locale.ROOT);
            if (!MAINTENANCE.matcher(w).matches()) {
                throw RdsApiException.invalidParameterValue("Invalid PreferredMaintenanceWindow " + w
                        + "; the format is ddd:hh24:mi-ddd:hh24:mi.");
            }
            maintenanceWindow = w;
        }
        if (p.str("PreferredBackupWindow") != null) {
            backupWindow = window(p.str("PreferredBackupWindow"));
        }
    }

    private static String window(String w) {
        if (!WINDOW.matcher(w).matches()) {
            throw RdsApiException.invalidParameterValue("Invalid PreferredBackupWindow " + w
                    + "; the format is hh24:mi-hh24:mi.");
        }
        return w;
    }

    private static String networkType(String t, String dflt) {
        if (t == null) {
            return dflt;
        }
        if (!t.equals("IPV4") && !t.equals("DUAL")) {
            throw RdsApiException.invalidParameterValue("Invalid NetworkType " + t + ". Valid values: IPV4, DUAL.");
        }
        return t;
    }

    private static List<String> logTypes(List<String> types) {
        for (String t : types) {
            if (!LOG_TYPES.contains(t)) {
                throw RdsApiException.invalidParameterValue("Invalid log type " + t + " for engine mysql.");
            }
        }
        return new ArrayList<>(types);
    }

    /** The DBInstance elements for these settings. */
    void write(Xml x) {
        x.el("PreferredBackupWindow", backupWindow)
                .el("PreferredMaintenanceWindow", maintenanceWindow)
                .el("AutoMinorVersionUpgrade", autoMinorVersionUpgrade)
                .el("CACertificateIdentifier", caCertificate)
                .el("MonitoringInterval", monitoringInterval)
                .el("MonitoringRoleArn", monitoringRoleArn)
                .el("IAMDatabaseAuthenticationEnabled", iamAuth)
                .el("PerformanceInsightsEnabled", performanceInsights)
                .el("PerformanceInsightsKMSKeyId", performanceInsightsKmsKeyId)
                .el("PerformanceInsightsRetentionPeriod", performanceInsightsRetention)
                .el("NetworkType", networkType)
                .el("StorageThroughput", storageThroughput)
                .el("MaxAllocatedStorage", maxAllocatedStorage)
                .el("DBClusterIdentifier", clusterId)
                .el("ReadReplicaSourceDBInstanceIdentifier", replicaSource);
        x.open("EnabledCloudwatchLogsExports");
        for (String t : logExports) {
            x.el("member", t);
        }
        x.close("EnabledCloudwatchLogsExports");
        x.open("ReadReplicaDBInstanceIdentifiers");
        for (String r : replicas) {
            x.el("ReadReplicaDBInstanceIdentifier", r);
        }
        x.close("ReadReplicaDBInstanceIdentifiers");
        if (secretArn != null) {
            x.open("MasterUserSecret").el("SecretArn", secretArn).el("SecretStatus", "active")
                    .el("KmsKeyId", secretKmsKeyId).close("MasterUserSecret");
        }
    }
}
