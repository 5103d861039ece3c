package io.jenkins.plugins.rdssync.core.aws;

import java.util.List;
import java.util.Map;

/** The settings of one RestoreDBInstanceFromDBSnapshot call; null means "RDS default". */
public record RestoreRequest(String instanceId, String snapshotId, String instanceClass, String subnetGroup,
        String availabilityZone, List<String> securityGroups, String parameterGroup, String optionGroup, Integer port,
        String storageType, Boolean multiAz, Boolean publiclyAccessible, Map<String, String> tags,
        Boolean deletionProtection) {
}
