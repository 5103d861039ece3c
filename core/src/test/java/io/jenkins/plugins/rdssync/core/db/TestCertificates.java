package io.jenkins.plugins.rdssync.core.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A test CA, a server certificate it signed (for {@value #SERVER_NAME} only) with its key, and an unrelated CA,
 * made with the JDK's keytool.
 */
final class TestCertificates {
    static final String SERVER_NAME = "db.example.test";
    private static final String PW = "changeit";

    final Path dir;
    final Path caPem;
    final Path otherCaPem;
    final Path serverPem;
    final Path serverKeyPem;

    TestCertificates() throws Exception {
        dir = Files.createTempDirectory(Paths.get("target").toAbsolutePath(), "test-certs-");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=rds-sync test CA",
                "-ext", "bc:c", "-validity", "3", "-keystore", "ca.p12", "-storetype", "PKCS12", "-storepass", PW);
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-storepass", PW, "-file", "ca.pem");
        keytool("-genkeypair", "-alias", "other", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=some other CA",
                "-ext", "bc:c", "-validity", "3", "-keystore", "other.p12", "-storetype", "PKCS12", "-storepass", PW);
        keytool("-exportcert", "-rfc", "-alias", "other", "-keystore", "other.p12", "-storepass", PW, "-file",
                "other.pem");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname",
                "CN=" + SERVER_NAME, "-validity", "3", "-keystore", "server.p12", "-storetype", "PKCS12",
                "-storepass", PW);
        keytool("-certreq", "-alias", "server", "-keystore", "server.p12", "-storepass", PW, "-file", "server.csr");
        keytool("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-storepass", PW, "-infile", "server.csr",
                "-outfile", "server.pem", "-rfc", "-ext", "san=dns:" + SERVER_NAME, "-validity", "3");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("server.p12"))) {
            ks.load(in, PW.toCharArray());
        }
        Key key = ks.getKey("server", PW.toCharArray());
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        serverKeyPem = dir.resolve("server-key.pem");
        Files.writeString(serverKeyPem, pem);
        caPem = dir.resolve("ca.pem");
        otherCaPem = dir.resolve("other.pem");
        serverPem = dir.resolve("server.pem");
    }

    void delete() {
        EmbeddedMariaDb.deleteTree(dir);
    }

    String[] serverArgs() {
        return new String[] {"--ssl-ca=" + caPem, "--ssl-cert=" + serverPem, "--ssl-key=" + serverKeyPem};
    }

    private void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + out);
        }
    }
}
