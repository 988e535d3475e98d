package dev.tungate.bench.tcp;

import dev.tungate.tcp.Segment;
import dev.tungate.tcp.TcpConfig;
import dev.tungate.tcp.TcpConnection;
import dev.tungate.tcp.TcpEvent;
import dev.tungate.tcp.TcpOutput;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The receive fast path: an ESTABLISHED engine takes in-order, full-sized (1460-byte) data
 * segments, as a Linux peer sends them (timestamps, window scaling, SACK permitted), delivers
 * each to the user, and ACKs every second one (RFC 9293 §3.8.6.3). One invocation is two
 * segments, their one ACK, and the user's {@code consumed()} (which may add a window update);
 * results are per segment. The segment text is one pooled direct buffer reused throughout, so
 * {@code gc.alloc.rate.norm} shows only what the engine allocates; the benchmark thread is a
 * {@code FastThreadLocalThread}, like the event loop's ({@link EventLoopThreadExecutor}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {EventLoopThreadExecutor.JVM_ARGS, EventLoopThreadExecutor.JVM_ARGS_CLASS})
public class SegmentArrivalBenchmark {
    static final int MSS = 1460;
    static final int PEER_ISS = 1_000;
    static final int OUR_ISS = 5_000;

    /** Counts what the engine emits and gives every delivered buffer straight back. */
    static final class Sink implements TcpOutput {
        long segments;
        long deliveredBytes;
        int lastTsVal;

        @Override
        public void emit(Segment seg) {
            segments++;
            if (seg.options.hasTimestamps) {
                lastTsVal = seg.options.tsVal;
            }
        }

        @Override
        public void deliver(ByteBuf data) {
            deliveredBytes += data.readableBytes();
            data.release();
        }

        @Override
        public void event(TcpEvent event) {
        }
    }

    private final Sink sink = new Sink();
    private final Segment seg = new Segment();
    private TcpConnection conn;
    private ByteBuf text;
    private int seq;
    private long segmentsIn;
    private int tsVal;
    private long now;

    @Setup(Level.Trial)
    public void establish() {
        TcpConfig config = new TcpConfig();
        conn = new TcpConnection(config, sink);
        conn.listen(OUR_ISS);
        now = 1_000_000_000L;
        tsVal = 1;
        // <SEQ=PEER_ISS><CTL=SYN> with MSS, WS 7, SACK-permitted and timestamps, as Linux sends it.
        header(PEER_ISS, 0, Segment.SYN, 65_535);
        seg.options.mss = MSS;
        seg.options.windowScale = 7;
        seg.options.sackPermitted = true;
        seg.text = Unpooled.EMPTY_BUFFER;
        conn.segmentArrives(seg, now);
        // <SEQ=PEER_ISS+1><ACK=OUR_ISS+1><CTL=ACK>
        header(PEER_ISS + 1, OUR_ISS + 1, Segment.ACK, 65_535);
        conn.segmentArrives(seg, now += 100_000);
        if (conn.state() != dev.tungate.tcp.State.ESTABLISHED) {
            throw new IllegalStateException("handshake ended in " + conn.state());
        }
        text = PooledByteBufAllocator.DEFAULT.directBuffer(MSS);
        for (int i = 0; i < MSS; i++) {
            text.writeByte(i);
        }
        seq = PEER_ISS + 1;
    }

    private void header(int seqNo, int ackNo, int flags, int wnd) {
        seg.options.clear();
        seg.seq = seqNo;
        seg.ack = ackNo;
        seg.flags = flags;
        seg.wnd = wnd;
        seg.options.hasTimestamps = true;
        seg.options.tsVal = tsVal++;
        seg.options.tsEcr = sink.lastTsVal;
    }

    private void dataSegment() {
        header(seq, OUR_ISS + 1, Segment.ACK | Segment.PSH, 65_535);
        seg.text = text;
        conn.segmentArrives(seg, now += 50_000);
        seq += MSS;
        segmentsIn++;
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public long inOrderSegment() {
        dataSegment();
        dataSegment();
        conn.consumed(2 * MSS, now);
        return sink.segments;
    }

    @TearDown(Level.Trial)
    public void check() {
        long expected = segmentsIn * MSS;
        if (sink.deliveredBytes != expected) {
            throw new IllegalStateException("delivered " + sink.deliveredBytes + " of " + expected + " bytes");
        }
        System.out.printf("%n[segments in: %d, segments out: %d (%.2f per data segment), state %s]%n", segmentsIn,
                sink.segments, sink.segments / (double) segmentsIn, conn.state());
        conn.abort(now);
        text.release();
    }
}
