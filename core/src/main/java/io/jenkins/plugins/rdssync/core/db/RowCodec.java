package io.jenkins.plugins.rdssync.core.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The row format of the preserved-rows file, which {@code LOAD DATA ... CHARACTER SET binary FIELDS TERMINATED BY
 * '\t' ESCAPED BY '\\' LINES TERMINATED BY '\n'} reads as it is: fields separated by TAB, rows ended by LF, NULL
 * written {@code \N}, and backslash, TAB, LF, CR and NUL escaped as {@code \\ \t \n \r \0}. Values are the
 * server's bytes, so text in any character set, binary data and emoji pass unchanged; a row is always exactly one
 * line.
 */
final class RowCodec {
    private RowCodec() {
    }

    /** Per byte: the letter that follows the backslash when it must be escaped, else 0. */
    private static final byte[] ESCAPE = new byte[256];

    static {
        ESCAPE['\\'] = '\\';
        ESCAPE['\t'] = 't';
        ESCAPE['\n'] = 'n';
        ESCAPE['\r'] = 'r';
        ESCAPE[0] = '0';
    }

    /** Writes rows into a stream through its own buffer. */
    static final class Writer {
        private final OutputStream out;
        private final byte[] buf = new byte[1 << 16];
        private int pos;
        private boolean first = true;

        Writer(OutputStream out) {
            this.out = out;
        }

        void field(byte[] v) throws IOException {
            if (!first) {
                put((byte) '\t');
            }
            first = false;
            if (v == null) {
                put((byte) '\\');
                put((byte) 'N');
                return;
            }
            // copy runs of plain bytes at once; only the few bytes that need a backslash go one by one
            int run = 0;
            for (int i = 0; i < v.length; i++) {
                byte e = ESCAPE[v[i] & 0xff];
                if (e != 0) {
                    write(v, run, i - run);
                    put((byte) '\\');
                    put(e);
                    run = i + 1;
                }
            }
            write(v, run, v.length - run);
        }

        private void write(byte[] src, int off, int len) throws IOException {
            while (len > 0) {
                if (pos == buf.length) {
                    out.write(buf, 0, pos);
                    pos = 0;
                }
                int n = Math.min(len, buf.length - pos);
                System.arraycopy(src, off, buf, pos, n);
                pos += n;
                off += n;
                len -= n;
            }
        }

        void endRow() throws IOException {
            put((byte) '\n');
            first = true;
        }

        private void put(byte b) throws IOException {
            if (pos == buf.length) {
                out.write(buf, 0, pos);
                pos = 0;
            }
            buf[pos++] = b;
        }

        void flush() throws IOException {
            if (pos > 0) {
                out.write(buf, 0, pos);
                pos = 0;
            }
            out.flush();
        }
    }

    /** Reads rows back: each row as an array of values, {@code null} for NULL. */
    static final class Reader {
        private final InputStream in;
        private final byte[] buf = new byte[1 << 16];
        private int pos;
        private int len;
        private byte[] field = new byte[256];
        private int flen;
        private boolean escapedAny;

        Reader(InputStream in) {
            this.in = in;
        }

        /** The next row, or {@code null} at the end. */
        byte[][] next() throws IOException {
            byte[][] row = new byte[8][];
            int n = 0;
            flen = 0;
            escapedAny = false;
            boolean any = false;
            while (true) {
                int b = read();
                if (b < 0) {
                    if (!any) {
                        return null;
                    }
                    throw new IOException("the last row is not terminated by a newline (truncated file?)");
                }
                any = true;
                if (b == '\t' || b == '\n') {
                    if (n == row.length) {
                        row = Arrays.copyOf(row, n * 2);
                    }
                    row[n++] = value();
                    flen = 0;
                    escapedAny = false;
                    if (b == '\n') {
                        return Arrays.copyOf(row, n);
                    }
                    continue;
                }
                if (b == '\\') {
                    int e = read();
                    if (e < 0) {
                        throw new IOException("truncated escape at the end of the data");
                    }
                    if (e == 'N' && flen == 0 && !escapedAny) {
                        int peek = peek();
                        if (peek == '\t' || peek == '\n') {
                            // \N alone is NULL
                            flen = -1;
                            continue;
                        }
                    }
                    escapedAny = true;
                    add(switch (e) {
                        case 't' -> (byte) '\t';
                        case 'n' -> (byte) '\n';
                        case 'r' -> (byte) '\r';
                        case '0' -> (byte) 0;
                        case 'b' -> (byte) 8;
                        case 'Z' -> (byte) 26;
                        default -> (byte) e;
                    });
                    continue;
                }
                add((byte) b);
            }
        }

        private byte[] value() {
            return flen < 0 ? null : Arrays.copyOf(field, flen);
        }

        private void add(byte b) {
            if (flen == field.length) {
                field = Arrays.copyOf(field, field.length * 2);
            }
            field[flen++] = b;
        }

        private int read() throws IOException {
            if (pos == len) {
                len = in.read(buf, 0, buf.length);
                pos = 0;
                if (len <= 0) {
                    len = 0;
                    return -1;
                }
            }
            return buf[pos++] & 0xff;
        }

        private int peek() throws IOException {
            if (pos == len) {
                len = in.read(buf, 0, buf.length);
                pos = 0;
                if (len <= 0) {
                    len = 0;
                    return -1;
                }
            }
            return buf[pos] & 0xff;
        }
    }
}
