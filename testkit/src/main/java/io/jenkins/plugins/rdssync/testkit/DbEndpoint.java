package io.jenkins.plugins.rdssync.testkit;

/**
 * Where an emulated DB instance accepts MySQL connections (what RDS reports as {@code Endpoint}).
 *
 * @param host always {@code 127.0.0.1}
 * @param port the instance's own loopback port
 */
public record DbEndpoint(String host, int port) {
    /** A Connector/J URL for this endpoint, without a default schema. */
    public String jdbcUrl() {
        return jdbcUrl("");
    }

    /** A Connector/J URL for this endpoint and schema (TLS off: the embedded servers run without it). */
    public String jdbcUrl(String database) {
        return "jdbc:mysql://" + host + ":" + port + "/" + (database == null ? "" : database)
                + "?sslMode=DISABLED&allowPublicKeyRetrieval=true";
    }
}
