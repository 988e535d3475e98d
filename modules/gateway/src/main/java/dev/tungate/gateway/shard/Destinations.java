package dev.tungate.gateway.shard;

import dev.tungate.gateway.config.PolicyRule;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Where a namespace destination really goes: host-loopback mapping, the DNS address, blocking.
 * Every relay (TCP, UDP, ICMP echo) asks {@link #refusal} first and {@link #upstream} only when
 * that is null, so what may leave the namespace is decided in one place.
 */
public interface Destinations {
    /**
     * The host-side address to contact for a namespace destination, or null when it must be
     * refused ({@link #refusal} is then not null). The gateway address maps to 127.0.0.1 / ::1;
     * the DNS address on port 53 maps to the first host resolver; anything else goes direct.
     *
     * @param protocol IANA protocol number: 6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6
     */
    InetSocketAddress upstream(InetAddress dst, int port, int protocol);

    /** True for the namespace's DNS address (v4 or v6) on port 53. */
    boolean isDns(InetAddress dst, int port);

    /**
     * The gateway's own address in the namespace for IP version 4 or 6: the router at which a TTL /
     * hop limit of 1 ends (time exceeded comes from it). Null: none, and TTLs are not checked.
     */
    default InetAddress router(int ipVersion) {
        return null;
    }

    /** Addresses the gateway answers for itself (gateway, DNS): a packet with TTL 1 still reaches them. */
    default boolean isLocal(InetAddress dst) {
        return false;
    }

    /**
     * What the policy says about a destination, before any upstream is chosen: REJECT (answer
     * RST / ICMP administratively prohibited), BLACKHOLE (drop silently) or DIRECT. Both REJECT
     * and BLACKHOLE also make {@link #upstream} return null.
     */
    default PolicyRule.Action action(InetAddress dst, int port) {
        return PolicyRule.Action.DIRECT;
    }

    /**
     * Why {@code dst:port} must not be relayed, or null when {@link #upstream} may be contacted. The
     * host's loopback by raw address is refused here, before any implementation's plan or rules, so
     * no plan, rule or test stub can open it: it is reachable only through a mapped address.
     *
     * @param protocol IANA protocol number: 6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6
     */
    default Refusal refusal(InetAddress dst, int port, int protocol) {
        return HostLoopback.reaches(dst) ? Refusal.HOST_LOOPBACK : planRefusal(dst, port, protocol);
    }

    /**
     * The implementation's own reasons, asked only for destinations that are not host loopback. The
     * default derives them from {@link #action} and {@link #upstream} (for test stubs); the address
     * plan decides them itself.
     */
    default Refusal planRefusal(InetAddress dst, int port, int protocol) {
        if (reservedPort(port, protocol)) {
            return Refusal.NO_SERVICE;
        }
        return switch (action(dst, port)) {
            case REJECT -> Refusal.POLICY_REJECT;
            case BLACKHOLE -> Refusal.POLICY_BLACKHOLE;
            case DIRECT -> upstream(dst, port, protocol) == null ? Refusal.NO_SERVICE : null;
        };
    }

    /** UDP port 0: reserved (RFC 6335 §6), and the kernel refuses to send to it (a TCP connect to it is refused upstream). */
    static boolean reservedPort(int port, int protocol) {
        return port == 0 && protocol == 17;
    }
}
