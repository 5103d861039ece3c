package io.jenkins.plugins.rdssync.testkit;

import java.io.IOException;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The network side of one DB instance: whether its server takes connections now (not while it reboots, is stopped
 * or deleted) and the connections open to it, whichever name they came through, so that a reboot or a fault can cut
 * them all.
 */
final class InstanceNet {
    private final int serverPort;
    private volatile boolean accepting;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    InstanceNet(int serverPort) {
        this.serverPort = serverPort;
    }

    int serverPort() {
        return serverPort;
    }

    boolean accepting() {
        return accepting;
    }

    /** Takes new connections from now on. */
    void open() {
        accepting = true;
    }

    /** Refuses new connections and cuts the live ones (a reboot, a stop, a deletion). */
    void close() {
        accepting = false;
        dropConnections();
    }

    /** Cuts every live connection; new ones are still taken. */
    void dropConnections() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
    }

    int liveConnections() {
        return sockets.size() / 2;
    }

    void track(Socket s) {
        sockets.add(s);
    }

    void untrack(Socket s) {
        sockets.remove(s);
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
