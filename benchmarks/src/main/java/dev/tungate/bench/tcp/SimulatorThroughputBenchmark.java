package dev.tungate.bench.tcp;

import dev.tungate.tcp.TcpConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How fast two engines move bytes through the simulator with no impairment: one invocation is a
 * whole connection (handshake, 16 MiB client to server, close, TIME-WAIT) over a 1 ms link; an
 * "operation" is one MiB, so the score in ops/s reads as MiB of virtual transfer per wall second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {EventLoopThreadExecutor.JVM_ARGS, EventLoopThreadExecutor.JVM_ARGS_CLASS})
public class SimulatorThroughputBenchmark {
    static final int MIB_PER_TRANSFER = 16;

    @Param({"cubic"})
    public String congestionControl;

    private ByteBuf payload;
    private TcpConfig config;

    @Setup(Level.Trial)
    public void setUp() {
        payload = PooledByteBufAllocator.DEFAULT.directBuffer(64 << 10);
        payload.writeZero(64 << 10);
        config = new TcpConfig();
        config.congestionControl = congestionControl;
    }

    @Benchmark
    @OperationsPerInvocation(MIB_PER_TRANSFER)
    public long transferMiB() {
        return new EnginePair(config, 1_000_000L, payload).transfer((long) MIB_PER_TRANSFER << 20);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        payload.release();
    }
}
