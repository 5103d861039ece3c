package io.jenkins.plugins.rdssync.testkit;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * One AWS account of an {@link RdsEmulator}, in one region: its own DB instances and snapshots, its KMS keys and IAM
 * roles. Requests
 * signed with one of its access keys ({@link RdsEmulator.Builder#account(String, String...)}), or with the temporary
 * keys of one of its roles, act in it. Direct setup like {@link RdsEmulator}'s, bypassing the API and its log.
 */
public final class EmulatedAccount {
    private final AwsAccounts accounts;
    private final RdsBackend backend;

    EmulatedAccount(AwsAccounts accounts, RdsBackend backend) {
        this.accounts = accounts;
        this.backend = backend;
    }

    /** The region of this view of the account (the emulator's default region, or one added with otherRegions). */
    public String region() {
        return backend.cfg.region;
    }

    /** The 12-digit account id. */
    public String id() {
        return backend.cfg.accountId;
    }

    /** As {@link RdsEmulator#createAvailableInstance}, in this account. */
    public DbEndpoint createAvailableInstance(String id, String masterUser, String masterPassword, Path seedSql) {
        return backend.createAvailableInstance(id, masterUser, masterPassword, seedSql);
    }

    /** A JDBC connection to one of this account's instances as its master user. */
    public Connection connectAsMaster(String id, String database) throws SQLException {
        return DriverManager.getConnection(backend.endpoint(id).jdbcUrl(database), backend.masterUsername(id),
                backend.masterPassword(id));
    }

    public String instanceStatus(String id) {
        return backend.instanceStatus(id);
    }

    /** Waits until one of this account's instances shows this status (null: until it is gone). */
    public void awaitInstanceStatus(String id, String status, java.time.Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        String last = null;
        while (System.nanoTime() < end) {
            last = backend.instanceStatus(id);
            if (status == null ? last == null : status.equals(last)) {
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        throw new IllegalStateException("DB instance " + id + " is " + last + ", not " + status + " after " + timeout);
    }

    public String snapshotStatus(String id) {
        return backend.snapshotStatus(id);
    }

    public List<String> instanceIds() {
        return backend.instanceIds();
    }

    public List<String> snapshotIds() {
        return backend.snapshotIds();
    }

    public String instanceArn(String id) {
        return backend.arnDb(id.toLowerCase(java.util.Locale.ROOT));
    }

    public String snapshotArn(String id) {
        return backend.arnSnapshot(id);
    }

    /** The accounts a manual snapshot of this account is shared with (its {@code restore} attribute). */
    public Set<String> snapshotSharedWith(String snapshotId) {
        return backend.onSnapshot(snapshotId, s -> Set.copyOf(s.restoreAccounts));
    }

    /** The KMS key a snapshot is encrypted with, or null when it is not encrypted. */
    public String snapshotKmsKeyId(String snapshotId) {
        return backend.onSnapshot(snapshotId, s -> s.encrypted ? s.kmsKeyId : null);
    }

    /** The KMS key an instance of this account is encrypted with, or null when it is not encrypted. */
    public String instanceKmsKeyId(String instanceId) {
        return backend.instanceKmsKeyId(instanceId);
    }

    /** This account's fault switches (holds and forced states act on its own instances and snapshots). */
    public RdsFaults faults() {
        return backend.faults;
    }

    /**
     * Creates a customer managed KMS key in this account whose key policy lets the given other accounts use it.
     *
     * @param alias its alias, e.g. {@code prod-share} (shown as {@code alias/prod-share}), or null
     * @return the key ARN
     */
    public String createKmsKey(String alias, String... usableByAccounts) {
        return accounts.createKey(id(), backend.cfg.region, alias, Set.of(usableByAccounts)).arn();
    }

    /** The ARN of this account's AWS managed key {@code aws/rds}, which cannot be shared with other accounts. */
    public String awsManagedRdsKey() {
        return accounts.awsManagedKey(id(), backend.cfg.region).arn();
    }

    /** Encrypts an instance's storage with a KMS key from now on (its next snapshots are encrypted with it). */
    public void encryptInstance(String instanceId, String kmsKeyArn) {
        backend.encryptAtRest(instanceId, kmsKeyArn);
    }

    /**
     * Creates an IAM role in this account that identities of {@code trustedAccounts} may assume (its trust policy).
     *
     * @param externalId the external id the trust policy requires, or null
     * @return the role ARN
     */
    public String createRole(String name, String externalId, String... trustedAccounts) {
        return accounts.role(id(), name, Set.of(trustedAccounts), externalId);
    }
}
