package dev.tungate.tcp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Turns a leak report of Netty's detector (PARANOID in every test JVM, see the parent pom) into a
 * test failure instead of a log line: {@link #install()} hooks the ByteBuf detector's listener,
 * {@link #assertNoLeaksReported()} collects garbage, lets the detector poll its queue and fails on
 * any report. Deterministic leak checks stay with the reference counts ({@link TcpHarness#assertNoLeaks()});
 * this one catches what escaped them.
 */
final class LeakGuard {
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
    private static volatile boolean installed;

    private LeakGuard() { }

    static synchronized void install() {
        if (installed) {
            return;
        }
        try {
            Field f = Class.forName("io.netty.buffer.AbstractByteBuf").getDeclaredField("leakDetector");
            f.setAccessible(true);
            ResourceLeakDetector<?> d = (ResourceLeakDetector<?>) f.get(null);
            d.setLeakListener((type, records) -> LEAKS.add(type + ": " + records));
            installed = true;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot hook Netty's leak detector", e);
        }
    }

    /** Leaked buffers become unreachable; a GC queues them and the next tracked allocation reports them. */
    static void assertNoLeaksReported() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            ByteBuf probe = PooledByteBufAllocator.DEFAULT.directBuffer(1);
            probe.release();
        }
        assertTrue(LEAKS.isEmpty(), () -> "Netty's leak detector reported: " + LEAKS);
    }
}
