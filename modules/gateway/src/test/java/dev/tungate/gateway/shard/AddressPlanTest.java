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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPlanTest {
    private static final int TCP = 6, UDP = 17, ICMP = 1, ICMPV6 = 58;
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

    /** Every raw form of the host's loopback, as the namespace can put it in a packet. */
    @ParameterizedTest(name = "{0} is host loopback")
    @ValueSource(strings = {"127.0.0.1", "127.0.0.0", "127.1.2.3", "127.255.255.255", "0.0.0.0", "0.1.2.3",
            "::1", "::", "::ffff:127.0.0.1", "::ffff:127.9.9.9", "::ffff:0.0.0.0", "::ffff:0.0.0.1",
            "::127.0.0.1", "::7f00:1", "::0.0.0.2", "::0.255.0.1"})
    @DisplayName("host loopback by raw address is refused for TCP, UDP and ICMP, with and without the flag")
    void rawHostLoopbackRefused(String literal) {
        InetAddress dst = ip(literal);
        assertTrue(HostLoopback.reaches(dst));
        // Java hands v4-mapped literals back as IPv4: the bytes of the packet are checked too.
        assertTrue(HostLoopback.reaches(v6Bytes(literal)));
        GatewayConfig open = new GatewayConfig();
        open.rules.add(PolicyRule.parse("0.0.0.0/0 direct"));   // no rule opens it
        open.rules.add(PolicyRule.parse("[::]/0 direct"));
        GatewayConfig closed = new GatewayConfig();
        closed.disableHostLoopback = true;
        for (AddressPlan p : List.of(plan(open), plan(closed))) {
            for (int protocol : new int[] {TCP, UDP, ICMP, ICMPV6}) {
                assertEquals(Refusal.HOST_LOOPBACK, p.refusal(dst, 80, protocol), literal + " protocol " + protocol);
                assertNull(p.upstream(dst, 80, protocol), literal + " protocol " + protocol);
            }
        }
    }

    @ParameterizedTest(name = "{0} is not host loopback")
    @ValueSource(strings = {"1.0.0.1", "126.255.255.255", "128.0.0.1", "10.0.2.2", "198.18.0.7", "::2:0:0:1",
            "::ffff:128.0.0.1", "::ffff:10.0.2.2", "::1:0:0:1", "1::1", "fe80::1", "fd00::2", "::ffff:0:127.0.0.1",
            "64:ff9b::7f00:1"})
    void otherAddressesAreNotHostLoopback(String literal) {
        assertFalse(HostLoopback.reaches(ip(literal)));
        assertFalse(HostLoopback.reaches(v6Bytes(literal)));
    }

    @Test
    @DisplayName("--disable-host-loopback: the gateway address is refused for every protocol, under its own reason")
    void gatewayRefusedWithFlag() {
        GatewayConfig c = new GatewayConfig();
        c.disableHostLoopback = true;
        AddressPlan p = plan(c);
        for (int protocol : new int[] {TCP, UDP, ICMP}) {
            assertEquals(Refusal.GATEWAY_DISABLED, p.refusal(ip("10.0.2.2"), 80, protocol));
            assertEquals(Refusal.GATEWAY_DISABLED, p.refusal(ip("::ffff:10.0.2.2"), 80, protocol));
        }
        assertEquals(Refusal.GATEWAY_DISABLED, p.refusal(ip("fd00::2"), 80, ICMPV6));
        assertNull(plan(new GatewayConfig()).refusal(ip("10.0.2.2"), 80, ICMP));
    }

    /** The literal as the 16 bytes of an IPv6 packet's address (IPv4 literals as v4-mapped). */
    private static byte[] v6Bytes(String literal) {
        byte[] a = ip(literal).getAddress();
        if (a.length == 16) {
            byte[] raw = new byte[16];
            System.arraycopy(a, 0, raw, 0, 16);
            return raw;
        }
        byte[] m = new byte[16];
        m[10] = (byte) 0xFF;
        m[11] = (byte) 0xFF;
        System.arraycopy(a, 0, m, 12, 4);
        return m;
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
