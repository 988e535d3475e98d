package dev.tungate.gateway.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tungate.gateway.config.GatewayConfig;
import dev.tungate.gateway.config.PolicyRule;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AddressPlanTest {
    private static final int TCP = 6, UDP = 17;
    private static final InetSocketAddress RESOLVER = new InetSocketAddress(ip("127.0.0.53"), 53);

    private static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static AddressPlan plan(GatewayConfig c) {
        return new AddressPlan(c, List.of(RESOLVER));
    }

    @Test
    @DisplayName("the gateway address is the host's loopback, same port, per family")
    void gatewayIsHostLoopback() {
        AddressPlan p = plan(new GatewayConfig());
        assertEquals(new InetSocketAddress(ip("127.0.0.1"), 8080), p.upstream(ip("10.0.2.2"), 8080, TCP));
        assertEquals(new InetSocketAddress(ip("::1"), 443), p.upstream(ip("fd00::2"), 443, TCP));
    }

    @Test
    @DisplayName("--disable-host-loopback refuses the gateway address")
    void hostLoopbackDisabled() {
        GatewayConfig c = new GatewayConfig();
        c.disableHostLoopback = true;
        AddressPlan p = plan(c);
        assertNull(p.upstream(ip("10.0.2.2"), 8080, TCP));
        assertNull(p.upstream(ip("fd00::2"), 8080, UDP));
    }

    @Test
    @DisplayName("the DNS address: TCP port 53 goes to the first host resolver, nothing else is there")
    void dnsAddress() {
        AddressPlan p = plan(new GatewayConfig());
        assertEquals(RESOLVER, p.upstream(ip("10.0.2.3"), 53, TCP));
        assertEquals(RESOLVER, p.upstream(ip("fd00::3"), 53, TCP));
        assertNull(p.upstream(ip("10.0.2.3"), 80, TCP));
        assertTrue(p.isDns(ip("10.0.2.3"), 53));
        assertTrue(p.isDns(ip("fd00::3"), 53));
        assertFalse(p.isDns(ip("10.0.2.3"), 54));
        assertFalse(p.isDns(ip("10.0.2.2"), 53));
    }

    @Test
    void otherDestinationsGoDirect() {
        AddressPlan p = plan(new GatewayConfig());
        assertEquals(new InetSocketAddress(ip("198.18.0.7"), 9), p.upstream(ip("198.18.0.7"), 9, TCP));
    }

    @Test
    @DisplayName("policy: reject and blackhole have no upstream; the first matching rule decides")
    void policy() {
        GatewayConfig c = new GatewayConfig();
        c.rules.add(PolicyRule.parse("198.18.0.0/16:80 reject"));
        c.rules.add(PolicyRule.parse("198.18.0.0/15 blackhole"));
        AddressPlan p = plan(c);
        assertEquals(PolicyRule.Action.REJECT, p.action(ip("198.18.1.1"), 80));
        assertNull(p.upstream(ip("198.18.1.1"), 80, TCP));
        assertEquals(PolicyRule.Action.BLACKHOLE, p.action(ip("198.19.1.1"), 80));
        assertNull(p.upstream(ip("198.19.1.1"), 80, TCP));
        assertEquals(PolicyRule.Action.DIRECT, p.action(ip("10.0.2.2"), 80));
    }
}
