package io.jenkins.plugins.rdssync.core.aws;

import java.util.List;

/**
 * The settings of an instance that a sync carries over to its replacement, beyond the network and group settings in
 * {@link InstanceInfo}: the target's own choices, which a restore would otherwise take from the snapshot (that is,
 * from production) or from RDS defaults. Null means "not known" (an older journal): RDS's default is then used.
 * <p>
 * Which of them the restore call accepts and which need a ModifyDBInstance afterwards is decided in one place,
 * {@link RestoreRequest} and {@link ModifyRequest}: RestoreDBInstanceFromDBSnapshot takes Iops, StorageThroughput,
 * EnableIAMDatabaseAuthentication, EnableCloudwatchLogsExports, CopyTagsToSnapshot, CACertificateIdentifier,
 * AutoMinorVersionUpgrade, NetworkType and PreferredBackupWindow (API reference; SDK 2.42 and later); max allocated
 * storage, enhanced monitoring, Performance Insights and the maintenance window only ModifyDBInstance takes.
 *
 * @param masterUserSecretKmsKeyId set when the master password is managed in Secrets Manager (the secret's KMS key)
 */
public record CarriedSettings(Integer iops, Integer storageThroughput, Integer maxAllocatedStorage,
        Boolean iamDatabaseAuthentication, List<String> cloudwatchLogsExports, Boolean copyTagsToSnapshot,
        String caCertificate, Boolean autoMinorVersionUpgrade, String networkType, Integer monitoringInterval,
        String monitoringRoleArn, Boolean performanceInsights, String performanceInsightsKmsKeyId,
        Integer performanceInsightsRetention, String maintenanceWindow, String backupWindow,
        String masterUserSecretKmsKeyId) {

    public static final CarriedSettings NONE = new CarriedSettings(null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null);

    public CarriedSettings {
        cloudwatchLogsExports = cloudwatchLogsExports == null ? null : List.copyOf(cloudwatchLogsExports);
    }

    /** Is the master password managed by RDS in Secrets Manager? */
    public boolean managedMasterPassword() {
        return masterUserSecretKmsKeyId != null;
    }
}
