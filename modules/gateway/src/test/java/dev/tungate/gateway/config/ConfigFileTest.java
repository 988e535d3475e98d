package dev.tungate.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("config file")
class ConfigFileTest {
    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        Path f = dir.resolve("t.conf");
        Files.writeString(f, text);
        return f;
    }

    private String error(String text) throws IOException {
        Path f = file(text);
        return assertThrows(ConfigException.class, () -> ConfigFile.parse(f, new GatewayConfig())).getMessage();
    }

    @Test
    @DisplayName("every key is applied; comments and blank lines are ignored; resolver and rule append")
    void appliesEveryKey() throws Exception {
        GatewayConfig c = new GatewayConfig();
        ConfigFile.parse(file("""
                # a comment
                netns = box
                tun = tg0            # trailing comment
                address = 10.9.0.100/16
                gateway = 10.9.0.2
                dns = 10.9.0.3
                mtu = 1500

                ipv6 = fd11::100/64
                gateway6 = fd11::2
                dns6 = fd11::3
                disable-host-loopback = true
                no-offload = true
                queues = 2
                tx-queue-len = 500
                msl = 2s
                send-buffer = 4m
                receive-buffer = 512k
                congestion-control = reno
                connect-timeout = 1500ms
                resolver = 127.0.0.53
                resolver = [::1]:5353
                ctl = /tmp/x.sock
                udp-flow-limit = 100
                udp-idle-timeout = 1m
                rule = 198.18.0.0/15:443 reject
                rule = [fd00:dead::]/32 blackhole
                rule = 0.0.0.0/0 direct
                """), c);
        assertEquals("box", c.netns);
        assertEquals("tg0", c.tunName);
        assertEquals(InetAddress.getByName("10.9.0.100"), c.address);
        assertEquals(16, c.prefixLength);
        assertEquals(InetAddress.getByName("10.9.0.2"), c.gateway);
        assertEquals(InetAddress.getByName("10.9.0.3"), c.dns);
        assertEquals(1500, c.mtu);
        assertTrue(c.ipv6);
        assertEquals(InetAddress.getByName("fd11::100"), c.address6);
        assertEquals(InetAddress.getByName("fd11::2"), c.gateway6);
        assertEquals(InetAddress.getByName("fd11::3"), c.dns6);
        assertTrue(c.disableHostLoopback);
        assertFalse(c.offload);
        assertEquals(2, c.queues);
        assertEquals(500, c.txQueueLen);
        assertEquals(2_000_000_000L, c.mslNanos);
        assertEquals(4 << 20, c.sendBufferBytes);
        assertEquals(512 << 10, c.receiveBufferBytes);
        assertEquals("reno", c.congestionControl);
        assertEquals(1500, c.connectTimeoutMillis);
        assertEquals(List.of(new InetSocketAddress(InetAddress.getByName("127.0.0.53"), 53),
                new InetSocketAddress(InetAddress.getByName("::1"), 5353)), c.dnsResolvers);
        assertEquals(Path.of("/tmp/x.sock"), c.controlSocket);
        assertEquals(100, c.udpFlowLimit);
        assertEquals(60_000, c.udpIdleTimeoutMillis);
        assertEquals("[198.18.0.0/15:443 reject, [fd00:dead::]/32 blackhole, 0.0.0.0/0 direct]", c.rules.toString());
    }

    @Test
    @DisplayName("ipv6 = off turns IPv6 off")
    void ipv6Off() throws Exception {
        GatewayConfig c = new GatewayConfig();
        ConfigFile.parse(file("ipv6 = off\n"), c);
        assertFalse(c.ipv6);
    }

    @Test
    @DisplayName("an unknown key names the file, the line and every key")
    void unknownKey() throws IOException {
        Path f = dir.resolve("t.conf");
        assertEquals(f + ":2: unknown key 'x'; expected one of " + String.join(", ", ConfigFile.keys()), error("# c\nx = 1\n"));
        assertTrue(ConfigFile.keys().contains("disable-host-loopback"));
    }

    @Test
    @DisplayName("impair.NAME = SPEC defines a profile; a rule attaches it with impair=NAME; impair = SPEC is every flow's")
    void impairProfiles() throws Exception {
        GatewayConfig c = new GatewayConfig();
        ConfigFile.parse(file("impair.sat = delay=300ms seed=7\nrule = 198.18.0.0/15:443 direct impair=sat\nimpair = loss=1%\n"), c);
        assertEquals(300_000_000L, c.impairProfiles.get("sat").up().delayNanos());
        assertEquals("sat", c.rules.get(0).impair());
        assertEquals("198.18.0.0/15:443 direct impair=sat", c.rules.get(0).toString());
        assertFalse(c.impairAll.isEmpty());
    }

    @Test
    @DisplayName("a bad SPEC or an undefined profile is FILE:LINE: key: found X, expected Y")
    void badImpair() throws IOException {
        Path f = dir.resolve("t.conf");
        assertTrue(error("# c\nimpair.x = delay=fast\n").startsWith(f + ":2: delay: found 'fast', expected "));
        assertEquals(f + ":1: impair: found 'nope', expected a profile defined above with 'impair.nope = SPEC'",
                error("rule = 10.0.0.0/8 direct impair=nope\n"));
    }

    @Test
    @DisplayName("a bad rule CIDR says what a CIDR looks like")
    void badCidr() throws IOException {
        Path f = dir.resolve("t.conf");
        assertEquals(f + ":1: bad CIDR '10.0.0/33'; expected a.b.c.d/n", error("rule = 10.0.0/33 reject\n"));
        assertEquals(f + ":1: bad CIDR '10.0.0.0/33'; expected a.b.c.d/n", error("rule = 10.0.0.0/33 reject\n"));
        assertEquals(f + ":1: bad CIDR '[fd00::]/129'; expected [x:x::x]/n", error("rule = [fd00::]/129 reject\n"));
    }

    @Test
    @DisplayName("other mistakes: no '=', bad action, port, number, boolean, duration, resolver, address")
    void otherMistakes() throws IOException {
        Path f = dir.resolve("t.conf");
        assertEquals(f + ":1: expected 'key = value', got 'mtu 1500'", error("mtu 1500\n"));
        assertEquals(f + ":1: unknown action 'drop'; expected direct, reject or blackhole", error("rule = 10.0.0.0/8 drop\n"));
        assertEquals(f + ":1: bad port '0'; expected 1..65535", error("rule = 10.0.0.0/8:0 reject\n"));
        assertEquals(f + ":1: bad rule '10.0.0.0/8'; expected <CIDR>[:port] direct|reject|blackhole", error("rule = 10.0.0.0/8\n"));
        assertEquals(f + ":1: bad number 'big'; expected an integer", error("mtu = big\n"));
        assertEquals(f + ":1: bad value 'yes'; expected true or false", error("no-offload = yes\n"));
        assertEquals(f + ":1: bad duration '30'; expected a number with ms, s or m, e.g. 30s", error("msl = 30\n"));
        assertEquals(f + ":1: bad resolver 'dns.example'; expected IP or IP:PORT, e.g. 127.0.0.53 or [::1]:53",
                error("resolver = dns.example\n"));
        assertEquals(f + ":1: no value for 'dns'; expected 'dns = <value>'", error("dns =\n"));
        assertTrue(error("address = 10.0.2.100\n").startsWith(f + ":1: '10.0.2.100' has no prefix length"));
    }

    @Test
    @DisplayName("the shipped tungate.conf parses to the built-in defaults")
    void shippedConfigIsTheDefaults() throws Exception {
        Path f = dir.resolve("tungate.conf");
        try (InputStream in = ConfigFileTest.class.getResourceAsStream("/tungate.conf")) {
            Files.copy(in, f);
        }
        GatewayConfig parsed = new GatewayConfig();
        ConfigFile.parse(f, parsed);
        assertEquals(new GatewayConfig().describe(), parsed.describe());
        assertEquals(List.of(), parsed.rules);
        assertEquals(new GatewayConfig().udpFlowLimit, parsed.udpFlowLimit);
        assertEquals(new GatewayConfig().udpIdleTimeoutMillis, parsed.udpIdleTimeoutMillis);
    }

    @Test
    @DisplayName("the shipped tungate.conf documents every key")
    void shippedConfigDocumentsEveryKey() throws Exception {
        String text;
        try (InputStream in = ConfigFileTest.class.getResourceAsStream("/tungate.conf")) {
            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        for (String key : ConfigFile.keys()) {
            assertTrue(text.contains("\n# " + key + " = ") || text.contains("\n" + key + " = "), "tungate.conf lacks " + key);
        }
    }
}
