package dev.tungate.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("PcapWriter: nanosecond pcap")
class PcapWriterTest {

    @Test
    @DisplayName("global header, then a record cut to the snap length with the original length kept")
    void layout() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(bytes, PcapWriter.LINKTYPE_RAW, 4)) {
            w.write(1_700_000_000_123_456_789L, Hex.buf("ffff 4500 0014 aaaa"), 2, 6);
        }
        assertArrayEquals(Hex.bytes(
                "4d3c b2a1 0200 0400 0000 0000 0000 0000 0400 0000 6500 0000"    // magic, 2.4, zone, sigfigs, snap 4, RAW
                + "00f1 5365 15cd 5b07 0400 0000 0600 0000"                    // 1700000000 s, 123456789 ns, 4 of 6
                + "4500 0014"), bytes.toByteArray());
    }

    @Test
    @DisplayName("timestamps before 1970 round down to a negative second with positive nanoseconds")
    void negativeTime() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(bytes, PcapWriter.LINKTYPE_IPV4, 100)) {
            w.write(-1, Hex.buf("45"), 0, 1);
        }
        byte[] b = bytes.toByteArray();
        assertEquals(PcapWriter.GLOBAL_HEADER_LENGTH + PcapWriter.RECORD_HEADER_LENGTH + 1, b.length);
        assertArrayEquals(Hex.bytes("ffff ffff ffc9 9a3b"), java.util.Arrays.copyOfRange(b, 24, 32));
        assertEquals(228, b[20] & 0xFF);
    }
}
