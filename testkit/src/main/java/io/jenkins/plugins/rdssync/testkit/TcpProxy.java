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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * The endpoint of one DB instance: a loopback TCP listener that forwards every connection to the
 * instance's MariaDB server. Closing the listener makes the endpoint refuse new connections at once
 * (a rename, a reboot, a deletion); {@link #dropConnections()} cuts every live connection (a fault, a reboot).
 */
final class TcpProxy implements Closeable {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final ExecutorService threads;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private ServerSocket listener;
    private int port;

    TcpProxy(ExecutorService threads, int targetPort) {
        this.threads = threads;
        this.targetPort = targetPort;
    }

    /** A loopback port that was free a moment ago (to announce an endpoint before it listens). */
    static int freePort(int preferred) {
        if (preferred > 0 && isFree(preferred)) {
            return preferred;
        }
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(LOOPBACK, port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Starts listening on the preferred port (0 = any); if it is taken, on any free port.
     *
     * @return the port listened on
     */
    synchronized int listen(int preferredPort) throws IOException {
        if (listener != null) {
            return port;
        }
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        try {
            ss.bind(new InetSocketAddress(LOOPBACK, preferredPort), 100);
        } catch (BindException e) {
            ss.close();
            if (preferredPort == 0) {
                throw e;
            }
            ss = new ServerSocket();
            ss.setReuseAddress(true);
            ss.bind(new InetSocketAddress(LOOPBACK, 0), 100);
        }
        listener = ss;
        port = ss.getLocalPort();
        ServerSocket accepting = ss;
        threads.execute(() -> acceptLoop(accepting));
        return port;
    }

    synchronized boolean isListening() {
        return listener != null;
    }

    synchronized int port() {
        return port;
    }

    /** Stops accepting: new connections are refused from now on. Live connections are kept. */
    synchronized void stopListening() {
        if (listener != null) {
            try {
                listener.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            listener = null;
        }
    }

    /** Cuts every live connection through this endpoint. */
    void dropConnections() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
    }

    int liveConnections() {
        return sockets.size() / 2;
    }

    @Override
    public void close() {
        stopListening();
        dropConnections();
    }

    private void acceptLoop(ServerSocket ss) {
        while (!ss.isClosed()) {
            Socket client;
            try {
                client = ss.accept();
            } catch (IOException e) {
                return;
            }
            Socket server = new Socket();
            try {
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                server.connect(new InetSocketAddress(LOOPBACK, targetPort), 5000);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(server);
                continue;
            }
            sockets.add(client);
            sockets.add(server);
            threads.execute(() -> pump(client, server));
            threads.execute(() -> pump(server, client));
        }
    }

    private void pump(Socket from, Socket to) {
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
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
