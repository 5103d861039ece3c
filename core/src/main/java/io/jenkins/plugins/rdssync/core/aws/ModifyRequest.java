package io.jenkins.plugins.rdssync.core.aws;

import java.util.ArrayList;
import java.util.List;

/**
 * One ModifyDBInstance call with ApplyImmediately, naming only what changes (null leaves a setting alone), so that a
 * call reads {@code ModifyRequest.of(id).deletionProtection(false)} instead of a row of nulls. {@link #describe()}
 * lists the changes for the log, with the password as {@code ****}.
 */
public final class ModifyRequest {
    final String instanceId;
    String masterPassword;
    Boolean manageMasterPassword;
    String masterUserSecretKmsKeyId;
    Integer backupRetention;
    String backupWindow;
    Boolean deletionProtection;
    Integer maxAllocatedStorage;
    Integer monitoringInterval;
    String monitoringRoleArn;
    Boolean performanceInsights;
    String performanceInsightsKmsKeyId;
    Integer performanceInsightsRetention;
    String maintenanceWindow;

    private ModifyRequest(String instanceId) {
        this.instanceId = instanceId;
    }

    public static ModifyRequest of(String instanceId) {
        return new ModifyRequest(instanceId);
    }

    public String instanceId() {
        return instanceId;
    }

    public ModifyRequest masterPassword(String password) {
        this.masterPassword = password;
        return this;
    }

    /** Turns on Secrets Manager management of the master password (RDS then makes a new secret). */
    public ModifyRequest manageMasterPassword(String kmsKeyId) {
        this.manageMasterPassword = true;
        this.masterUserSecretKmsKeyId = kmsKeyId;
        return this;
    }

    public ModifyRequest backupRetention(Integer days) {
        this.backupRetention = days;
        return this;
    }

    public ModifyRequest backupWindow(String window) {
        this.backupWindow = window;
        return this;
    }

    public ModifyRequest deletionProtection(Boolean on) {
        this.deletionProtection = on;
        return this;
    }

    public ModifyRequest maxAllocatedStorage(Integer gib) {
        this.maxAllocatedStorage = gib;
        return this;
    }

    public ModifyRequest monitoring(Integer intervalSeconds, String roleArn) {
        this.monitoringInterval = intervalSeconds;
        this.monitoringRoleArn = roleArn;
        return this;
    }

    public ModifyRequest performanceInsights(Boolean on, String kmsKeyId, Integer retentionDays) {
        this.performanceInsights = on;
        this.performanceInsightsKmsKeyId = kmsKeyId;
        this.performanceInsightsRetention = retentionDays;
        return this;
    }

    public ModifyRequest maintenanceWindow(String window) {
        this.maintenanceWindow = window;
        return this;
    }

    /** Only the master password changes (RDS shows resetting-master-credentials, not modifying). */
    public boolean onlyPassword() {
        return masterPassword != null && describe().size() == 1;
    }

    public boolean isEmpty() {
        return describe().isEmpty();
    }

    /** The changes in words; the password is never shown. */
    public List<String> describe() {
        List<String> what = new ArrayList<>();
        if (masterPassword != null) {
            what.add("master password ****");
        }
        if (Boolean.TRUE.equals(manageMasterPassword)) {
            what.add("master password managed in Secrets Manager"
                    + (masterUserSecretKmsKeyId == null ? "" : " (KMS key " + masterUserSecretKmsKeyId + ")"));
        }
        if (backupRetention != null) {
            what.add("backup retention " + backupRetention + " days");
        }
        if (backupWindow != null) {
            what.add("backup window " + backupWindow);
        }
        if (deletionProtection != null) {
            what.add("deletion protection " + (deletionProtection ? "on" : "off"));
        }
        if (maxAllocatedStorage != null) {
            what.add("max allocated storage " + maxAllocatedStorage + " GiB");
        }
        if (monitoringInterval != null) {
            what.add("enhanced monitoring every " + monitoringInterval + " s"
                    + (monitoringRoleArn == null ? "" : " (role " + monitoringRoleArn + ")"));
        }
        if (performanceInsights != null) {
            what.add("Performance Insights " + (performanceInsights ? "on" : "off")
                    + (performanceInsightsRetention == null ? "" : ", " + performanceInsightsRetention + " days"));
        }
        if (maintenanceWindow != null) {
            what.add("maintenance window " + maintenanceWindow);
        }
        return what;
    }
}
