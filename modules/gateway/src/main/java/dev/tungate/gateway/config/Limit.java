package dev.tungate.gateway.config;

/**
 * The valid range of every numeric setting, shared by the config file and the command line so a
 * value is refused at start-up whichever way it came (not by the kernel or a hanging flow later).
 * {@link #text} is what an error message says was expected.
 */
public enum Limit {
    /** RFC 8200 §5: IPv6 needs a link MTU of at least 1280; 65520 is slirp4netns's and pasta's maximum. */
    MTU(1280, 65520, "1280..65520"),
    QUEUES(1, 64, "1..64"),
    /** The kernel takes any u32; a TUN queue longer than this only hides a stuck reader. */
    TX_QUEUE_LEN(1, 1_000_000, "1..1000000"),
    /** TIME-WAIT is 2 MSL (RFC 9293 §3.4.2); RFC 9293 suggests 2 minutes. */
    MSL_MILLIS(1, 600_000, "1ms..10m"),
    /**
     * Per-connection buffers: below 64 KiB a window cannot hold one super-segment; above 1 GiB the
     * window scale cannot announce it (RFC 7323 §2.3: at most 2^30).
     */
    BUFFER_BYTES(64 << 10, 1 << 30, "64k..1024m"),
    /** The gateway-wide memory budget (0: none); the JVM's direct memory cannot exceed the machine's. */
    MEMORY_BYTES(0, 1L << 40, "0..1048576m"),
    /** 0 would mean "no timeout" to the socket layer: a SYN held forever. */
    CONNECT_TIMEOUT_MILLIS(1, 600_000, "1ms..10m"),
    /** Every UDP flow holds one socket (fd) of the process. */
    UDP_FLOW_LIMIT(1, 1_000_000, "1..1000000"),
    UDP_IDLE_MILLIS(1000, 3_600_000, "1s..60m");

    public final long min, max;
    /** The range as the user writes it, for "expected ..." in errors. */
    public final String text;

    Limit(long min, long max, String text) {
        this.min = min;
        this.max = max;
        this.text = text;
    }

    public boolean contains(long v) {
        return v >= min && v <= max;
    }
}
