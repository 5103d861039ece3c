package io.jenkins.plugins.rdssync.core.iam;

import io.jenkins.plugins.rdssync.core.aws.ShippedPolicies;
import io.jenkins.plugins.rdssync.core.spec.Strategy;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which files of docs/iam/ a user attaches for a sync, per docs/iam.md's tables, with the placeholders filled in
 * from the spec and the accounts the scenario runs in: one identity in one account (a source file for the snapshot
 * mode, a target file for the strategy, kms-copy.json for {@code snapshotCopyKmsKeyId}), or with production in its
 * own account the source role's policy for calls in production's account and the acceptance files for the rest.
 */
public final class ScenarioPolicies {
    private final Map<String, List<IamPolicy>> byAccount;

    private ScenarioPolicies(Map<String, List<IamPolicy>> byAccount) {
        this.byAccount = byAccount;
    }

    /** The policies of the identity that calls in this account; empty when no side of the sync should call there. */
    public List<IamPolicy> forAccount(String accountId) {
        return byAccount.getOrDefault(accountId, List.of());
    }

    /** The same scenario with one statement taken out of one of its files (to show the check would notice). */
    public ScenarioPolicies without(String file, String sid) {
        Map<String, List<IamPolicy>> out = new HashMap<>();
        byAccount.forEach((account, list) -> out.put(account, list.stream()
                .map(p -> p.file().equals(file) ? p.without(sid) : p).toList()));
        return new ScenarioPolicies(out);
    }

    /** One account holds production and acceptance. */
    public static ScenarioPolicies oneAccount(SyncSpec spec, String region, String account) {
        Map<String, String> v = values(spec, region, account);
        // the same choice of files as the engine's AccessDenied messages make
        List<String> files = ShippedPolicies.oneAccountFiles(spec);
        spec.snapshotCopyKmsKeyId().ifPresent(k -> v.put("KmsKeyId", keyId(k)));
        return new ScenarioPolicies(Map.of(account, load(files, v)));
    }

    /**
     * Production in its own account, acceptance's identity assuming {@code sourceRoleArn} for the source side.
     *
     * @param sourceKeyArn the KMS key production's snapshots are encrypted with, or null
     */
    public static ScenarioPolicies twoAccounts(SyncSpec spec, String region, String sourceAccount,
                                               String targetAccount, String sourceKeyArn) {
        Map<String, String> v = values(spec, region, targetAccount);
        v.put("SourceAccount", sourceAccount);
        v.put("SourceRegion", spec.sourceRegion().orElse(region));
        v.put("SourceRole", spec.sourceRoleArn().map(a -> a.substring(a.lastIndexOf('/') + 1)).orElse("(none)"));
        v.put("SourceKeyId", sourceKeyArn == null ? "(production is not encrypted)" : keyId(sourceKeyArn));
        v.put("AcceptanceKeyId", spec.snapshotCopyKmsKeyId().map(ScenarioPolicies::keyId)
                .orElse("(no snapshotCopyKmsKeyId)"));
        List<String> target = List.of("cross-account-target.json", targetFile(spec.strategy()));
        return new ScenarioPolicies(Map.of(sourceAccount, load(List.of("cross-account-source.json"), v),
                targetAccount, load(target, v)));
    }

    static String targetFile(Strategy strategy) {
        return strategy == Strategy.REPLACE ? "target-replace.json" : "target-swap.json";
    }

    private static Map<String, String> values(SyncSpec spec, String region, String account) {
        Map<String, String> v = new HashMap<>();
        v.put("Region", region);
        v.put("Account", account);
        // RDS keeps identifiers in lower case; a policy names them so (docs/iam.md)
        v.put("Source", lower(spec.source()));
        v.put("Target", lower(spec.target()));
        v.put("SnapshotName", lower(spec.snapshotName()));
        return v;
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** The key id of a key ARN ({@code arn:aws:kms:…:key/<id>}); an id or alias as given. */
    static String keyId(String key) {
        int slash = key.indexOf(":key/");
        return slash >= 0 ? key.substring(slash + 5) : key;
    }

    /** The files as rds-sync-core bundles them from docs/iam/ (ShippedPoliciesTest: byte for byte). */
    private static List<IamPolicy> load(List<String> files, Map<String, String> values) {
        return files.stream().map(f -> IamPolicy.parse(f, ShippedPolicies.text(f), values)).toList();
    }
}
