package io.jenkins.plugins.rdssync.core.run;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Replaces the values of the resolved credentials by {@code ****} in everything written to the build log, the way
 * credentials-binding's {@code SecretPatterns} masking stream does for bound variables. Works on whole lines (a
 * line ends with {@code \n} or {@code \r}), so a secret is never split between two writes; a partial line is held
 * back until its end, until {@link #close()}, or until it grows past {@link #MAX_LINE} bytes.
 *
 * <p>The engine is written never to print secrets; this is the second line of defence (an SDK or JDBC message that
 * quotes a value, a SQL file that echoes one). Secrets shorter than {@link #MIN_LENGTH} characters are not masked:
 * replacing every "a" would make the log unreadable and protects nothing.
 *
 * <p>Plain Java: the Jenkins plugin wraps the build log with it on the agent, and masks the messages of its form
 * buttons with {@link #mask}.
 */
public final class SecretMaskingOutputStream extends FilterOutputStream {
    static final int MIN_LENGTH = 3;
    static final int MAX_LINE = 64 * 1024;
    static final String MASK = "****";

    private final List<byte[]> secrets;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

    /**
     * @param out where masked output goes
     * @param secretValues values to hide; {@code null} and short entries are ignored
     */
    public SecretMaskingOutputStream(OutputStream out, Collection<String> secretValues) {
        super(out);
        List<byte[]> s = new ArrayList<>();
        if (secretValues != null) {
            for (String v : secretValues) {
                if (v != null && v.length() >= MIN_LENGTH) {
                    s.add(v.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        // longest first, so a secret that contains another is masked whole
        s.sort(Comparator.comparingInt((byte[] b) -> b.length).reversed());
        this.secrets = s;
    }

    /** {@code text} with the secret values replaced, as this stream writes it (for messages outside the log). */
    public static String mask(String text, Collection<String> secretValues) {
        if (text == null) {
            return "";
        }
        byte[] masked = new SecretMaskingOutputStream(OutputStream.nullOutputStream(), secretValues)
                .mask(text.getBytes(StandardCharsets.UTF_8));
        return new String(masked, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) throws IOException {
        line.write(b);
        if (b == '\n' || b == '\r' || line.size() >= MAX_LINE) {
            emitLine();
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        int end = off + len;
        int start = off;
        for (int i = off; i < end; i++) {
            if (b[i] == '\n' || b[i] == '\r') {
                line.write(b, start, i + 1 - start);
                emitLine();
                start = i + 1;
            }
        }
        if (start < end) {
            line.write(b, start, end - start);
            if (line.size() >= MAX_LINE) {
                emitLine();
            }
        }
    }

    /** Flushes complete lines only: a partial line may end in the first half of a secret. */
    @Override
    public synchronized void flush() throws IOException {
        out.flush();
    }

    /** Writes out a held-back partial line (at the end of a run), without closing the underlying stream. */
    public synchronized void drain() throws IOException {
        if (line.size() > 0) {
            emitLine();
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (line.size() > 0) {
            emitLine();
        }
        super.close();
    }

    private void emitLine() throws IOException {
        byte[] bytes = line.toByteArray();
        line.reset();
        out.write(mask(bytes));
        out.flush();
    }

    byte[] mask(byte[] bytes) {
        if (secrets.isEmpty()) {
            return bytes;
        }
        ByteArrayOutputStream r = new ByteArrayOutputStream(bytes.length);
        byte[] mask = MASK.getBytes(StandardCharsets.US_ASCII);
        int i = 0;
        outer:
        while (i < bytes.length) {
            for (byte[] s : secrets) {
                if (startsWith(bytes, i, s)) {
                    r.write(mask, 0, mask.length);
                    i += s.length;
                    continue outer;
                }
            }
            r.write(bytes[i]);
            i++;
        }
        return r.toByteArray();
    }

    private static boolean startsWith(byte[] text, int at, byte[] s) {
        if (at + s.length > text.length) {
            return false;
        }
        for (int k = 0; k < s.length; k++) {
            if (text[at + k] != s[k]) {
                return false;
            }
        }
        return true;
    }
}
