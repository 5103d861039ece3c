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
 * The source side's values ({@code sourceAwsCredentialsId}, production in another account) are kept apart: all
 * {@code null} means the source side uses the target side's credentials (then {@code sourceRoleArn}).
 */
public final class ResolvedCredentials implements Serializable {
    private static final long serialVersionUID = 2L;

    static final ResolvedCredentials NONE = new ResolvedCredentials(Keys.NONE, Keys.NONE, null, null);

    /** One side's AWS keys, and the "IAM Role To Use" of its AWS Credentials that the engine assumes (not secret). */
    record Keys(String accessKeyId, String secretAccessKey, String sessionToken, String roleArn, String externalId)
            implements Serializable {
        static final Keys NONE = new Keys(null, null, null, null, null);
    }

    private final Keys aws;
    private final Keys sourceAws;
    private final String mysqlUser;
    private final String mysqlPassword;

    ResolvedCredentials(String awsAccessKeyId, String awsSecretAccessKey, String awsSessionToken, String mysqlUser,
            String mysqlPassword) {
        this(new Keys(awsAccessKeyId, awsSecretAccessKey, awsSessionToken, null, null), Keys.NONE, mysqlUser,
                mysqlPassword);
    }

    private ResolvedCredentials(Keys aws, Keys sourceAws, String mysqlUser, String mysqlPassword) {
        this.aws = aws;
        this.sourceAws = sourceAws;
        this.mysqlUser = mysqlUser;
        this.mysqlPassword = mysqlPassword;
    }

    ResolvedCredentials withAws(String keyId, String secretKey, String sessionToken) {
        return new ResolvedCredentials(new Keys(keyId, secretKey, sessionToken, null, null), sourceAws, mysqlUser,
                mysqlPassword);
    }

    /** The role the engine assumes with the AWS keys (only when the sync names no {@code roleArn} itself). */
    ResolvedCredentials withRole(String roleArn, String externalId) {
        return new ResolvedCredentials(new Keys(aws.accessKeyId(), aws.secretAccessKey(), aws.sessionToken(), roleArn,
                externalId), sourceAws, mysqlUser, mysqlPassword);
    }

    /** The source side's own keys (and the role of its AWS Credentials, when the sync names no sourceRoleArn). */
    ResolvedCredentials withSourceAws(Keys keys) {
        return new ResolvedCredentials(aws, keys, mysqlUser, mysqlPassword);
    }

    /** The target side's keys as {@link #withAws}/{@link #withRole} set them. */
    Keys aws() {
        return aws;
    }

    ResolvedCredentials withMysql(String user, String password) {
        return new ResolvedCredentials(aws, sourceAws, user, password);
    }

    /** Puts the values on a core spec builder (after the settings, whose {@code roleArn} is then unset). */
    void applyTo(SyncSpec.Builder b) {
        b.awsCredentials(aws.accessKeyId(), Secret.of(aws.secretAccessKey()), Secret.of(aws.sessionToken()));
        b.mysqlUser(mysqlUser).mysqlPassword(Secret.of(mysqlPassword));
        if (aws.roleArn() != null) {
            b.roleArn(aws.roleArn()).externalId(aws.externalId());
        }
        if (sourceAws.accessKeyId() != null) {
            b.sourceAwsCredentials(sourceAws.accessKeyId(), Secret.of(sourceAws.secretAccessKey()),
                    Secret.of(sourceAws.sessionToken()));
        }
        if (sourceAws.roleArn() != null) {
            b.sourceRoleArn(sourceAws.roleArn()).sourceExternalId(sourceAws.externalId());
        }
    }

    /** Values the build log must never show. Access key ids are not secret, but are masked too (they name accounts). */
    List<String> valuesToMask() {
        List<String> v = new ArrayList<>();
        for (String s : new String[] {aws.secretAccessKey(), aws.sessionToken(), sourceAws.secretAccessKey(),
                sourceAws.sessionToken(), mysqlPassword, aws.accessKeyId(), sourceAws.accessKeyId()}) {
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
        return "ResolvedCredentials{aws=" + describe(aws) + (sourceAws.accessKeyId() != null
                || sourceAws.roleArn() != null ? ", source=" + describe(sourceAws) : "")
                + ", mysqlUser=" + mysqlUser + "}";
    }

    private static String describe(Keys k) {
        return (k.accessKeyId() != null ? "static keys" : "default chain")
                + (k.sessionToken() != null ? " with session token" : "")
                + (k.roleArn() != null ? " then " + k.roleArn() : "");
    }
}
