package dev.tungate.gateway.shard;

/**
 * Why a namespace destination has no upstream, decided once per flow by
 * {@link Destinations#refusal} for TCP, UDP and ICMP echo alike. Each reason has its own counter
 * ({@code refused.<REASON>} in {@code ctl stats}, indexed by {@link #ordinal()}).
 *
 * <p>What the namespace sees: an answered refusal is TCP RST,ACK (as from a closed port, so
 * {@code connect()} fails at once with ECONNREFUSED) or, for UDP and ping, ICMP destination
 * unreachable "communication administratively prohibited" (RFC 792 code 13, RFC 4443 §3.1 code 1);
 * a silent one gets nothing, as behind a dropping firewall.
 */
public enum Refusal {
    /** A policy rule says reject. */
    POLICY_REJECT(true),
    /** A policy rule says blackhole: the client times out. */
    POLICY_BLACKHOLE(false),
    /**
     * The destination is the host's own loopback by its raw address (127.0.0.0/8, 0.0.0.0/8, ::1,
     * ::, v4-mapped or v4-compatible forms of those): never relayed, with or without
     * --disable-host-loopback. Host loopback is reachable only through the gateway address.
     */
    HOST_LOOPBACK(true),
    /** The gateway address with --disable-host-loopback. */
    GATEWAY_DISABLED(true),
    /** An address of the gateway's own plan with nothing behind it (the DNS address off port 53). */
    NO_SERVICE(true);

    private final boolean answered;

    Refusal(boolean answered) {
        this.answered = answered;
    }

    /** True when the namespace is told (RST / ICMP prohibited), false when the packet is dropped silently. */
    public boolean answered() {
        return answered;
    }
}
