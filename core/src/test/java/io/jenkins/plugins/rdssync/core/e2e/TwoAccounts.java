package io.jenkins.plugins.rdssync.core.e2e;

import io.jenkins.plugins.rdssync.core.EngineOptions;
import io.jenkins.plugins.rdssync.core.iam.IamCheck;
import io.jenkins.plugins.rdssync.core.iam.RequiredPermissions;
import io.jenkins.plugins.rdssync.core.iam.ScenarioPolicies;
import io.jenkins.plugins.rdssync.core.SyncEngine;
import io.jenkins.plugins.rdssync.core.run.Cancellation;
import io.jenkins.plugins.rdssync.core.run.SyncException;
import io.jenkins.plugins.rdssync.core.run.SyncResult;
import io.jenkins.plugins.rdssync.core.spec.Secret;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import io.jenkins.plugins.rdssync.core.spec.TlsMode;
import io.jenkins.plugins.rdssync.testkit.EmulatedAccount;
import io.jenkins.plugins.rdssync.testkit.RdsEmulator;
import io.jenkins.plugins.rdssync.testkit.RecordedRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import org.junit.rules.ExternalResource;

/**
 * Production and acceptance in two AWS accounts of one emulator: production's instance in account {@link #PROD},
 * acceptance's in {@link #ACC}; the sync runs with acceptance's keys and assumes {@link #sourceRole} in production
 * for the source side (the role trusts the acceptance account and requires an external id). Each sync is checked
 * against what each side may do: the target side changes nothing in production's account, the source side changes
 * nothing but production's snapshots (and their share).
 */
public final class TwoAccounts extends ExternalResource {
    public static final String PROD = "111111111111";
    public static final String ACC = "222222222222";
    public static final String ACC_KEY_ID = "AKIDACCEPTANCE";
    public static final String ACC_SECRET = "acceptance-secret-key-5521";
    public static final String EXTERNAL_ID = "rds-sync-nightly";
    /** What the source side may call in production's account (docs/iam/cross-account-source.json). */
    static final Set<String> SOURCE_MUTATIONS = Set.of("CreateDBSnapshot", "DeleteDBSnapshot",
            "ModifyDBSnapshotAttribute", "AddTagsToResource");

    public RdsEmulator rds;
    public EmulatedAccount prod;
    public EmulatedAccount acc;
    public String sourceRole;
    private Path workRoot;
    private int runs;

    @Override
    protected void before() throws Throwable {
        rds = RdsEmulator.builder().rdsMinute(EmulatedRds.RDS_MINUTE).securityGroups("sg-0acc")
                .account(PROD).account(ACC, ACC_KEY_ID).start();
        prod = rds.account(PROD);
        acc = rds.account(ACC);
        sourceRole = prod.createRole("rds-sync-source", EXTERNAL_ID, ACC);
        workRoot = Files.createTempDirectory("rds-sync-xacct-");
    }

    @Override
    protected void after() {
        if (rds != null) {
            rds.close();
        }
        if (workRoot != null) {
            try (var files = Files.walk(workRoot)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                // a temp folder
            }
        }
    }

    /** A production instance in production's account, seeded with the shop. */
    public void production(String id) throws Exception {
        prod.createAvailableInstance(id, "admin", EmulatedRds.PROD_PASSWORD, EmulatedRds.seed("production.sql"));
    }

    /** A cross-account spec: acceptance's keys, production's role for the source side. */
    public SyncSpec.Builder spec(String source, String target) throws IOException {
        return SyncSpec.builder().source(source).target(target).region(rds.region())
                .endpointUrl(rds.endpoint().toString())
                .awsCredentials(ACC_KEY_ID, Secret.of(ACC_SECRET), null)
                .sourceRoleArn(sourceRole).sourceExternalId(EXTERNAL_ID)
                .mysqlUser("admin").mysqlPassword(Secret.of(EmulatedRds.ACC_PASSWORD)).dbTls(TlsMode.DISABLED)
                .databases(List.of("shop"))
                .workDir(Files.createDirectories(workRoot.resolve(target + "-" + (++runs))))
                .timeoutMinutes(20);
    }

    public SyncResult sync(SyncSpec spec, RecordingListener listener) throws SyncException {
        return sync(spec, listener, new Cancellation());
    }

    /** Runs a sync; whatever happened, checks that each side kept to what its policy allows. */
    public SyncResult sync(SyncSpec spec, RecordingListener listener, Cancellation cancellation) throws SyncException {
        int before = rds.requests().all().size();
        try {
            return SyncEngine.create(spec, listener).options(EngineOptions.forEmulator(EmulatedRds.RDS_MINUTE))
                    .run(cancellation);
        } finally {
            List<RecordedRequest> engine = EmulatedRds.engineRequestsSince(rds, before);
            checkSides(engine);
            IamCheck.assertAllowed(ScenarioPolicies.twoAccounts(spec, rds.region(), PROD, ACC,
                    prod.instanceKmsKeyId(spec.source())), new RequiredPermissions(rds.region()), engine);
        }
    }

    /**
     * The target side (acceptance's account) made no mutating call on anything of production's account but the copy
     * of the shared snapshot; the source side (production's account) changed nothing but snapshots.
     */
    static void checkSides(List<RecordedRequest> requests) {
        for (RecordedRequest r : requests) {
            if (!r.isMutating()) {
                continue;
            }
            if (ACC.equals(r.accountId())) {
                r.parameters().forEach((k, v) -> {
                    if (v.contains(":" + PROD + ":") && !k.startsWith("Tags.") && !("CopyDBSnapshot".equals(r.action())
                            && "SourceDBSnapshotIdentifier".equals(k))) {
                        throw new AssertionError("the target side called " + r.action() + " on production's " + v);
                    }
                });
            } else if (PROD.equals(r.accountId())) {
                if (!SOURCE_MUTATIONS.contains(r.action()) || r.param("DBSnapshotIdentifier") == null
                        && r.param("ResourceName") == null) {
                    throw new AssertionError("the source side made a call beyond its snapshot and share: " + r);
                }
                String resource = r.param("ResourceName");
                if (resource != null && !resource.contains(":snapshot:")) {
                    throw new AssertionError("the source side tagged something else than a snapshot: " + r);
                }
            } else {
                throw new AssertionError("a call in no side's account: " + r);
            }
        }
    }

    public Connection shop(EmulatedAccount account, String instance) throws SQLException {
        return account.connectAsMaster(instance, "shop");
    }

    public long queryLong(EmulatedAccount account, String instance, String sql) throws SQLException {
        try (Connection c = shop(account, instance); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    public String queryString(EmulatedAccount account, String instance, String sql) throws SQLException {
        try (Connection c = shop(account, instance); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getString(1) : null;
        }
    }

    public long execute(EmulatedAccount account, String instance, String sql) throws SQLException {
        try (Connection c = shop(account, instance); Statement s = c.createStatement()) {
            s.executeUpdate(sql, Statement.RETURN_GENERATED_KEYS);
            try (ResultSet keys = s.getGeneratedKeys()) {
                return keys.next() ? keys.getLong(1) : -1;
            }
        }
    }
}
