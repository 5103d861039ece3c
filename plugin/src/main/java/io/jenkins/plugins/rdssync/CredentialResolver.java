package io.jenkins.plugins.rdssync;

import com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsImpl;
import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.AbortException;
import hudson.model.Run;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * Turns the credential ids of a sync into plain values, on the controller, in the context of the build
 * ({@link CredentialsProvider#findCredentialById}: the build's authentication decides what it may use, and the use is
 * recorded on the build). Expected failures (unknown id, a credential the build may not use, the wrong kind) are an
 * {@link AbortException} whose message names the field, as credentials-binding's {@code MultiBinding} does.
 */
final class CredentialResolver {

    private CredentialResolver() {
    }

    static ResolvedCredentials resolve(Run<?, ?> run, SyncSettings settings) throws AbortException {
        ResolvedCredentials r = ResolvedCredentials.NONE;
        String awsId = settings.getAwsCredentialsId();
        if (awsId != null) {
            r = aws(r, find(run, "awsCredentialsId", awsId), awsId, settings.getRoleArn() != null);
        }
        String sourceId = settings.getSourceAwsCredentialsId();
        if (sourceId != null) {
            r = r.withSourceAws(keys(find(run, "sourceAwsCredentialsId", sourceId), "sourceAwsCredentialsId",
                    sourceId, settings.getSourceRoleArn() != null));
        }
        String dbId = settings.getMysqlCredentialsId();
        if (dbId != null) {
            r = mysql(r, find(run, "mysqlCredentialsId", dbId), dbId);
        }
        return r;
    }

    /**
     * Adds the AWS keys of {@code c} (AWS Credentials, or username = key id and password = secret key).
     *
     * @param stepAssumesRole the sync's own {@code roleArn} is set
     */
    static ResolvedCredentials aws(ResolvedCredentials r, StandardCredentials c, String id, boolean stepAssumesRole)
            throws AbortException {
        ResolvedCredentials.Keys k = keys(c, "awsCredentialsId", id, stepAssumesRole);
        if (k == ResolvedCredentials.Keys.NONE) {
            // both keys blank and no role: the AWS SDK default chain where the sync runs
            return r;
        }
        ResolvedCredentials out = r.withAws(k.accessKeyId(), k.secretAccessKey(), k.sessionToken());
        return k.roleArn() == null ? out : out.withRole(k.roleArn(), k.externalId());
    }

    /**
     * One side's AWS keys from {@code c} (AWS Credentials, or username = key id and password = secret key); for the
     * target side ({@code awsCredentialsId}) or the source side ({@code sourceAwsCredentialsId}).
     *
     * @param stepAssumesRole the sync names this side's role itself ({@code roleArn} / {@code sourceRoleArn})
     * @return {@link ResolvedCredentials.Keys#NONE} for AWS Credentials with both keys blank and no role
     */
    static ResolvedCredentials.Keys keys(StandardCredentials c, String field, String id, boolean stepAssumesRole)
            throws AbortException {
        if (c instanceof AWSCredentialsImpl impl && !stepAssumesRole && hasText(impl.getIamRoleArn())
                && !hasText(impl.getIamMfaSerialNumber()) && hasText(impl.getAccessKey())) {
            // Keys plus "IAM Role To Use": the engine assumes that role itself and renews the session while it runs.
            // The session keys resolveCredentials() would give expire after the credentials' STS token duration (one
            // hour by default), and a sync of a large database runs longer.
            return new ResolvedCredentials.Keys(impl.getAccessKey(), impl.getSecretKey().getPlainText(), null,
                    impl.getIamRoleArn(), hasText(impl.getIamExternalId()) ? impl.getIamExternalId() : null);
        }
        if (c instanceof AmazonWebServicesCredentials aws) {
            AwsCredentials v;
            try {
                // with an IAM role configured in the credential this calls STS; never called on the CPS thread
                v = aws.resolveCredentials();
            } catch (RuntimeException e) {
                throw new AbortException(Messages.Credentials_AwsResolveFailed(field, id, e.getMessage()));
            }
            if (v == null) {
                return ResolvedCredentials.Keys.NONE;
            }
            String token = v instanceof AwsSessionCredentials s ? s.sessionToken() : null;
            return new ResolvedCredentials.Keys(v.accessKeyId(), v.secretAccessKey(), token, null, null);
        }
        if (c instanceof StandardUsernamePasswordCredentials up) {
            return new ResolvedCredentials.Keys(up.getUsername(), up.getPassword().getPlainText(), null, null, null);
        }
        throw new AbortException(Messages.Credentials_WrongType(field, id, typeOf(c),
                Messages.Credentials_AwsTypes()));
    }

    /** Adds the database user and password of {@code c} (username with password). */
    static ResolvedCredentials mysql(ResolvedCredentials r, StandardCredentials c, String id) throws AbortException {
        if (c instanceof StandardUsernamePasswordCredentials up) {
            return r.withMysql(up.getUsername(), up.getPassword().getPlainText());
        }
        throw new AbortException(Messages.Credentials_WrongType("mysqlCredentialsId", id, typeOf(c),
                Messages.Credentials_DbTypes()));
    }

    private static boolean hasText(String s) {
        return s != null && !s.isBlank();
    }

    private static StandardCredentials find(Run<?, ?> run, String field, String id) throws AbortException {
        StandardCredentials c = CredentialsProvider.findCredentialById(id, StandardCredentials.class, run);
        if (c == null) {
            throw new AbortException(Messages.Credentials_NotFound(field, id));
        }
        return c;
    }

    static String typeOf(StandardCredentials c) {
        try {
            return c.getDescriptor().getDisplayName();
        } catch (RuntimeException e) { // a credential type without a descriptor
            return c.getClass().getSimpleName();
        }
    }
}
