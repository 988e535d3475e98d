package dev.tungate.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.AfterEach;

/**
 * Coverage-guided fuzzing of the receive chain (IpPacket, Ipv4Header, Ipv6Header with extension
 * headers, TcpHeader with options, UdpHeader, IcmpHeader and the packet an ICMP error quotes).
 *
 * <p>In a plain {@code mvn test} each {@code @FuzzTest} replays its seeds and the inputs it once
 * found ({@code src/test/resources/dev/tungate/wire/WireFuzzTestInputs/<method>/}) in milliseconds.
 * With {@code JAZZER_FUZZ=1} Jazzer mutates inputs guided by coverage for {@code maxDuration}; see
 * docs/FUZZING.md for the commands. Properties checked on every input:
 * <ul>
 *   <li>no exception escapes a parser: each frame gets a {@link Drop} verdict;</li>
 *   <li>a frame judged {@link Drop#NONE} lies within the bytes read (L4 offset and length);</li>
 *   <li>the parsers neither retain nor release the frame (its reference count is untouched).</li>
 * </ul>
 */
class WireFuzzTest {
    private final ReceiveChain chain = new ReceiveChain();
    /** One frame buffer for every input: fuzzing then measures the parsers, not the allocator. */
    private final ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(65536 + 64);

    @AfterEach
    void release() {
        assertEquals(1, b.refCnt(), "a parser changed the frame's reference count");
        b.release();
    }

    /**
     * Input byte 0 steers: bit 0 fills the checksums first (so mutations pass the sums and reach
     * the structure behind them), bit 1 cuts the frame short by byte 1. The rest is the frame.
     */
    @FuzzTest(maxDuration = "10s")
    void receiveChain(byte[] input) {
        if (input.length < 2) {
            return;
        }
        int control = input[0];
        int frameLength = input.length - 2;
        if (frameLength > b.capacity()) {
            return;
        }
        b.clear().writeBytes(input, 2, frameLength);
        if ((control & 1) != 0) {
            chain.fillChecksums(b, frameLength);
        }
        int len = (control & 2) != 0 ? Math.min(frameLength, input[1] & 0xFF) : frameLength;
        Drop d = chain.receive(b, len);
        assertNotNull(d);
        if (chain.ip.version() != 0) {
            IpPacket ip = chain.ip;
            assertTrue(ip.l4Offset() >= 0 && ip.l4Length() >= 0, "negative L4 bounds");
            assertTrue(ip.l4Offset() + ip.l4Length() <= len, "L4 beyond the frame");
        }
        assertEquals(1, b.refCnt(), "a parser changed the frame's reference count");
    }
}
