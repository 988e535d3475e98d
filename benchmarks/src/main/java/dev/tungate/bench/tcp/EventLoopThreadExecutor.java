package dev.tungate.bench.tcp;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * JMH worker threads of the kind the gateway runs engines on: Netty's
 * {@code FastThreadLocalThread}s. It matters for allocation: Netty 4.2's {@code Recycler}, which
 * pools the slices {@code retainedSlice()} returns, recycles fully only on such threads; on a
 * plain thread each pooled slice costs about 16 bytes. Selected with
 * {@code -Djmh.executor=CUSTOM -Djmh.executor.class=} this class (see {@link #JVM_ARGS}).
 */
public final class EventLoopThreadExecutor extends ThreadPoolExecutor {
    /** The fork arguments that put a benchmark's threads here. */
    static final String JVM_ARGS = "-Djmh.executor=CUSTOM";
    static final String JVM_ARGS_CLASS = "-Djmh.executor.class=dev.tungate.bench.tcp.EventLoopThreadExecutor";

    /** The constructor JMH's CUSTOM executor type calls. */
    public EventLoopThreadExecutor(int maxThreads, String prefix) {
        super(maxThreads, maxThreads, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(), new DefaultThreadFactory(prefix, true));
    }
}
