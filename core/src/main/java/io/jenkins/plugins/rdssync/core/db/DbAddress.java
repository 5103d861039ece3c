package io.jenkins.plugins.rdssync.core.db;

/**
 * Where to reach a MySQL server: the RDS endpoint of an instance, or a tunnel, bastion or proxy in front of it
 * ({@code dbHost}/{@code dbPort}).
 */
public record DbAddress(String host, int port) {

    public DbAddress {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("dbHost is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("dbPort " + port + " is not a TCP port (1-65535)");
        }
        host = host.trim();
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
