package io.jenkins.plugins.rdssync.testkit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The two STS Query API actions (version 2011-06-15) the engine and the SDK's credential providers use:
 * GetCallerIdentity (who the access key belongs to) and AssumeRole (a role's temporary credentials, whose access key
 * then belongs to the role's account). Responses and errors as in the STS API Reference.
 */
final class StsApi {
    static final String NS = "https://sts.amazonaws.com/doc/2011-06-15/";

    private final AwsAccounts accounts;

    StsApi(AwsAccounts accounts) {
        this.accounts = accounts;
    }

    /** The XML inside {@code <ActionResult>}. */
    String dispatch(AwsAccounts.Caller caller, String action, Params p) {
        switch (action) {
            case "GetCallerIdentity":
                // STS API Reference, GetCallerIdentity: Account, Arn, UserId; no permission is needed
                return new Xml().el("Arn", caller.principalArn())
                        .el("UserId", caller.accessKeyId() == null ? "AIDAEMULATOR" : caller.accessKeyId())
                        .el("Account", caller.accountId()).toString();
            case "AssumeRole":
                return assumeRole(caller, p);
            default:
                throw new RdsApiException(400, "InvalidAction", "Could not find operation " + action
                        + " for version 2011-06-15");
        }
    }

    /**
     * STS API Reference, AssumeRole: the role's trust policy must let the caller's account assume it, and name the
     * ExternalId when it requires one; otherwise AccessDenied (HTTP 403) "User: ... is not authorized to perform:
     * sts:AssumeRole on resource: ...". RoleSessionName is 2–64 characters of {@code [\w+=,.@-]}.
     */
    private String assumeRole(AwsAccounts.Caller caller, Params p) {
        String roleArn = p.required("RoleArn");
        String session = p.required("RoleSessionName");
        if (!session.matches("[\\w+=,.@-]{2,64}")) {
            throw new RdsApiException(400, "ValidationError", "1 validation error detected: Value '" + session
                    + "' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression"
                    + " pattern: [\\w+=,.@-]*");
        }
        Integer seconds = p.integer("DurationSeconds");
        AwsAccounts.Role role = accounts.roleByArn(roleArn);
        String externalId = p.str("ExternalId");
        if (role == null || !role.trustedAccounts().contains(caller.accountId())
                || (role.externalId() != null && !role.externalId().equals(externalId))) {
            throw new RdsApiException(403, "AccessDenied", "User: " + caller.principalArn()
                    + " is not authorized to perform: sts:AssumeRole on resource: " + roleArn);
        }
        String[] keys = accounts.issueSessionKeys(role, session);
        Instant expires = Instant.now().plus(seconds == null ? 3600 : seconds, ChronoUnit.SECONDS)
                .truncatedTo(ChronoUnit.SECONDS);
        String roleName = roleArn.substring(roleArn.indexOf(":role/") + 6);
        return new Xml().open("Credentials")
                .el("AccessKeyId", keys[0]).el("SecretAccessKey", keys[1]).el("SessionToken", keys[2])
                .el("Expiration", expires.toString())
                .close("Credentials")
                .open("AssumedRoleUser")
                .el("AssumedRoleId", "AROAEMULATOR:" + session)
                .el("Arn", "arn:aws:sts::" + role.accountId() + ":assumed-role/" + roleName + "/" + session)
                .close("AssumedRoleUser")
                .toString();
    }
}
