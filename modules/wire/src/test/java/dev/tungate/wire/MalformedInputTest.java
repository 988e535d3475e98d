package dev.tungate.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Parsers never throw on packet bytes: valid datagrams of every kind, corrupted and truncated at
 * random, run through the whole receive chain. Any exception fails the test; the verdicts seen
 * must include both NONE and real drops, so the mutations do reach the checks.
 */
@DisplayName("Malformed input: the receive chain returns a Drop and never throws")
class MalformedInputTest {
    private final ReceiveChain chain = new ReceiveChain();

    @Test
    @DisplayName("200,000 mutated datagrams (IPv4/IPv6 x TCP/UDP/ICMP, with options and extension headers)")
    void mutations() {
        Random r = new Random(5961);
        PacketBuilder pb = new PacketBuilder();
        TcpOptions o = new TcpOptions();
        o.mss = 1460;
        o.sackPermitted = true;
        o.hasTimestamps = true;
        o.windowScale = 7;
        o.sackBlocks = 2;
        ByteBuf payload = Unpooled.buffer(600).writeZero(600);
        ByteBuf b = Unpooled.buffer(2048);
        Map<Drop, Integer> seen = new EnumMap<>(Drop.class);
        for (int n = 0; n < 200_000; n++) {
            b.clear();
            if (r.nextBoolean()) {
                pb.ipv4(r.nextInt(), r.nextInt());
            } else {
                pb.ipv6(r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong());
            }
            int plen = r.nextInt(600);
            switch (r.nextInt(3)) {
                case 0 -> pb.options(r.nextBoolean() ? o : null).flags(r.nextInt(256)).writeTcp(b, payload, 0, plen);
                case 1 -> pb.ports(r.nextInt(65536), 53).writeUdp(b, payload, 0, plen);
                default -> pb.writeIcmp(b, r.nextInt(256), r.nextInt(256), r.nextInt(), payload, 0, plen);
            }
            int len = b.writerIndex();
            if (pb.version() == 6 && r.nextInt(4) == 0) {
                len = insertExtensionHeaders(b, len, r);
            }
            for (int flips = r.nextInt(4); flips > 0; flips--) {
                // Mostly within the headers, where the parsers look.
                int at = r.nextInt(Math.min(len, r.nextBoolean() ? 100 : len));
                b.setByte(at, r.nextInt(256));
            }
            if (r.nextInt(4) == 0) {
                len = r.nextInt(len + 1);
            }
            seen.merge(chain.receive(b, len), 1, Integer::sum);
        }
        assertTrue(seen.getOrDefault(Drop.NONE, 0) > 10_000, () -> "too few intact: " + seen);
        assertTrue(seen.size() >= 12, () -> "too few distinct verdicts: " + seen);
    }

    /** Moves the IPv6 payload back and inserts random hop-by-hop/routing/dest-options headers. */
    private static int insertExtensionHeaders(ByteBuf b, int len, Random r) {
        int upper = b.getUnsignedByte(Ipv6Header.OFF_NEXT_HEADER);
        int[] kinds = {Ipv6Header.HOP_BY_HOP, Ipv6Header.ROUTING, Ipv6Header.DESTINATION_OPTIONS, Ipv6Header.FRAGMENT};
        int count = 1 + r.nextInt(3);
        int extLen = 0;
        int[] chosen = new int[count];
        for (int i = 0; i < count; i++) {
            chosen[i] = i == 0 ? kinds[r.nextInt(4)] : kinds[1 + r.nextInt(3)];
            extLen += 8;
        }
        ByteBuf rest = b.copy(Ipv6Header.LENGTH, len - Ipv6Header.LENGTH);
        int at = Ipv6Header.LENGTH;
        b.setByte(Ipv6Header.OFF_NEXT_HEADER, chosen[0]);
        for (int i = 0; i < count; i++) {
            b.setByte(at, i + 1 < count ? chosen[i + 1] : upper);
            b.setByte(at + 1, 0);
            b.setShort(at + 2, chosen[i] == Ipv6Header.FRAGMENT ? r.nextInt(2) : 0x0104);
            b.setInt(at + 4, 0);
            at += 8;
        }
        b.setBytes(at, rest, 0, rest.readableBytes());
        b.setShort(Ipv6Header.OFF_PAYLOAD_LENGTH, len - Ipv6Header.LENGTH + extLen);
        assertEquals(len + extLen, at + rest.readableBytes());
        return len + extLen;
    }
}
