package io.jenkins.plugins.rdssync.testkit;

/**
 * The timed phases of the emulated RDS lifecycle, each with a default length in "RDS minutes"
 * (see {@link RdsEmulator.Builder#rdsMinute(java.time.Duration)}). A phase that also does real work
 * (start a server, load or dump data) lasts at least as long as that work.
 */
public enum Transition {
    /** CreateDBInstance: {@code creating} until the new server is up. */
    CREATE(5),
    /** RestoreDBInstanceFromDBSnapshot: {@code creating} until the server is up with the snapshot's data. */
    RESTORE(6),
    /** After a restore: how long the instance is {@code available} before its first {@code backing-up}. */
    RESTORE_SETTLE(0.5),
    /** The {@code backing-up} after a create or a restore. */
    BACKUP(1),
    /** CreateDBSnapshot: snapshot {@code creating} (PercentProgress rising), source instance {@code backing-up}. */
    SNAPSHOT(3),
    /** CopyDBSnapshot: the copy {@code creating}. */
    COPY_SNAPSHOT(2),
    /** ModifyDBInstance: {@code modifying}. */
    MODIFY(1),
    /** ModifyDBInstance with only MasterUserPassword: {@code resetting-master-credentials}. */
    RESET_CREDENTIALS(0.5),
    /** ModifyDBInstance NewDBInstanceIdentifier: {@code renaming} under the old name, before the name switches. */
    RENAME(0.5),
    /** After the name switched: {@code rebooting} under the new name; the new endpoint answers after this. */
    RENAME_REBOOT(1.5),
    /** RebootDBInstance: {@code rebooting}. */
    REBOOT(1),
    /** DeleteDBInstance: {@code deleting}, then the instance is gone. */
    DELETE(2),
    /**
     * The baseline {@code backing-up} after a restore with backups on, or after backups were turned on, per 100 GiB
     * of allocated storage (it grows with the data: hours for large databases, hashicorp/terraform-provider-aws#44104).
     */
    BASELINE_BACKUP(30),
    /** {@code storage-optimization} after a storage type change; the instance is usable meanwhile. */
    STORAGE_OPTIMIZATION(20),
    /** StopDBInstance: {@code stopping}, then {@code stopped}. */
    STOP(2),
    /** StartDBInstance: {@code starting}, then {@code available}. */
    START(3);

    private final double defaultMinutes;

    Transition(double defaultMinutes) {
        this.defaultMinutes = defaultMinutes;
    }

    /** The default length of this phase, in RDS minutes. */
    public double defaultMinutes() {
        return defaultMinutes;
    }
}
