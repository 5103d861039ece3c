package io.jenkins.plugins.rdssync.testkit;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * One Query API request as the emulator received it.
 *
 * @param time when it arrived
 * @param action the {@code Action} parameter
 * @param parameters every parameter, in arrival order; values of {@code *Password} parameters are {@code ****}
 * @param httpStatus the status the emulator answered with
 * @param errorCode the error code answered (e.g. {@code Throttling}), or null on success
 * @param service the AWS service the request was signed for: {@code rds}, {@code sts} or {@code kms}
 * @param accountId the AWS account of the caller's access key (the emulator's default account for keys it does not
 *        know)
 * @param principalArn the caller: an IAM user of that account, or an assumed role's session
 * @param accessKeyId the access key id the request was signed with (null when unsigned): tells a test's own set-up
 *        calls from the engine's
 */
public record RecordedRequest(Instant time, String action, Map<String, String> parameters, int httpStatus,
                              String errorCode, String service, String accountId, String principalArn,
                              String accessKeyId) {

    /** An RDS request of the default account (as recorded before the emulator modelled accounts). */
    public RecordedRequest(Instant time, String action, Map<String, String> parameters, int httpStatus,
                           String errorCode) {
        this(time, action, parameters, httpStatus, errorCode, "rds", null, null, null);
    }

    /** An RDS action that changes something: everything but {@code Describe*} and {@code List*} (STS and KMS calls never). */
    public boolean isMutating() {
        return action != null && "rds".equals(service) && !action.startsWith("Describe") && !action.startsWith("List");
    }

    /** Whether any parameter value is this identifier, or an ARN ending in {@code :db:id} or {@code :snapshot:id}. */
    public boolean names(String id) {
        String want = id.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            if (e.getKey().equals("Action") || e.getKey().equals("Version")) {
                continue;
            }
            String v = e.getValue().toLowerCase(Locale.ROOT);
            if (v.equals(want) || v.endsWith(":db:" + want) || v.endsWith(":snapshot:" + want)) {
                return true;
            }
        }
        return false;
    }

    /** A parameter's value, or null. */
    public String param(String name) {
        return parameters.get(name);
    }

    /** Whether the emulator answered with success. */
    public boolean succeeded() {
        return errorCode == null;
    }
}
