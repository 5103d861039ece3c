package io.jenkins.plugins.rdssync.core.aws;

/**
 * What RDS says about an engine version and the groups and classes a restore of it may use: the answers of
 * DescribeDBEngineVersions, DescribeDBParameterGroups, DescribeOptionGroups and DescribeOrderableDBInstanceOptions,
 * as plain values.
 */
public final class EngineFacts {
    private EngineFacts() {
    }

    /** A DB parameter group and its family (e.g. {@code mysql8.0}). */
    public record ParameterGroup(String name, String family) { }

    /** An option group: the one engine and major version it belongs to. */
    public record OptionGroup(String name, String engine, String majorVersion) { }

    /** One engine version and the parameter group family its instances use. */
    public record EngineVersion(String engine, String version, String majorVersion, String parameterGroupFamily) { }
}
