package dev.tungate.gateway.shard;

import dev.tungate.gateway.config.Addresses;
import dev.tungate.gateway.config.GatewayConfig;
import dev.tungate.gateway.config.PolicyRule;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The namespace's view of the world (slirp4netns's plan): the gateway address is the host's
 * loopback (127.0.0.1 / ::1) unless --disable-host-loopback, the DNS address on port 53 is the
 * host's first resolver, and every other destination is itself, reached through host sockets.
 * Policy rules come first: a destination they reject or blackhole has no upstream. The host's
 * loopback by any raw address ({@link HostLoopback}) is refused whatever the flag and the rules
 * say: it is reachable only through the gateway address, and not at all with the flag.
 * Immutable; shared by every shard.
 */
public final class AddressPlan implements Destinations {
    private static final int DNS_PORT = 53, TCP = 6;
    private static final InetAddress LOOPBACK4 = InetAddress.getLoopbackAddress();
    private static final InetAddress LOOPBACK6 = loopback6();

    private final InetAddress gateway, gateway6, dns, dns6;
    private final boolean ipv6;
    private final boolean hostLoopback;
    private final List<InetSocketAddress> resolvers;
    private final List<PolicyRule> rules;

    public AddressPlan(GatewayConfig c, List<InetSocketAddress> resolvers) {
        this.gateway = c.gateway;
        this.gateway6 = c.gateway6;
        this.dns = c.dns;
        this.dns6 = c.dns6;
        this.ipv6 = c.ipv6;
        this.hostLoopback = !c.disableHostLoopback;
        this.resolvers = List.copyOf(resolvers);
        this.rules = List.copyOf(c.rules);
    }

    @Override
    public PolicyRule.Action action(InetAddress dst, int port) {
        return PolicyRule.decide(rules, dst, port);
    }

    /** Host loopback was refused before this ({@link Destinations#refusal}): no rule can open it. */
    @Override
    public Refusal planRefusal(InetAddress dst, int port, int protocol) {
        if (Destinations.reservedPort(port, protocol)) {
            return Refusal.NO_SERVICE;
        }
        PolicyRule.Action a = action(dst, port);
        if (a != PolicyRule.Action.DIRECT) {
            return a == PolicyRule.Action.REJECT ? Refusal.POLICY_REJECT : Refusal.POLICY_BLACKHOLE;
        }
        if (isGateway(dst)) {
            return hostLoopback ? null : Refusal.GATEWAY_DISABLED;
        }
        if (isDnsAddress(dst)) {
            // Only DNS lives there; UDP is the DNS forwarder's, TCP is relayed to the first resolver.
            return port == DNS_PORT && protocol == TCP && !resolvers.isEmpty() ? null : Refusal.NO_SERVICE;
        }
        return null;
    }

    @Override
    public InetSocketAddress upstream(InetAddress dst, int port, int protocol) {
        if (refusal(dst, port, protocol) != null) {
            return null;
        }
        if (isGateway(dst)) {
            return new InetSocketAddress(dst.getAddress().length == 16 ? LOOPBACK6 : LOOPBACK4, port);
        }
        if (isDnsAddress(dst)) {
            return resolvers.get(0);
        }
        return new InetSocketAddress(dst, port);
    }

    @Override
    public InetAddress router(int ipVersion) {
        return ipVersion == 4 ? gateway : ipv6 ? gateway6 : null;
    }

    @Override
    public boolean isLocal(InetAddress dst) {
        return isGateway(dst) || isDnsAddress(dst);
    }

    private boolean isGateway(InetAddress dst) {
        return dst.equals(gateway) || ipv6 && dst.equals(gateway6);
    }

    private boolean isDnsAddress(InetAddress dst) {
        return dst.equals(dns) || ipv6 && dst.equals(dns6);
    }

    @Override
    public boolean isDns(InetAddress dst, int port) {
        return port == DNS_PORT && isDnsAddress(dst);
    }

    private static InetAddress loopback6() {
        byte[] a = new byte[16];
        a[15] = 1;
        return Addresses.of(a);
    }
}
