package dev.tungate.gateway.stage;

import dev.tungate.gateway.shard.FlowKey;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * A live flow as {@code ctl impair flow FLOW SPEC} names it: {@code PEER-LOCAL}, the two columns of
 * {@code ctl conns} joined by a dash, e.g. {@code 10.0.2.100:40312-10.0.2.2:80} or
 * {@code [fd00::100]:40312-[fd00::2]:80}. The namespace side first, like {@link FlowKey#toString()}.
 */
public record FlowName(InetSocketAddress ns, InetSocketAddress remote) {
    static final String EXPECTED = "expected NSADDR:PORT-REMOTE:PORT as ctl conns shows it (Peer-Local), e.g. 10.0.2.100:40312-10.0.2.2:80";

    /** Parses {@code text}; a bad one throws with one line naming what was found and what was expected. */
    public static FlowName parse(String text) {
        int dash = text.indexOf('-');
        InetSocketAddress ns = dash > 0 ? endpoint(text.substring(0, dash)) : null;
        InetSocketAddress remote = dash > 0 ? endpoint(text.substring(dash + 1)) : null;
        if (ns == null || remote == null || (ns.getAddress() instanceof Inet4Address) != (remote.getAddress() instanceof Inet4Address)) {
            throw new IllegalArgumentException("impair flow: found '" + text + "', " + EXPECTED);
        }
        return new FlowName(ns, remote);
    }

    /** ADDR:PORT or [V6]:PORT with a literal address (never resolved), or null. */
    private static InetSocketAddress endpoint(String s) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0) {
            return null;
        }
        String host = s.substring(0, colon);
        boolean v6 = host.startsWith("[") && host.endsWith("]");
        if (v6) {
            host = host.substring(1, host.length() - 1);
        }
        boolean literal = !host.isEmpty() && host.chars().allMatch(c -> c == '.' || c == ':' || Character.digit(c, 16) >= 0)
                && (v6 ? host.indexOf(':') >= 0 : host.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9'));
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            return null;
        }
        if (!literal || port < 1 || port > 65535) {
            return null;
        }
        try {
            InetAddress a = InetAddress.getByName(host);   // a literal: parsed, never resolved
            return (a instanceof Inet6Address) == v6 ? new InetSocketAddress(a, port) : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** The stage's key for this flow. */
    public FlowKey key() {
        InetAddress n = ns.getAddress(), r = remote.getAddress();
        if (n instanceof Inet4Address) {
            return new FlowKey().v4(ByteBuffer.wrap(n.getAddress()).getInt(), ns.getPort(),
                    ByteBuffer.wrap(r.getAddress()).getInt(), remote.getPort());
        }
        ByteBuffer a = ByteBuffer.wrap(n.getAddress()), b = ByteBuffer.wrap(r.getAddress());
        return new FlowKey().v6(a.getLong(), a.getLong(), ns.getPort(), b.getLong(), b.getLong(), remote.getPort());
    }

    /** "flow PEER-LOCAL": the name its counters carry in {@code ctl impair list}. */
    @Override
    public String toString() {
        return "flow " + FlowKey.endpoint(ns.getAddress(), ns.getPort()) + "-" + FlowKey.endpoint(remote.getAddress(), remote.getPort());
    }
}
