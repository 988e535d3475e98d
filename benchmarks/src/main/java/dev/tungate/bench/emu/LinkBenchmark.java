package dev.tungate.bench.emu;

import dev.tungate.gateway.emu.ImpairProfile;
import dev.tungate.gateway.emu.Link;
import dev.tungate.gateway.emu.SpecException;
import dev.tungate.wire.PacketBuilder;
import dev.tungate.wire.TcpHeader;
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
 * The emulation stage per packet: one 1,500-byte TCP/IPv4 frame (pooled, direct, as read from
 * TUN) through {@link Link#offer}, with no profile ({@code spec=""}: delivered in the caller's
 * stack) and with {@code loss=1%} (one random draw, 1 % released). The frame is retained before
 * each offer, since the link takes ownership, and released by the sink or by the drop, so one
 * buffer serves every iteration. House target: {@code gc.alloc.rate.norm} 0 B/op.
 * Run: {@code java -jar benchmarks/target/benchmarks.jar 'bench.emu' -f 1 -wi 3 -i 5 -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LinkBenchmark {
    @Param({"", "loss=1%"})
    String spec;

    private Link link;
    private ByteBuf frame;
    private long now;
    private long delivered;
    private final Link.Sink sink = f -> {
        delivered++;
        f.release();
    };

    @Setup
    public void setUp() throws SpecException {
        ImpairProfile p = ImpairProfile.parse(spec + " seed=1");
        link = new Link(p.up(), Link.flowSeed(p.seed(), 0x1234_5678L, false));
        PacketBuilder b = new PacketBuilder().ipv4(0xC612_0001, 0xC613_0002).ports(40000, 443)
                .seq(1).ack(1).flags(TcpHeader.ACK).window(1024);
        ByteBuf payload = PooledByteBufAllocator.DEFAULT.directBuffer(1460);
        payload.writeZero(1460);
        frame = PooledByteBufAllocator.DEFAULT.directBuffer(1500);
        b.writeTcp(frame, payload, 0, 1460);
        payload.release();
    }

    @TearDown
    public void tearDown() {
        link.close();
        frame.release();
    }

    @Benchmark
    public long offer() {
        now += 1_000;
        link.offer(frame.retain(), now, sink);
        return delivered;
    }
}
