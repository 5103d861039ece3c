package io.jenkins.plugins.rdssync.core.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * The on-disk record of a run: which stages finished and the artefacts they produced (snapshot id, preserved-rows
 * file and checksum, temporary instance id). Written atomically after every change, so a crash leaves either the
 * old or the new record. Plain key/value text; never a secret in it.
 */
public final class Journal {
    public static final String FILE_NAME = "journal.properties";

    private final Path file;
    private final Properties values = new Properties();

    private Journal(Path file) {
        this.file = file;
    }

    /** Opens (or starts) the journal in a work folder. */
    public static Journal open(Path workDir) {
        Journal j = new Journal(workDir.resolve(FILE_NAME));
        if (Files.exists(j.file)) {
            try (InputStream in = Files.newInputStream(j.file)) {
                j.values.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the run journal " + j.file, e);
            }
        }
        return j;
    }

    public Path file() {
        return file;
    }

    /** Is there a run that started and did not finish? */
    public synchronized boolean hasUnfinishedRun() {
        return values.containsKey("run.started") && !values.containsKey("run.finished");
    }

    public synchronized Optional<String> get(String key) {
        return Optional.ofNullable(values.getProperty(key));
    }

    public synchronized void put(String key, String value) {
        if (value == null) {
            values.remove(key);
        } else {
            values.setProperty(key, value);
        }
        save();
    }

    /** Several values at once, in one write; a null value removes its key. */
    public synchronized void putAll(java.util.Map<String, String> entries) {
        entries.forEach((k, v) -> {
            if (v == null) {
                values.remove(k);
            } else {
                values.setProperty(k, v);
            }
        });
        save();
    }

    /** Every key starting with {@code prefix}, with its value. */
    public synchronized java.util.Map<String, String> withPrefix(String prefix) {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        for (String k : values.stringPropertyNames()) {
            if (k.startsWith(prefix)) {
                out.put(k, values.getProperty(k));
            }
        }
        return out;
    }

    public synchronized boolean isDone(StageName stage) {
        return values.containsKey("stage." + stage.id() + ".done");
    }

    public synchronized void markDone(StageName stage) {
        values.setProperty("stage." + stage.id() + ".done", Instant.now().toString());
        save();
    }

    /** The first stage recorded as started but not done, for messages like "stopped in Restore". */
    public synchronized Optional<String> lastStarted() {
        return Optional.ofNullable(values.getProperty("run.stage"));
    }

    public synchronized void markStarted(StageName stage) {
        values.setProperty("run.stage", stage.title());
        save();
    }

    /** Forgets a previous run and starts a new one for this source and target. */
    public synchronized void startRun(String source, String target, String strategy) {
        values.clear();
        values.setProperty("run.started", Instant.now().toString());
        values.setProperty("run.source", source);
        values.setProperty("run.target", target);
        values.setProperty("run.strategy", strategy);
        save();
    }

    public synchronized void markFinished() {
        values.setProperty("run.finished", Instant.now().toString());
        values.remove("run.stage");
        save();
    }

    private void save() {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                values.store(out, "RDS Sync run journal: finished stages and their artefacts. Used by resume.");
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run journal " + file + ": " + e.getMessage(), e);
        }
    }
}
