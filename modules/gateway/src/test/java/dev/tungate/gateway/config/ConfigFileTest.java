package dev.tungate.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tungate.tcp.cc.CongestionControls;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
        assertEquals("newreno", c.congestionControl);   // reno is Linux's name for NewReno
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

    /** Every bad value is refused at start-up as FILE:LINE: key: found X, expected Y (issue 8 item 4). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '"', textBlock = """
            congestion-control = bbr => congestion-control: found 'bbr', expected cubic, newreno or reno
            send-buffer = 0 => send-buffer: found '0', expected 64k..1024m
            receive-buffer = 0 => receive-buffer: found '0', expected 64k..1024m
            receive-buffer = 2048m => receive-buffer: found '2048m', expected 64k..1024m
            send-buffer = lots => send-buffer: found 'lots', expected a size in bytes, or with k or m, in 64k..1024m, e.g. 4m
            connect-timeout = 0ms => connect-timeout: found '0ms', expected 1ms..10m
            connect-timeout = 30 => connect-timeout: found '30', expected a duration with ms, s or m in 1ms..10m, e.g. 30s
            udp-flow-limit = -5 => udp-flow-limit: found '-5', expected 1..1000000
            udp-idle-timeout = 0s => udp-idle-timeout: found '0s', expected 1s..60m
            tx-queue-len = -1 => tx-queue-len: found '-1', expected 1..1000000
            msl = 0ms => msl: found '0ms', expected 1ms..10m
            msl = 30 => msl: found '30', expected a duration with ms, s or m in 1ms..10m, e.g. 30s
            mtu = 70000 => mtu: found '70000', expected 1280..65520
            mtu = big => mtu: found 'big', expected an integer in 1280..65520
            mtu = 99999999999999999999 => mtu: found '99999999999999999999', expected an integer in 1280..65520
            queues = 0 => queues: found '0', expected 1..64
            tun = a/b => tun: found 'a/b', expected an interface name of 1..15 letters, digits, '_', '.', '-'
            no-offload = yes => no-offload: found 'yes', expected true or false
            ctl = /etc/hostname/x.sock => ctl: found '/etc/hostname/x.sock', expected a socket path of at most 107 bytes whose directory exists or can be created, e.g. /run/tungate/box.sock
            ctl = /tmp => ctl: found '/tmp', expected a socket path of at most 107 bytes whose directory exists or can be created, e.g. /run/tungate/box.sock
            resolver = dns.example => resolver: found 'dns.example', expected IP or IP:PORT, e.g. 127.0.0.53 or [::1]:53
            address = 10.0.2.100 => address: found '10.0.2.100', expected a.b.c.d/n, e.g. 10.0.2.100/24
            gateway = fd00::2 => gateway: found 'fd00::2', expected an IPv4 address, e.g. 10.0.2.2
            ipv6 = on => ipv6: found 'on', expected x:x::x/n, e.g. fd00::100/64, or off
            rule = 10.0.0/33 reject => rule: found '10.0.0/33 reject', expected <CIDR>[:port] direct|reject|blackhole [impair=NAME], e.g. 198.18.0.0/15:25 reject
            rule = [fd00::]/129 reject => rule: found '[fd00::]/129 reject', expected <CIDR>[:port] direct|reject|blackhole [impair=NAME], e.g. 198.18.0.0/15:25 reject
            rule = 10.0.0.0/8 drop => rule: found '10.0.0.0/8 drop', expected <CIDR>[:port] direct|reject|blackhole [impair=NAME], e.g. 198.18.0.0/15:25 reject
            rule = 10.0.0.0/8:0 reject => rule: found '10.0.0.0/8:0 reject', expected <CIDR>[:port] direct|reject|blackhole [impair=NAME], e.g. 198.18.0.0/15:25 reject
            mtu 1500 => found 'mtu 1500', expected 'key = value'
            dns = => dns: found no value, expected an IPv4 address, e.g. 10.0.2.3
            """)
    @DisplayName("bad values: FILE:LINE: key: found X, expected Y")
    void badValues(String line, String expected) throws IOException {
        Path f = dir.resolve("t.conf");
        assertEquals(f + ":2: " + expected, error("# line 1\n" + line + "\n"));
    }

    @Test
    @DisplayName("a byte that is not UTF-8 names its line and column")
    void notUtf8() throws IOException {
        Path f = dir.resolve("t.conf");
        Files.write(f, new byte[] {'m', 't', 'u', ' ', '=', ' ', '1', '5', '0', '0', '\n', 't', 'u', 'n', ' ', '=', ' ', (byte) 0xFF, '\n'});
        assertEquals(f + ":2: found byte 0xFF at column 7, expected UTF-8 text",
                assertThrows(ConfigException.class, () -> ConfigFile.parse(f, new GatewayConfig())).getMessage());
    }

    @ParameterizedTest(name = "congestion-control = {0} runs the engine's {1}")
    @CsvSource({"cubic, cubic", "reno, newreno", "newreno, newreno", "Reno, newreno", "CUBIC, cubic"})
    @DisplayName("every accepted congestion-control spelling is one the engine has (reno was accepted, then hung every flow)")
    void congestionControlSpellings(String spelling, String engine) throws Exception {
        GatewayConfig c = new GatewayConfig();
        ConfigFile.parse(file("congestion-control = " + spelling + "\n"), c);
        assertEquals(engine, c.congestionControl);
        assertNotNull(CongestionControls.create(c.congestionControl, 1460));
    }

    @Test
    @DisplayName("the ends of each range are accepted")
    void rangeEnds() throws Exception {
        GatewayConfig c = new GatewayConfig();
        ConfigFile.parse(file("""
                send-buffer = 64k
                receive-buffer = 1024m
                connect-timeout = 1ms
                udp-flow-limit = 1
                tx-queue-len = 1000000
                mtu = 1280
                udp-idle-timeout = 60m
                """), c);
        assertEquals(64 << 10, c.sendBufferBytes);
        assertEquals(1 << 30, c.receiveBufferBytes);
        assertEquals(1, c.connectTimeoutMillis);
        assertEquals(1, c.udpFlowLimit);
        assertEquals(1_000_000, c.txQueueLen);
        assertEquals(1280, c.mtu);
        assertEquals(3_600_000, c.udpIdleTimeoutMillis);
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
