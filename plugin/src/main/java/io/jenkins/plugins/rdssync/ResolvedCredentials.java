package io.jenkins.plugins.rdssync;

import io.jenkins.plugins.rdssync.core.spec.Secret;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The plain values of the Jenkins credentials a sync uses, resolved on the controller and sent with the agent
 * callable. Only ever held in memory and on the remoting channel: never a field of anything that Jenkins saves
 * (the step execution re-resolves them after a restart), and {@link #toString()} shows no value.
 *
 * <p>All AWS values {@code null} means "use the AWS SDK default credential chain on the machine that runs the sync".
 */
public final class ResolvedCredentials implements Serializable {
    private static final long serialVersionUID = 1L;

    static final ResolvedCredentials NONE = new ResolvedCredentials(null, null, null, null, null);

    private final String awsAccessKeyId;
    private final String awsSecretAccessKey;
    private final String awsSessionToken;
    private final String mysqlUser;
    private final String mysqlPassword;
    /** The "IAM Role To Use" of AWS Credentials, assumed by the engine (not secret). */
    private final String awsRoleArn;
    private final String awsExternalId;

    ResolvedCredentials(String awsAccessKeyId, String awsSecretAccessKey, String awsSessionToken, String mysqlUser,
            String mysqlPassword) {
        this(awsAccessKeyId, awsSecretAccessKey, awsSessionToken, mysqlUser, mysqlPassword, null, null);
    }

    private ResolvedCredentials(String awsAccessKeyId, String awsSecretAccessKey, String awsSessionToken,
            String mysqlUser, String mysqlPassword, String awsRoleArn, String awsExternalId) {
        this.awsAccessKeyId = awsAccessKeyId;
        this.awsSecretAccessKey = awsSecretAccessKey;
        this.awsSessionToken = awsSessionToken;
        this.mysqlUser = mysqlUser;
        this.mysqlPassword = mysqlPassword;
        this.awsRoleArn = awsRoleArn;
        this.awsExternalId = awsExternalId;
    }

    ResolvedCredentials withAws(String keyId, String secretKey, String sessionToken) {
        return new ResolvedCredentials(keyId, secretKey, sessionToken, mysqlUser, mysqlPassword, null, null);
    }

    /** The role the engine assumes with the AWS keys (only when the sync names no {@code roleArn} itself). */
    ResolvedCredentials withRole(String roleArn, String externalId) {
        return new ResolvedCredentials(awsAccessKeyId, awsSecretAccessKey, awsSessionToken, mysqlUser, mysqlPassword,
                roleArn, externalId);
    }

    ResolvedCredentials withMysql(String user, String password) {
        return new ResolvedCredentials(awsAccessKeyId, awsSecretAccessKey, awsSessionToken, user, password,
                awsRoleArn, awsExternalId);
    }

    /** Puts the values on a core spec builder (after the settings, whose {@code roleArn} is then unset). */
    void applyTo(SyncSpec.Builder b) {
        b.awsCredentials(awsAccessKeyId, Secret.of(awsSecretAccessKey), Secret.of(awsSessionToken));
        b.mysqlUser(mysqlUser).mysqlPassword(Secret.of(mysqlPassword));
        if (awsRoleArn != null) {
            b.roleArn(awsRoleArn).externalId(awsExternalId);
        }
    }

    /** Values the build log must never show. The access key id is not secret, but is masked too (it identifies an account). */
    List<String> valuesToMask() {
        List<String> v = new ArrayList<>();
        for (String s : new String[] {awsSecretAccessKey, awsSessionToken, mysqlPassword, awsAccessKeyId}) {
            if (s != null && !s.isEmpty()) {
                v.add(s);
            }
        }
        return v;
    }

    String mysqlUser() {
        return mysqlUser;
    }

    String mysqlPassword() {
        return mysqlPassword;
    }

    @Override
    public String toString() {
        return "ResolvedCredentials{aws=" + (awsAccessKeyId != null ? "static keys" : "default chain")
                + (awsSessionToken != null ? " with session token" : "") + (awsRoleArn != null ? " then " + awsRoleArn : "")
                + ", mysqlUser=" + mysqlUser + "}";
    }
}
