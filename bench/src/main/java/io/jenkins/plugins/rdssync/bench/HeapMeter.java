package io.jenkins.plugins.rdssync.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The heap a piece of work keeps alive. While it runs, a sampler asks for a full collection every 50 ms; each full
 * collection reports the heap in use at its end, inside the pause (what is reachable, before any thread allocates
 * again). The largest such figure minus the one before the work started is its live-heap growth. Only for an
 * untimed run: the collections cost time. Memory that grows with the rows shows up here; a streaming
 * implementation's figure is the same for 100k and 1M rows.
 */
final class HeapMeter implements AutoCloseable {
    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::onGc;
    private final AtomicLong last = new AtomicLong(-1);
    private final AtomicLong peak = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private final long baseline;
    private final Thread sampler;
    private volatile boolean measuring;
    private volatile boolean stop;

    HeapMeter() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter e) {
                e.addNotificationListener(listener, null, null);
                emitters.add(e);
            }
        }
        baseline = collect();
        measuring = true;
        sampler = new Thread(() -> {
            while (!stop) {
                collect();
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-meter");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void onGc(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                (CompositeData) n.getUserData());
        if (!"System.gc()".equals(info.getGcCause())) {
            return;
        }
        long used = 0;
        for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(e.getKey())) {
                used += e.getValue().getUsed();
            }
        }
        last.set(used);
        if (measuring) {
            peak.accumulateAndGet(used, Math::max);
            samples.incrementAndGet();
        }
    }

    /** A full collection; returns the heap in use at its end (notifications arrive shortly after). */
    private long collect() {
        last.set(-1);
        System.gc();
        for (int i = 0; i < 200 && last.get() < 0; i++) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Math.max(0, last.get());
    }

    /** Peak live heap above the baseline, in bytes. */
    long peakGrowth() {
        return Math.max(0, peak.get() - baseline);
    }

    /** Peak live heap, in bytes (the baseline included). */
    long peak() {
        return Math.max(peak.get(), baseline);
    }

    long samples() {
        return samples.get();
    }

    @Override
    public void close() {
        if (stop) {
            return;
        }
        stop = true;
        sampler.interrupt();
        try {
            sampler.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        measuring = false;
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(listener);
            } catch (javax.management.ListenerNotFoundException ex) {
                // already gone
            }
        }
    }
}
