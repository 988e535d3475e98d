package dev.tungate.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("RFC 9293 §3.1: TCP header")
class TcpHeaderTest {
    private final TcpHeader tcp = new TcpHeader();
    private final TcpOptions o = new TcpOptions();

    /** Ports 1234->5678, seq 80000001, ack fffffffe, ACK|SYN, window 1000, then {@code opts}. */
    private static ByteBuf seg(String opts) {
        int optLen = opts.replaceAll("[\\s|]", "").length() / 2;
        return Hex.buf(String.format("1234 5678 8000 0001 ffff fffe %x0 12 1000 0000 0000 ", (20 + optLen) / 4) + opts);
    }

    private Drop parse(String opts) {
        ByteBuf b = seg(opts);
        assertEquals(Drop.NONE, tcp.wrap(b, 0, b.readableBytes()));
        return tcp.parseOptions(o);
    }

    @Test
    @DisplayName("every field of the header diagram, reserved bits exposed and not a drop")
    void fields() {
        ByteBuf b = Hex.buf("1234 5678 | 8000 0001 | ffff fffe | 5f ff 1000 | abcd 0102 | 6869");
        assertEquals(Drop.NONE, tcp.wrap(b, 0, 22));
        assertEquals(0x1234, tcp.srcPort());
        assertEquals(0x5678, tcp.dstPort());
        assertEquals(0x8000_0001, tcp.seq());
        assertEquals(0xFFFF_FFFE, tcp.ack());
        assertEquals(5, tcp.dataOffset());
        assertEquals(20, tcp.headerLength());
        assertEquals(0xF, tcp.reserved());
        assertEquals(0xFF, tcp.flags());
        assertEquals(0x1000, tcp.window());
        assertEquals(0xABCD, tcp.checksum());
        assertEquals(0x0102, tcp.urgentPointer());
        assertEquals(20, tcp.payloadOffset());
        assertEquals(2, tcp.payloadLength());
        assertEquals(4, tcp.segLen()); // 2 bytes + SYN + FIN
        assertEquals(0, tcp.optionsLength());
    }

    @Test
    @DisplayName("each of the eight control bits alone")
    void eachFlag() {
        int[] bits = {TcpHeader.FIN, TcpHeader.SYN, TcpHeader.RST, TcpHeader.PSH, TcpHeader.ACK, TcpHeader.URG,
            TcpHeader.ECE, TcpHeader.CWR};
        for (int i = 0; i < 8; i++) {
            ByteBuf b = Hex.buf(String.format("0001 0002 0000 0000 0000 0000 50%02x 0000 0000 0000", 1 << i));
            tcp.wrap(b, 0, 20);
            for (int j = 0; j < 8; j++) {
                assertEquals(i == j, tcp.has(bits[j]), "bit " + i + " flag " + j);
            }
            assertEquals(0, tcp.reserved());
        }
    }

    @Test
    @DisplayName("malformed headers: truncated, data offset < 5, data offset past the segment")
    void malformed() {
        assertEquals(Drop.TCP_TRUNCATED, tcp.wrap(seg(""), 0, 19));
        assertEquals(Drop.TCP_BAD_DATA_OFFSET, tcp.wrap(Hex.buf("1234 5678 8000 0001 ffff fffe 40 12 1000 0000 0000"), 0, 20));
        assertEquals(Drop.TCP_BAD_DATA_OFFSET, tcp.wrap(Hex.buf("1234 5678 8000 0001 ffff fffe 60 12 1000 0000 0000"), 0, 20));
    }

    @Nested
    @DisplayName("options (RFC 9293 §3.2, RFC 7323, RFC 2018)")
    class Options {
        @Test
        @DisplayName("none: every field absent")
        void none() {
            assertEquals(Drop.NONE, parse(""));
            assertEquals(-1, o.mss);
            assertEquals(-1, o.windowScale);
            assertFalse(o.sackPermitted);
            assertFalse(o.hasTimestamps);
            assertEquals(0, o.sackBlocks);
        }

        @Test
        @DisplayName("MSS")
        void mss() {
            assertEquals(Drop.NONE, parse("0204 05b4"));
            assertEquals(1460, o.mss);
        }

        @Test
        @DisplayName("NOP, window scale")
        void windowScale() {
            assertEquals(Drop.NONE, parse("0103 0307"));
            assertEquals(7, o.windowScale);
        }

        @Test
        @DisplayName("NOP, NOP, SACK-permitted")
        void sackPermitted() {
            assertEquals(Drop.NONE, parse("0101 0402"));
            assertTrue(o.sackPermitted);
        }

        @Test
        @DisplayName("NOP, NOP, timestamps")
        void timestamps() {
            assertEquals(Drop.NONE, parse("0101 080a 8000 0001 ffff fffe"));
            assertTrue(o.hasTimestamps);
            assertEquals(0x8000_0001, o.tsVal);
            assertEquals(0xFFFF_FFFE, o.tsEcr);
        }

        @Test
        @DisplayName("SACK with two blocks")
        void sackTwoBlocks() {
            assertEquals(Drop.NONE, parse("0101 0512 0000 0010 0000 0020 ffff fff0 0000 0010"));
            assertEquals(2, o.sackBlocks);
            assertEquals(0x10, o.sackLeft[0]);
            assertEquals(0x20, o.sackRight[0]);
            assertEquals(0xFFFF_FFF0, o.sackLeft[1]);
            assertEquals(0x10, o.sackRight[1]);
        }

        @Test
        @DisplayName("SACK with four blocks fills 36 of 40 option bytes")
        void sackFourBlocks() {
            assertEquals(Drop.NONE, parse("0101 0522" + " 0000 0001 0000 0002".repeat(4)));
            assertEquals(4, o.sackBlocks);
        }

        @Test
        @DisplayName("a SYN as Linux sends it: MSS, SACK-permitted, TS, NOP, WS")
        void linuxSyn() {
            assertEquals(Drop.NONE, parse("0204 ffd7 0402 080a 4126 54e1 0000 0000 0103 030a"));
            assertEquals(65495, o.mss);
            assertTrue(o.sackPermitted);
            assertTrue(o.hasTimestamps);
            assertEquals(0x4126_54E1, o.tsVal);
            assertEquals(0, o.tsEcr);
            assertEquals(10, o.windowScale);
        }

        @Test
        @DisplayName("EOL ends the list; what follows is not parsed")
        void eol() {
            assertEquals(Drop.NONE, parse("0204 05b4 0003 0307"));
            assertEquals(1460, o.mss);
            assertEquals(-1, o.windowScale);
        }

        @Test
        @DisplayName("an unknown option is skipped by its length (MUST-6)")
        void unknownSkipped() {
            assertEquals(Drop.NONE, parse("fe06 0000 0000 0204 05b4 0000"));
            assertEquals(1460, o.mss);
        }

        @Test
        @DisplayName("a known option with the wrong length is ignored, as Linux does")
        void wrongLengthIgnored() {
            assertEquals(Drop.NONE, parse("0203 0501 0302 0101 0403 0001 0502 0000"));
            assertEquals(-1, o.mss);
            assertEquals(-1, o.windowScale);
            assertFalse(o.sackPermitted);
            assertEquals(0, o.sackBlocks);
        }

        @Test
        @DisplayName("parsing clears what the previous segment left")
        void clears() {
            assertEquals(Drop.NONE, parse("0204 05b4 0103 0307"));
            assertEquals(Drop.NONE, parse(""));
            assertEquals(-1, o.mss);
            assertEquals(-1, o.windowScale);
        }

        @Test
        @DisplayName("malformed: length 0, length 1, past Data Offset, kind without length (MUST-7)")
        void malformed() {
            assertEquals(Drop.TCP_BAD_OPTION, parse("0200 0000"));
            assertEquals(Drop.TCP_BAD_OPTION, parse("0801 0000"));
            assertEquals(Drop.TCP_BAD_OPTION, parse("080a 0000"));
            assertEquals(Drop.TCP_BAD_OPTION, parse("0101 0102"));
            assertEquals(Drop.TCP_BAD_OPTION, parse("0204 05b4 0101 0305"));
        }
    }

    @Nested
    @DisplayName("checksum over the pseudo-header (MUST-2, MUST-3)")
    class ChecksumTests {
        // 192.168.0.1 -> 10.0.0.254, TCP, 22 bytes: a 20-byte header and "hi".
        private final long pseudo = Checksum.pseudoIpv4(0xC0A8_0001, 0x0A00_00FE, 6, 22);

        private ByteBuf good() {
            ByteBuf b = Hex.buf("1234 5678 8000 0001 ffff fffe 50 18 1000 0000 0000 6869");
            tcp.wrap(b, 0, 22);
            tcp.fillChecksum(pseudo);
            return b;
        }

        @Test
        @DisplayName("a filled checksum verifies; a flipped payload bit or wrong address does not")
        void verify() {
            ByteBuf b = good();
            assertEquals(Drop.NONE, tcp.verify(pseudo));
            assertEquals(Drop.TCP_BAD_CHECKSUM, tcp.verify(Checksum.pseudoIpv4(0xC0A8_0002, 0x0A00_00FE, 6, 22)));
            b.setByte(21, 0x68);
            assertEquals(Drop.TCP_BAD_CHECKSUM, tcp.verify(pseudo));
        }

        @Test
        @DisplayName("setters update the checksum incrementally (RFC 1624)")
        void setters() {
            good();
            tcp.srcPort(40000).dstPort(443).seq(0xFFFF_FFF0).ack(0x10).flags(TcpHeader.ACK | TcpHeader.FIN)
                    .window(0).urgentPointer(7);
            assertEquals(40000, tcp.srcPort());
            assertEquals(443, tcp.dstPort());
            assertEquals(0xFFFF_FFF0, tcp.seq());
            assertEquals(0x10, tcp.ack());
            assertEquals(TcpHeader.ACK | TcpHeader.FIN, tcp.flags());
            assertEquals(5, tcp.dataOffset());
            assertEquals(0, tcp.window());
            assertEquals(7, tcp.urgentPointer());
            assertEquals(Drop.NONE, tcp.verify(pseudo));
        }
    }
}
