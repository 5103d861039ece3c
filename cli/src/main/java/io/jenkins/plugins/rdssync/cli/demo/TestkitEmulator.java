package io.jenkins.plugins.rdssync.cli.demo;

import io.jenkins.plugins.rdssync.testkit.DbEndpoint;
import io.jenkins.plugins.rdssync.testkit.RdsEmulator;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/** {@link Emulator} over rds-sync-testkit's {@link RdsEmulator}. */
public final class TestkitEmulator implements Emulator {
    private final RdsEmulator rds;

    private TestkitEmulator(RdsEmulator rds) {
        this.rds = rds;
    }

    /** Starts the testkit's emulator on 127.0.0.1. */
    public static Emulator start(Duration rdsMinute, int port, String region) {
        RdsEmulator.Builder b = RdsEmulator.builder().rdsMinute(rdsMinute).port(port);
        if (region != null) {
            b.region(region);
        }
        return new TestkitEmulator(b.start());
    }

    @Override
    public URI endpoint() {
        return rds.endpoint();
    }

    @Override
    public String region() {
        return rds.region();
    }

    @Override
    public String createAvailableInstance(String id, String masterUser, String masterPassword, Path seedSqlOrNull) {
        DbEndpoint e = rds.createAvailableInstance(id, masterUser, masterPassword, seedSqlOrNull);
        return e.host() + ":" + e.port();
    }

    @Override
    public Connection connectAsMaster(String id) throws SQLException {
        return rds.connectAsMaster(id);
    }

    @Override
    public void close() {
        rds.close();
    }
}
