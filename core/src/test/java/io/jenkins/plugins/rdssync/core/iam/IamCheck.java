package io.jenkins.plugins.rdssync.core.iam;

import io.jenkins.plugins.rdssync.core.iam.RequiredPermissions.Permission;
import io.jenkins.plugins.rdssync.testkit.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a scenario's request log against the policies docs/iam/ ships for it: every request the engine made (the
 * emulator's log, retries included) must be allowed by the policies of the identity that made it, action and
 * resource ARN. A new call without its policy line fails every e2e test that makes it.
 */
public final class IamCheck {
    private IamCheck() {
    }

    /** The permissions that no policy of the scenario allows, one line each with the request that needed it. */
    public static List<String> denied(ScenarioPolicies policies, RequiredPermissions required,
                                      List<RecordedRequest> requests) {
        Set<String> out = new TreeSet<>();
        for (RecordedRequest r : requests) {
            List<IamPolicy> identity = policies.forAccount(r.accountId());
            for (Permission p : required.of(r)) {
                boolean denied = identity.stream().anyMatch(x -> x.denies(p.action(), p.resource()));
                boolean allowed = identity.stream().anyMatch(x -> x.allowing(p.action(), p.resource()).isPresent());
                if (denied || !allowed) {
                    out.add(p + " (" + r.action() + " in account " + r.accountId() + "; attached: "
                            + identity.stream().map(IamPolicy::file).toList() + ")");
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** Fails with every permission the scenario's policies lack. */
    public static void assertAllowed(ScenarioPolicies policies, RequiredPermissions required,
                                     List<RecordedRequest> requests) {
        List<String> missing = denied(policies, required, requests);
        // counted in the test reports: grep -ho '\[iam\] [0-9]* requests' core/target/surefire-reports/TEST-*.xml
        System.out.println("[iam] " + requests.size() + " requests checked, " + missing.size() + " not allowed");
        if (!missing.isEmpty()) {
            throw new AssertionError("docs/iam/ does not allow what this sync called:\n  "
                    + String.join("\n  ", missing));
        }
    }
}
