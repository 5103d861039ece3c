package io.jenkins.plugins.rdssync.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.jenkins.plugins.rdssync.core.spec.Strategy;
import io.jenkins.plugins.rdssync.core.spec.SyncSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The documentation's examples are valid configuration, and docs/configuration.md describes every key. */
public class DocsTest {
    /** Tests run in cli/; the docs live beside it. */
    static final Path DOCS = Path.of("..", "docs").toAbsolutePath().normalize();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final Env env = Env.of(Map.of(SpecFile.PASSWORD_ENV, "pw"));

    @Test
    public void minimalExampleIsValid() {
        SyncSpec s = SpecFile.read(DOCS.resolve("examples/minimal.yaml"), env).builder().build();
        assertEquals("shop-prod", s.source());
        assertEquals("shop-acc", s.target());
        assertEquals(Strategy.SWAP, s.strategy());
    }

    @Test
    public void nightlyExampleIsValidOnceItsFilesExist() throws IOException {
        Path dir = tmp.newFolder().toPath();
        Path yaml = dir.resolve("nightly.yaml");
        Files.copy(DOCS.resolve("examples/nightly.yaml"), yaml);
        for (String f : List.of("secrets/acceptance-db-password", "certs/global-bundle.pem", "sql/10-truncate-logs.sql",
                "sql/20-mask-personal-data.sql", "sql/30-grants.sql")) {
            Files.createDirectories(dir.resolve(f).getParent());
            Files.writeString(dir.resolve(f), "x\n");
        }
        Files.createDirectories(dir.resolve("db/migrations"));
        SyncSpec s = SpecFile.read(yaml, Env.of(Map.of())).builder().build();
        assertEquals(4, s.preserveTables().size());
        assertEquals(2, s.preserveColumns().size());
        assertEquals(3, s.postSql().size());
        assertEquals(1_000_000_000L, s.offset());
        assertEquals(Map.of("snapshot", 60, "restore", 90), s.stageTimeoutMinutes());
    }

    @Test
    public void configurationReferenceDescribesEveryKey() throws IOException {
        String doc = Files.readString(DOCS.resolve("configuration.md"));
        for (String key : SpecFile.keys()) {
            assertTrue("docs/configuration.md lacks a row for " + key, doc.contains("| `" + key + "` |"));
        }
    }

    @Test
    public void cliReferenceNamesEveryCommandAndExitCode() throws IOException {
        String doc = Files.readString(DOCS.resolve("cli.md"));
        for (String s : List.of("rds-sync run", "rds-sync plan", "rds-sync validate", "rds-sync demo",
                "rds-sync emulator", "--resume", "--work-dir", "--result-file", "--rds-minute", "--keep", "--seed",
                "--port", SpecFile.PASSWORD_ENV)) {
            assertTrue("docs/cli.md lacks " + s, doc.contains(s));
        }
    }
}
