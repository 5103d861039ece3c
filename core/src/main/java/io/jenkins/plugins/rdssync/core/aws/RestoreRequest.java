package io.jenkins.plugins.rdssync.core.aws;

import java.util.List;
import java.util.Map;

/**
 * The settings of one RestoreDBInstanceFromDBSnapshot call; null means "RDS default" (for most settings: the
 * snapshot's). {@code carried} holds the target's further settings; the gateway passes those the restore call
 * accepts (see {@link CarriedSettings}).
 *
 * @param backupRetention days of automated backups the restored instance starts with; 0 avoids the baseline backup
 *        RDS takes right after a restore with backups on
 * @param allocatedStorage more storage than the snapshot's (the target's), else null
 */
public record RestoreRequest(String instanceId, String snapshotId, String instanceClass, String subnetGroup,
        String availabilityZone, List<String> securityGroups, String parameterGroup, String optionGroup, Integer port,
        String storageType, Boolean multiAz, Boolean publiclyAccessible, Map<String, String> tags,
        Boolean deletionProtection, Integer backupRetention, Integer allocatedStorage, CarriedSettings carried) {

    public RestoreRequest {
        carried = carried == null ? CarriedSettings.NONE : carried;
    }
}
