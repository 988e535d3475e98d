package dev.tungate.gateway.cli;

import dev.tungate.gateway.config.AddressText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tungate.gateway.config.GatewayConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The address plan the options produce: slirp4netns's defaults, and its .2/.3 rule for other prefixes. */
class NetworkOptionsTest {
    private static GatewayConfig parse(String... args) {
        RunCommand cmd = new RunCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.net.toConfig();
    }

    @Test
    @DisplayName("defaults: 10.0.2.100/24 via 10.0.2.2, DNS 10.0.2.3; fd00::100/64 via fd00::2, DNS fd00::3; MTU 65520")
    void defaults() {
        GatewayConfig c = parse("--netns", "x");
        assertEquals("10.0.2.100/24 10.0.2.2 10.0.2.3", plan4(c));
        assertEquals("fd00::100/64 fd00::2 fd00::3", plan6(c));
        assertEquals(65520, c.mtu);
        assertTrue(c.offload);
        assertFalse(c.disableHostLoopback);
        assertEquals("tun0", c.tunName);
    }

    @Test
    @DisplayName("--address alone puts gateway and DNS at network + 2 and + 3")
    void gatewayAndDnsFollowTheAddress() {
        assertEquals("192.168.7.20/24 192.168.7.2 192.168.7.3", plan4(parse("--netns", "x", "--address", "192.168.7.20/24")));
        assertEquals("fd12:3::5/64 fd12:3::2 fd12:3::3", plan6(parse("--netns", "x", "--ipv6", "fd12:3::5/64")));
    }

    @Test
    void explicitGatewayWins() {
        GatewayConfig c = parse("--netns", "x", "--address", "172.16.0.10/16", "--gateway", "172.16.9.1", "--dns", "172.16.9.2");
        assertEquals("172.16.0.10/16 172.16.9.1 172.16.9.2", plan4(c));
    }

    @Test
    void switches() {
        GatewayConfig c = parse("--netns", "x", "--no-offload", "--disable-host-loopback", "--queues", "3", "--mtu", "1500",
                "--tun", "tg9");
        assertFalse(c.offload);
        assertTrue(c.disableHostLoopback);
        assertEquals(3, c.queues);
        assertEquals(1500, c.mtu);
        assertEquals("tg9", c.tunName);
    }

    @Test
    @DisplayName("a /31 leaves no room for .2 and .3: the derived gateway is outside and refused")
    void prefixTooSmall() {
        UsageError e = org.junit.jupiter.api.Assertions.assertThrows(UsageError.class,
                () -> parse("--netns", "x", "--address", "10.9.9.8/31"));
        assertTrue(e.getMessage().contains("outside 10.9.9.8/31"), e.getMessage());
    }

    private static String plan4(GatewayConfig c) {
        return AddressText.of(c.address) + "/" + c.prefixLength + " " + AddressText.of(c.gateway) + " " + AddressText.of(c.dns);
    }

    private static String plan6(GatewayConfig c) {
        return AddressText.of(c.address6) + "/" + c.prefixLength6 + " " + AddressText.of(c.gateway6) + " "
                + AddressText.of(c.dns6);
    }
}
