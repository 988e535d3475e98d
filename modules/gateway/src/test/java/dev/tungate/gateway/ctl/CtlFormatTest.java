package dev.tungate.gateway.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tungate.gateway.ConnectionInfo;
import dev.tungate.gateway.shard.Counters;
import dev.tungate.wire.Drop;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ctl output")
class CtlFormatTest {
    static InetSocketAddress at(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    static List<ConnectionInfo> twoConnections() throws Exception {
        return List.of(
                // ISS just below the wrap: SND.UNA - ISS = 0x10 - 0xFFFFFFF0 = 32 (RFC 9293 §3.4 modular arithmetic).
                new ConnectionInfo("ESTABLISHED", at("10.0.2.2", 80), at("10.0.2.100", 43210), 0xFFFF_FFF0, 1000,
                        0x10, 0x20, 1078, 65535, 131072, 14480, 52, 201_000, 0, 31, 77, 0, at("127.0.0.1", 80)),
                new ConnectionInfo("SYN_HELD", at("fd00::2", 443), at("fd00::100", 50000), 0, 7,
                        0, 0, 8, 0, 65535, 0, 0, 1_000_000, 2, 0, 0, 1, at("::1", 443)));
    }

    @Test
    @DisplayName("conns: one aligned line per connection, sequence numbers relative to ISS/IRS, IPv6 bracketed and compressed")
    void conns() throws Exception {
        assertEquals(""
                + "State        Local Address:Port  Peer Address:Port  snd.una  snd.nxt  rcv.nxt  snd.wnd  rcv.wnd   cwnd  srtt(ms)   rto(ms)  retrans  acked  received\n"
                + "ESTABLISHED  10.0.2.2:80         10.0.2.100:43210        32       48       78    65535   131072  14480     0.052   201.000        0     31        77\n"
                + "SYN_HELD     [fd00::2]:443       [fd00::100]:50000        0        0        1        0    65535      0     0.000  1000.000        2      0         0\n",
                CtlFormat.conns(twoConnections()));
    }

    @Test
    @DisplayName("conns with no connections prints the header only")
    void noConns() {
        assertEquals(1, CtlFormat.conns(List.of()).split("\n").length);
    }

    @Test
    @DisplayName("stats: every counter by name, and only the drop reasons that happened")
    void stats() {
        Counters c = new Counters();
        c.tcpConnections = 3;
        c.udpFlows = 12345;
        c.drops[Drop.UDP_BAD_CHECKSUM.ordinal()] = 2;
        String text = CtlFormat.stats(c);
        assertTrue(text.lines().anyMatch(l -> l.matches("tcpConnections +3")), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("udpFlows +12345")), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("drop\\.UDP_BAD_CHECKSUM +2")), text);
        assertEquals(1, text.lines().filter(l -> l.startsWith("drop.")).count(), text);
        assertEquals(c.asMap().size(), text.lines().count());
        int width = text.lines().findFirst().orElseThrow().length();
        assertTrue(text.lines().allMatch(l -> l.length() == width), "numbers are right-aligned in one column:\n" + text);
    }
}
