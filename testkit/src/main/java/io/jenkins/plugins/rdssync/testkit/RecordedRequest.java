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
 */
public record RecordedRequest(Instant time, String action, Map<String, String> parameters, int httpStatus,
                              String errorCode) {

    /** Everything but {@code Describe*} and {@code List*}. */
    public boolean isMutating() {
        return action != null && !action.startsWith("Describe") && !action.startsWith("List");
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
