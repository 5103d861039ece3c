package io.jenkins.plugins.rdssync.testkit;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The AWS accounts the emulator serves, as moto does it: one {@link RdsBackend} per account and region, and this small registry
 * of what spans accounts — which access key belongs to which account (and principal), the IAM roles that
 * {@code sts:AssumeRole} may hand out, the KMS keys and who may use them. The Query API handler asks it who is
 * calling (from the SigV4 credential scope of the {@code Authorization} header) and routes the request to that
 * account's backend; an access key it does not know belongs to the default account, so single-account use is as
 * before.
 */
final class AwsAccounts {
    /** {@code Credential=AKID/yyyymmdd/region/service/aws4_request} (SigV4, AWS General Reference). */
    private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/[^/]+/([^/]+)/([^/]+)/aws4_request");

    /** Who made a request: the account and principal of its access key, and the region and service it signed for. */
    record Caller(String accountId, String principalArn, String accessKeyId, String region, String service) { }

    /** An access key's owner. */
    record Principal(String accountId, String arn) { }

    /** An IAM role: which accounts its trust policy lets assume it, and the external id it requires (or null). */
    record Role(String arn, String accountId, Set<String> trustedAccounts, String externalId) { }

    /**
     * A KMS key. {@code awsManaged}: the account's {@code aws/rds} key, which no other account may use (KMS developer
     * guide, "AWS managed keys"); a customer managed key may be used by the accounts its key policy names.
     */
    record KmsKey(String arn, String keyId, String accountId, String region, String alias, boolean awsManaged,
            Set<String> usableBy, Instant created) {

        boolean usableBy(String account) {
            return accountId.equals(account) || (!awsManaged && usableBy.contains(account));
        }
    }

    private final RdsBackend.Config defaultConfig;
    private final Path root;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;
    private final ExecutorService proxyThreads;
    private final RdsBackend defaultBackend;
    /** By {@code account|region}. */
    private final Map<String, RdsBackend> backends = new LinkedHashMap<>();
    /** Regions besides the default one that every account has (cross-region copies). */
    private final List<String> otherRegions = new ArrayList<>();
    private final Map<String, Principal> keys = new ConcurrentHashMap<>();
    private final Map<String, Role> roles = new ConcurrentHashMap<>();
    private final Map<String, KmsKey> kmsKeys = new ConcurrentHashMap<>();

    AwsAccounts(RdsBackend defaultBackend, Path root, ScheduledExecutorService scheduler, ExecutorService workers,
            ExecutorService proxyThreads) {
        this.defaultBackend = defaultBackend;
        this.defaultConfig = defaultBackend.cfg;
        this.root = root;
        this.scheduler = scheduler;
        this.workers = workers;
        this.proxyThreads = proxyThreads;
        backends.put(defaultConfig.accountId + "|" + defaultConfig.region, defaultBackend);
        wire(defaultBackend);
    }

    /** Gives every account (those there and those to come) a backend in these regions too. */
    synchronized void regions(List<String> regions) {
        for (String r : regions) {
            if (!r.equals(defaultConfig.region) && !otherRegions.contains(r)) {
                otherRegions.add(r);
            }
        }
        for (String account : accountIds()) {
            account(account, List.of());
        }
    }

    private List<String> accountIds() {
        List<String> ids = new ArrayList<>();
        for (String k : backends.keySet()) {
            String id = k.substring(0, k.indexOf('|'));
            if (!ids.contains(id)) {
                ids.add(id);
            }
        }
        return ids;
    }

    String defaultAccount() {
        return defaultConfig.accountId;
    }

    String region() {
        return defaultConfig.region;
    }

    /** Adds an account (or more keys to one) with the access key ids that belong to it. */
    synchronized RdsBackend account(String accountId, List<String> accessKeyIds) {
        if (!accountId.matches("\\d{12}")) {
            throw new IllegalArgumentException("an AWS account id is 12 digits: " + accountId);
        }
        RdsBackend b = backends.computeIfAbsent(accountId + "|" + defaultConfig.region, k -> newBackend(accountId,
                defaultConfig.region));
        for (String region : otherRegions) {
            backends.computeIfAbsent(accountId + "|" + region, k -> newBackend(accountId, region));
        }
        for (String k : accessKeyIds) {
            keys.put(k, new Principal(accountId, "arn:aws:iam::" + accountId + ":user/" + k.toLowerCase(Locale.ROOT)));
        }
        return b;
    }

    private RdsBackend newBackend(String accountId, String region) {
        RdsBackend nb = new RdsBackend(defaultConfig.forAccount(accountId, region), root, scheduler, workers,
                proxyThreads);
        wire(nb);
        return nb;
    }

    private void wire(RdsBackend b) {
        b.foreign = (idOrArn, action, kms) -> new CrossAccountRds(this).foreignSnapshot(b.cfg.accountId,
                b.cfg.region, idOrArn, action, kms);
    }

    /** The account's backend in the default region, or null for an account the emulator does not model. */
    synchronized RdsBackend backend(String accountId) {
        return backends.get(accountId + "|" + defaultConfig.region);
    }

    /**
     * The account's backend in a region; a region the emulator does not model is served by the default one (as
     * before regions were modelled). Null for an unknown account.
     */
    synchronized RdsBackend backend(String accountId, String region) {
        RdsBackend b = backends.get(accountId + "|" + region);
        return b != null ? b : backend(accountId);
    }

    /** Only a modelled region's backend, else null. */
    synchronized RdsBackend backendExactly(String accountId, String region) {
        return backends.get(accountId + "|" + region);
    }

    synchronized List<RdsBackend> all() {
        return new ArrayList<>(backends.values());
    }

    RdsBackend defaultBackend() {
        return defaultBackend;
    }

    /** The caller of a request, from its SigV4 {@code Authorization} header (unknown keys: the default account). */
    Caller caller(String authorization) {
        String key = null;
        String region = defaultConfig.region;
        String service = "rds";
        if (authorization != null) {
            Matcher m = CREDENTIAL.matcher(authorization);
            if (m.find()) {
                key = m.group(1);
                region = m.group(2);
                service = m.group(3);
            }
        }
        Principal p = key == null ? null : keys.get(key);
        if (p == null) {
            p = new Principal(defaultConfig.accountId, "arn:aws:iam::" + defaultConfig.accountId + ":user/emulator");
        }
        return new Caller(p.accountId(), p.arn(), key, region, service);
    }

    // ---- IAM roles and STS --------------------------------------------------------------------------------------

    synchronized String role(String accountId, String name, Set<String> trustedAccounts, String externalId) {
        account(accountId, List.of());
        String arn = "arn:aws:iam::" + accountId + ":role/" + name;
        roles.put(arn, new Role(arn, accountId, new LinkedHashSet<>(trustedAccounts), externalId));
        return arn;
    }

    Role roleByArn(String arn) {
        return roles.get(arn);
    }

    /** Temporary credentials of an assumed role: the new key belongs to the role's account. */
    String[] issueSessionKeys(Role role, String sessionName) {
        String keyId = "ASIA" + random(16);
        String roleName = role.arn().substring(role.arn().indexOf(":role/") + 6);
        keys.put(keyId, new Principal(role.accountId(), "arn:aws:sts::" + role.accountId() + ":assumed-role/"
                + roleName + "/" + sessionName));
        return new String[] {keyId, random(40), random(64)};
    }

    // ---- KMS keys ------------------------------------------------------------------------------------------------

    /** A customer managed key of {@code accountId} whose key policy lets {@code usableBy} use it. */
    synchronized KmsKey createKey(String accountId, String region, String alias, Set<String> usableBy) {
        account(accountId, List.of());
        String id = random(8).toLowerCase(Locale.ROOT) + "-" + random(4).toLowerCase(Locale.ROOT) + "-"
                + random(4).toLowerCase(Locale.ROOT) + "-" + random(12).toLowerCase(Locale.ROOT);
        KmsKey k = new KmsKey(keyArn(accountId, region, id), id, accountId, region,
                alias == null ? null : alias.startsWith("alias/") ? alias : "alias/" + alias, false,
                new LinkedHashSet<>(usableBy), Instant.now());
        kmsKeys.put(k.arn(), k);
        return k;
    }

    /**
     * The account's AWS managed key for RDS ({@code alias/aws/rds}): what RDS encrypts with when no key is named
     * (RdsBackend uses the key id {@code aws-rds-default} for it).
     */
    synchronized KmsKey awsManagedKey(String accountId, String region) {
        String arn = keyArn(accountId, region, "aws-rds-default");
        return kmsKeys.computeIfAbsent(arn, a -> new KmsKey(a, "aws-rds-default", accountId, region,
                "alias/aws/rds", true, Set.of(), Instant.now()));
    }

    private static String keyArn(String accountId, String region, String keyId) {
        return "arn:aws:kms:" + region + ":" + accountId + ":key/" + keyId;
    }

    /**
     * The key a KMS key identifier names, as KMS resolves it: a key ARN or alias ARN anywhere, a key id or alias
     * name only in the caller's own account and region (KMS developer guide, "Key identifiers (KeyId)"). Null when
     * unknown.
     */
    synchronized KmsKey key(String keyIdentifier, String callerAccount, String callerRegion) {
        if (keyIdentifier == null) {
            return null;
        }
        if (keyIdentifier.equals(keyArn(callerAccount, callerRegion, "aws-rds-default"))
                || keyIdentifier.equals("alias/aws/rds")
                || keyIdentifier.equals("arn:aws:kms:" + callerRegion + ":" + callerAccount + ":alias/aws/rds")) {
            return awsManagedKey(callerAccount, callerRegion);
        }
        for (KmsKey k : kmsKeys.values()) {
            String aliasArn = k.alias() == null ? null
                    : "arn:aws:kms:" + k.region() + ":" + k.accountId() + ":" + k.alias();
            if (keyIdentifier.equals(k.arn()) || keyIdentifier.equals(aliasArn)) {
                return k;
            }
            if (k.accountId().equals(callerAccount) && k.region().equals(callerRegion)
                    && (keyIdentifier.equals(k.keyId()) || keyIdentifier.equals(k.alias()))) {
                return k;
            }
        }
        if (keyIdentifier.contains(":key/aws-rds-default")) {
            // the aws/rds key of another modelled account or region
            String[] arn = keyIdentifier.split(":");
            return backend(arn[4]) == null ? null : awsManagedKey(arn[4], arn[3]);
        }
        return null;
    }

    private static String random(int n) {
        return RdsBackend.randomUpper(n);
    }

    void closeAll() {
        for (RdsBackend b : all()) {
            if (b != defaultBackend) {
                b.close();
            }
        }
    }
}
