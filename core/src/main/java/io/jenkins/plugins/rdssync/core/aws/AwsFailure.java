package io.jenkins.plugins.rdssync.core.aws;

import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * An RDS call that failed after the SDK's retries, explained for the user: which call on which resource, what AWS
 * answered (error code, HTTP status, attempts) and, where one input is to blame, the field of the public interface
 * to fix ({@code awsCredentialsId}, {@code region}, {@code endpointUrl}). Every call of {@link RdsGateway} fails
 * with this, so no stage has to guess what a bare SDK exception meant.
 */
public final class AwsFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private static final Set<String> BAD_KEY = Set.of("InvalidClientTokenId", "UnrecognizedClientException",
            "SignatureDoesNotMatch", "IncompleteSignature", "AuthFailure", "InvalidAccessKeyId",
            "MissingAuthenticationToken");
    private static final Set<String> EXPIRED = Set.of("ExpiredToken", "ExpiredTokenException", "RequestExpired");
    private static final Set<String> DENIED = Set.of("AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
            "NotAuthorized", "UnauthorizedAccess");

    private final String action;
    private final String field;
    private final boolean retryable;
    private final String errorCode;

    private AwsFailure(String action, String field, String message, boolean retryable, String errorCode,
            Throwable cause) {
        super(message, cause);
        this.action = action;
        this.field = field;
        this.retryable = retryable;
        this.errorCode = errorCode;
    }

    /** The same failure, blaming an input of the public interface (e.g. the role that could not be assumed). */
    AwsFailure withField(String newField) {
        AwsFailure f = new AwsFailure(action, newField, getMessage(), retryable, errorCode, getCause());
        f.setStackTrace(getStackTrace());
        return f;
    }

    /** The RDS action, e.g. {@code RestoreDBInstanceFromDBSnapshot}. */
    public String action() {
        return action;
    }

    /** The field of the public interface to fix, or null when no input is to blame. */
    public String field() {
        return field;
    }

    /** Would the same call likely work later (throttling, a 5xx, a network error)? */
    public boolean retryable() {
        return retryable;
    }

    /** AWS's error code (e.g. {@code InternalFailure}), or null for a client-side failure. */
    public String errorCode() {
        return errorCode;
    }

    /**
     * @param action the RDS action
     * @param what the resource and, where it helps, what the call was for (e.g. "acc-new (rename to acc)")
     */
    static AwsFailure of(String action, String what, SdkException e) {
        return of(action, what, e, null);
    }

    /**
     * @param action the action: an RDS action ({@code CopyDBSnapshot}), or another service's as
     *        {@code service:Action} ({@code kms:DescribeKey})
     * @param policyLine when AWS denies the call: the statement of the shipped IAM policies that allows it and which
     *        identity needs it, e.g. "statement ShareTheSnapshot of docs/iam/cross-account-source.json, on the source
     *        side's role"; null for the generic advice
     */
    static AwsFailure of(String action, String what, SdkException e, String policyLine) {
        String call = action + (what == null || what.isEmpty() ? "" : " " + what);
        Integer n = e.numAttempts();
        String attempts = n != null && n > 1 ? " after " + n + " attempts" : "";
        if (e instanceof AwsServiceException a) {
            String code = a.awsErrorDetails() == null ? null : a.awsErrorDetails().errorCode();
            String awsMessage = a.awsErrorDetails() == null || a.awsErrorDetails().errorMessage() == null
                    ? String.valueOf(a.getMessage()) : a.awsErrorDetails().errorMessage();
            awsMessage = awsMessage.strip().replaceAll("\\.+$", "");
            String answer = "AWS " + code + " (HTTP " + a.statusCode() + ")" + attempts + ": " + awsMessage;
            if (code != null && BAD_KEY.contains(code)) {
                return new AwsFailure(action, "awsCredentialsId", call + " was refused, " + answer + ". AWS does not"
                        + " accept the access key: check awsCredentialsId (CLI: AWS_ACCESS_KEY_ID and"
                        + " AWS_SECRET_ACCESS_KEY, or the profile), that the key is active, and the region", false,
                        code, e);
            }
            if (code != null && EXPIRED.contains(code)) {
                return new AwsFailure(action, "awsCredentialsId", call + " was refused, " + answer + ". The session"
                        + " token has expired: renew the temporary credentials of awsCredentialsId (CLI:"
                        + " AWS_SESSION_TOKEN), or set roleArn so that rds-sync renews them itself", false, code, e);
            }
            if (code != null && DENIED.contains(code)) {
                String permission = action.contains(":") ? action : "rds:" + action;
                String fix = policyLine != null
                        ? "The policy line that allows it is missing: " + permission + " in " + policyLine
                        : "The IAM policy of the AWS identity does not allow " + permission + " on this resource: add"
                                + " it (docs/iam.md lists every action rds-sync needs)";
                return new AwsFailure(action, null, call + " was refused, " + answer + ". " + fix, false, code, e);
            }
            boolean throttled = a.isThrottlingException();
            boolean server = a.statusCode() >= 500;
            String why = throttled ? ". AWS kept throttling the call; another job may be calling RDS heavily"
                    : server ? ". AWS had a problem of its own (check the AWS Health Dashboard)" : "";
            return new AwsFailure(action, null, call + " failed, " + answer + why, throttled || server
                    || a.retryable(), code, e);
        }
        Throwable host = find(e, UnknownHostException.class);
        if (host != null) {
            return new AwsFailure(action, "region", call + " failed: cannot resolve the RDS endpoint '"
                    + host.getMessage() + "'. Check region (and endpointUrl, if set) and this agent's DNS", true,
                    null, e);
        }
        String text = String.valueOf(e.getMessage());
        if (e instanceof SdkClientException && text.toLowerCase(Locale.ROOT).contains("unable to load credentials")) {
            return new AwsFailure(action, "awsCredentialsId", call + " failed: no AWS credentials were found. Set"
                    + " awsCredentialsId (CLI: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or run"
                    + " where an instance or container role applies)", false, null, e);
        }
        return new AwsFailure(action, null, call + " failed: cannot reach AWS" + attempts + ": " + firstLine(text),
                true, null, e);
    }

    /**
     * Did the call fail while its credentials were being obtained, in STS (assuming {@code roleArn} or
     * {@code sourceRoleArn})? Then STS's answer is about the role, not about the call it was for.
     */
    static boolean fromSts(SdkException e) {
        return find(e, software.amazon.awssdk.services.sts.model.StsException.class) != null;
    }

    private static String firstLine(String s) {
        return s.lines().findFirst().orElse(s);
    }

    private static Throwable find(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return c;
            }
        }
        return null;
    }
}
