package io.jenkins.plugins.rdssync.testkit;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * The DNS names of DB instances. On RDS an instance's endpoint is a DNS name made of its identifier; a client that
 * has the name reaches whichever instance holds the identifier, once DNS says so. Here every identifier ever used
 * gets one loopback port of its own for good (the "name"), and each connection to it is forwarded to the instance
 * the name resolves to at that moment.
 * <p>
 * Resolution follows RDS's rename (RDS User Guide, "Renaming a DB instance"): when a rename takes effect the old
 * name's record is deleted, but resolvers may keep it cached for a few minutes (a stale record: the old name still
 * reaches the renamed instance), and the new name's record may take a while to become effective (a propagation
 * delay). A name resolves to the oldest record valid now, as a client with a cached answer would: a stale record
 * wins over a newer one until it expires.
 */
final class NameEndpoints implements Closeable {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** One DNS answer: the name reaches {@code target} from {@code from} until {@code until} (System.nanoTime). */
    private static final class Record {
        final InstanceNet target;
        final long from;
        long until = Long.MAX_VALUE;

        Record(InstanceNet target, long from) {
            this.target = target;
            this.from = from;
        }

        boolean validAt(long now) {
            return from - now <= 0 && now - until < 0;
        }
    }

    private final ExecutorService threads;
    private final Map<String, ServerSocket> listeners = new HashMap<>();
    private final Map<String, List<Record>> records = new HashMap<>();
    private boolean closed;

    NameEndpoints(ExecutorService threads) {
        this.threads = threads;
    }

    /** A loopback port that was free a moment ago. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }

    /**
     * The port of a name, listening from now on (the preferred port if it is free, else any); the same port every
     * time for the same name.
     */
    synchronized int port(String name, int preferredPort) {
        ServerSocket ss = listeners.get(name);
        if (ss != null) {
            return ss.getLocalPort();
        }
        if (closed) {
            throw new IllegalStateException("the emulator is closed");
        }
        try {
            ss = bind(preferredPort);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen for " + name, e);
        }
        listeners.put(name, ss);
        ServerSocket accepting = ss;
        threads.execute(() -> acceptLoop(name, accepting));
        return ss.getLocalPort();
    }

    private static ServerSocket bind(int preferredPort) throws IOException {
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        try {
            ss.bind(new InetSocketAddress(LOOPBACK, Math.max(0, preferredPort)), 100);
        } catch (BindException e) {
            ss.close();
            if (preferredPort <= 0) {
                throw e;
            }
            ss = new ServerSocket();
            ss.setReuseAddress(true);
            ss.bind(new InetSocketAddress(LOOPBACK, 0), 100);
        }
        return ss;
    }

    /** From {@code delayNanos} on, the name reaches this instance (once; pointing again changes nothing). */
    synchronized void point(String name, InstanceNet target, long delayNanos) {
        long now = System.nanoTime();
        List<Record> rs = records.computeIfAbsent(name, k -> new ArrayList<>());
        rs.removeIf(r -> r.until - now <= 0);
        for (Record r : rs) {
            if (r.target == target && r.until == Long.MAX_VALUE) {
                return;
            }
        }
        rs.add(new Record(target, now + Math.max(0, delayNanos)));
    }

    /** The name's record for this instance is deleted; resolvers that cached it keep it for {@code staleNanos}. */
    synchronized void unpoint(String name, InstanceNet target, long staleNanos) {
        List<Record> rs = records.get(name);
        if (rs == null) {
            return;
        }
        long now = System.nanoTime();
        for (Record r : rs) {
            if (r.target == target && r.until == Long.MAX_VALUE) {
                // a record that was not effective yet was never cached by anyone
                r.until = staleNanos > 0 && r.from - now <= 0 ? now + staleNanos : now;
            }
        }
        rs.removeIf(r -> r.until - now <= 0);
    }

    /** The instance a new connection to this name reaches now, or null. */
    synchronized InstanceNet resolve(String name) {
        List<Record> rs = records.get(name);
        if (rs == null) {
            return null;
        }
        long now = System.nanoTime();
        for (Record r : rs) {
            if (r.validAt(now)) {
                return r.target;
            }
        }
        return null;
    }

    @Override
    public void close() {
        List<ServerSocket> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(listeners.values());
            listeners.clear();
            records.clear();
        }
        for (ServerSocket ss : all) {
            try {
                ss.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private void acceptLoop(String name, ServerSocket ss) {
        while (!ss.isClosed()) {
            Socket client;
            try {
                client = ss.accept();
            } catch (IOException e) {
                return;
            }
            InstanceNet target = resolve(name);
            if (target == null || !target.accepting()) {
                // nothing answers under this name now (renamed away, rebooting, deleted): the connection is refused
                InstanceNet.closeQuietly(client);
                continue;
            }
            Socket server = new Socket();
            try {
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                server.connect(new InetSocketAddress(LOOPBACK, target.serverPort()), 5000);
            } catch (IOException e) {
                InstanceNet.closeQuietly(client);
                InstanceNet.closeQuietly(server);
                continue;
            }
            target.track(client);
            target.track(server);
            if (!target.accepting()) {
                // closed while we connected: cut like every other live connection
                target.untrack(client);
                target.untrack(server);
                InstanceNet.closeQuietly(client);
                InstanceNet.closeQuietly(server);
                continue;
            }
            threads.execute(() -> pump(target, client, server));
            threads.execute(() -> pump(target, server, client));
        }
    }

    private static void pump(InstanceNet target, Socket from, Socket to) {
        byte[] buf = new byte[16384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException ignored) {
            // connection closed or dropped
        } finally {
            InstanceNet.closeQuietly(from);
            InstanceNet.closeQuietly(to);
            target.untrack(from);
            target.untrack(to);
        }
    }
}
