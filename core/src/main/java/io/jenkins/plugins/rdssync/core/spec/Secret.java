package io.jenkins.plugins.rdssync.core.spec;

import java.io.Serializable;
import java.util.Objects;

/** A password, secret key or session token: its {@link #toString()} never reveals the value. */
public final class Secret implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value);
    }

    /** @return a secret, or {@code null} for a null or empty value */
    public static Secret of(String value) {
        return value == null || value.isEmpty() ? null : new Secret(value);
    }

    /** The plain value; pass it only to the AWS SDK or the JDBC driver. */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "****";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
