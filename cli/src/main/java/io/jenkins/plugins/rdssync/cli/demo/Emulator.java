package io.jenkins.plugins.rdssync.cli.demo;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * What the demo and {@code rds-sync emulator} need from the RDS emulator of rds-sync-testkit: start it, create an
 * available instance, connect to an instance as its master user, stop it. A seam, so tests can stand in for it.
 */
public interface Emulator extends AutoCloseable {
    /** The RDS Query API endpoint, e.g. {@code http://127.0.0.1:4566}; the {@code endpointUrl} of a spec. */
    URI endpoint();

    /** The region the emulator answers for (the {@code region} of a spec). */
    String region();

    /**
     * Creates an instance that is available at once.
     *
     * @param seedSqlOrNull an SQL file to load, or null for an empty server
     * @return where its databases answer, {@code host:port}
     */
    String createAvailableInstance(String id, String masterUser, String masterPassword, Path seedSqlOrNull);

    /** A connection to an instance with the master credentials RDS knows for it now. */
    Connection connectAsMaster(String id) throws SQLException;

    /** Stops every server and deletes their data. */
    @Override
    void close();

    /** Starts emulators. */
    @FunctionalInterface
    interface Starter {
        /**
         * @param rdsMinute how long one emulated RDS minute lasts
         * @param port the API port, 0 for any free one
         * @param region the region, null for the emulator's default
         */
        Emulator start(Duration rdsMinute, int port, String region);
    }
}
