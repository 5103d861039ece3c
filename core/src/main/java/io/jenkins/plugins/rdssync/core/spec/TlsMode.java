package io.jenkins.plugins.rdssync.core.spec;

import java.util.Locale;

/** TLS to the target databases; maps onto Connector/J's {@code sslMode}. */
public enum TlsMode {
    /** Encrypt and verify the server certificate against the CA bundle (the default). */
    VERIFY_CA,
    /** As {@link #VERIFY_CA}, and check that the host name matches the certificate. */
    VERIFY_IDENTITY,
    /** Encrypt, but trust any certificate. */
    REQUIRED,
    /** Encrypt when the server offers it, without verification. */
    PREFERRED,
    /** No TLS (local emulator, or a tunnel that already encrypts). */
    DISABLED;

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static TlsMode fromId(String id) {
        for (TlsMode m : values()) {
            if (m.id().equalsIgnoreCase(id.trim()) || m.name().equalsIgnoreCase(id.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown dbTls '" + id
                + "'; use verify-ca, verify-identity, required, preferred or disabled");
    }

    @Override
    public String toString() {
        return id();
    }
}
