package dev.tungate.gateway.shard;

import dev.tungate.gateway.config.PolicyRule;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Where a namespace destination really goes: host-loopback mapping, the DNS address, blocking. */
public interface Destinations {
    /**
     * The host-side address to contact for a namespace destination, or null when it must be
     * refused. The gateway address maps to 127.0.0.1 / ::1 (null with --disable-host-loopback);
     * the DNS address on port 53 maps to the first host resolver; anything else goes direct.
     *
     * @param protocol IANA protocol number: 6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6
     */
    InetSocketAddress upstream(InetAddress dst, int port, int protocol);

    /** True for the namespace's DNS address (v4 or v6) on port 53. */
    boolean isDns(InetAddress dst, int port);

    /**
     * What the policy says about a destination, before any upstream is chosen: REJECT (answer
     * RST / ICMP administratively prohibited), BLACKHOLE (drop silently) or DIRECT. Both REJECT
     * and BLACKHOLE also make {@link #upstream} return null.
     */
    default PolicyRule.Action action(InetAddress dst, int port) {
        return PolicyRule.Action.DIRECT;
    }
}
