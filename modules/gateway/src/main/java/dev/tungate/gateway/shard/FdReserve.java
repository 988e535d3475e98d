package dev.tungate.gateway.shard;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * File descriptors kept back for what must never starve: established flows' sockets, UDP and
 * ICMP sockets, the control socket's accepted connections, log files. A new upstream TCP socket
 * (one per flow, opened when its SYN arrives) is allowed only while the open fds stay below the
 * limit minus {@link #reserve()}; past that the SYN is refused with RST and counted
 * ({@code tcpFdRefusals}), so a SYN flood meets a refusal, not EMFILE everywhere.
 *
 * <p>Counted as the upstream TCP sockets this gateway holds (exact, an atomic counter) plus every
 * other fd, sampled from {@code /proc/self/fd} at most once per {@link #SAMPLE_NANOS} (listing is
 * too dear per SYN). Shared by every shard.
 */
public final class FdReserve {
    static final long SAMPLE_NANOS = 1_000_000_000L;
    /** No limit: tests, and systems without /proc. */
    public static final FdReserve UNLIMITED = new FdReserve(Integer.MAX_VALUE, 0);

    private final int limit;
    private final int reserve;
    private final AtomicInteger sockets = new AtomicInteger();
    private volatile int others;
    private volatile long sampledAt = Long.MIN_VALUE / 2;

    FdReserve(int limit, int reserve) {
        this.limit = limit;
        this.reserve = reserve;
    }

    /**
     * The process's soft RLIMIT_NOFILE (the JVM raises it to the hard limit at start) and a
     * reserve of a tenth of it, at least 256: room for the control socket, UDP flows, and the
     * fds a burst of established flows' activity needs before the next sample.
     */
    public static FdReserve forThisProcess() {
        int limit = openFilesLimit();
        if (limit <= 0) {
            return UNLIMITED;
        }
        return new FdReserve(limit, Math.max(256, limit / 10));
    }

    /** Takes one upstream socket if it stays clear of the reserve; false: refuse the flow. */
    public boolean tryOpen(long nowNanos) {
        if (limit == Integer.MAX_VALUE) {
            return true;
        }
        if (nowNanos - sampledAt > SAMPLE_NANOS) {
            sampledAt = nowNanos;
            int open = countOpen();
            if (open >= 0) {   // -1 (EMFILE while listing): keep the last count rather than forget every other fd
                others = Math.max(0, open - sockets.get());
            }
        }
        if (others + sockets.get() + 1 > limit - reserve) {
            return false;
        }
        sockets.incrementAndGet();
        return true;
    }

    /** An upstream socket taken by {@link #tryOpen} was closed. */
    public void closed() {
        if (limit != Integer.MAX_VALUE) {
            sockets.decrementAndGet();
        }
    }

    /** Open fds now (a fresh count), -1 without /proc. */
    public static int countOpen() {
        int n = 0;
        try (DirectoryStream<Path> d = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path ignored : d) {
                n++;
            }
        } catch (IOException e) {
            return -1;
        }
        return n - 1;   // the directory stream's own fd
    }

    public int limit() {
        return limit;
    }

    public int reserve() {
        return reserve;
    }

    /** Soft "Max open files" of this process, -1 when unknown. */
    static int openFilesLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Integer.MAX_VALUE : Integer.parseInt(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
