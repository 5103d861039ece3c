package io.jenkins.plugins.rdssync.core.db;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Compresses in a second thread: rows are read and escaped in the caller's thread while the previous chunks are
 * deflated and written. Chunks wait in a small bounded queue, so memory stays flat. Entries, data and the end of
 * the archive reach the {@link ZipOutputStream} in the order they were given; the first failure of the writing
 * thread is thrown to the caller at its next call.
 */
final class AsyncZipWriter extends OutputStream {
    private static final int QUEUE = 16;
    private static final Object END = new Object();

    private final ZipOutputStream zip;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Thread thread;
    private volatile IOException failure;
    private boolean finished;

    /** A new entry starts. */
    private record Entry(String name) {
    }

    /** The current entry ends. */
    private record CloseEntry() {
    }

    AsyncZipWriter(ZipOutputStream zip) {
        this.zip = zip;
        this.thread = new Thread(this::drain, "rds-sync-backup-zip");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void drain() {
        try {
            while (true) {
                Object o = queue.take();
                if (o == END) {
                    zip.finish();
                    zip.flush();
                    return;
                }
                if (failure != null) {
                    continue; // keep taking so that the producer never blocks
                }
                try {
                    if (o instanceof byte[] b) {
                        zip.write(b);
                    } else if (o instanceof Entry e) {
                        zip.putNextEntry(new ZipEntry(e.name()));
                    } else if (o instanceof CloseEntry) {
                        zip.closeEntry();
                    }
                } catch (IOException e) {
                    failure = e;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            }
        }
    }

    private void put(Object o) throws IOException {
        check();
        try {
            queue.put(o);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.interrupt();
            throw new InterruptedIOException("interrupted while writing the preserved-rows file");
        }
    }

    private void check() throws IOException {
        IOException f = failure;
        if (f != null) {
            throw new IOException(f.getMessage(), f);
        }
    }

    void putNextEntry(String name) throws IOException {
        put(new Entry(name));
    }

    void closeEntry() throws IOException {
        put(new CloseEntry());
    }

    @Override
    public void write(int b) throws IOException {
        put(new byte[] {(byte) b});
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len > 0) {
            put(Arrays.copyOfRange(b, off, off + len));
        }
    }

    /** Writes the end of the archive and waits until everything is written. */
    void finish() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        put(END);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.interrupt();
            throw new InterruptedIOException("interrupted while writing the preserved-rows file");
        }
        check();
    }

    /** Stops the writing thread without finishing the archive (after a failure elsewhere). */
    void abort() {
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void flush() {
        // data is flushed by finish()
    }

    @Override
    public void close() throws IOException {
        finish();
    }
}
