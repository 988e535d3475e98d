package dev.tungate.bench.wire;

import dev.tungate.wire.Drop;
import dev.tungate.wire.IpPacket;
import dev.tungate.wire.PacketBuilder;
import dev.tungate.wire.TcpHeader;
import dev.tungate.wire.TcpOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The wire fast path on one TCP segment in a pooled direct buffer, as read from TUN:
 * {@code parseValidate} = IP wrap + IPv4 header checksum + TCP wrap + TCP checksum over
 * pseudo-header and payload + option parse; {@code build} = PacketBuilder writing IP + TCP
 * headers with a checksum over a payload it does not copy (the transmit path).
 * {@code ipLength} is the whole datagram: a 1,500-byte MTU frame or a 64 KiB GSO/TSO segment
 * (65,535, the IPv4 maximum). Bytes/op = ipLength; Gbit/s = ipLength * 8 / (ns/op).
 * Run: {@code java -jar benchmarks/target/benchmarks.jar 'wire' -f 1 -wi 3 -i 5 -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WireBenchmark {
    @Param({"1500", "65535"})
    int ipLength;

    @Param({"4", "6"})
    int ipVersion;

    private final IpPacket ip = new IpPacket();
    private final TcpHeader tcp = new TcpHeader();
    private final TcpOptions options = new TcpOptions();
    private final TcpOptions parsed = new TcpOptions();
    private final PacketBuilder builder = new PacketBuilder();
    private ByteBuf frame;
    private ByteBuf payload;
    private ByteBuf out;

    @Setup
    public void setUp() {
        options.hasTimestamps = true;
        options.tsVal = 0x0102_0304;
        options.tsEcr = 0x0506_0708;
        if (ipVersion == 4) {
            builder.ipv4(0xC612_0001, 0xC613_0002);
        } else {
            builder.ipv6(0x2001_0db8_0000_0000L, 1, 0x2001_0db8_0000_0000L, 2);
        }
        builder.ports(40000, 443).seq(0x1234_5678).ack(0x9abc_def0).flags(TcpHeader.ACK | TcpHeader.PSH)
                .window(1024).options(options);
        int payloadLength = ipLength - builder.ipHeaderLength() - builder.tcpHeaderLength();
        payload = PooledByteBufAllocator.DEFAULT.directBuffer(payloadLength);
        for (int i = 0; i < payloadLength; i++) {
            payload.writeByte(i * 31 + 7);
        }
        frame = PooledByteBufAllocator.DEFAULT.directBuffer(ipLength);
        builder.writeTcp(frame, payload, 0, payloadLength);
        out = PooledByteBufAllocator.DEFAULT.directBuffer(128);
        if (parseValidate() < 0) {
            throw new IllegalStateException("benchmark frame does not validate");
        }
    }

    @TearDown
    public void tearDown() {
        frame.release();
        payload.release();
        out.release();
    }

    /** Returns the segment's payload length, or -1 - drop ordinal for a dropped frame. */
    @Benchmark
    public int parseValidate() {
        Drop d = ip.wrap(frame, 0, frame.writerIndex());
        if (d == Drop.NONE) {
            d = tcp.wrap(frame, ip.l4Offset(), ip.l4Length());
        }
        if (d == Drop.NONE) {
            d = tcp.verify(ip.pseudoHeaderSum());
        }
        if (d == Drop.NONE) {
            d = tcp.parseOptions(parsed);
        }
        return d == Drop.NONE ? tcp.payloadLength() + parsed.tsVal : -1 - d.ordinal();
    }

    @Benchmark
    public int build() {
        out.clear();
        return builder.writeTcpHeaders(out, payload, 0, payload.writerIndex());
    }
}
