package dev.tungate.gateway.ctl;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One request's answer on its connection. Safe from any thread: writes go through the channel's
 * loop. Every exchange ends exactly once, by {@link #finish} or by the end of a {@link #hold}.
 */
public final class CtlExchange {
    private final Channel channel;
    private final Executor worker;
    private final AtomicBoolean ended = new AtomicBoolean();

    CtlExchange(Channel channel, Executor worker) {
        this.channel = channel;
        this.worker = worker;
    }

    /** Sends text (lines ending in \n) and keeps the connection open. */
    public void reply(String text) {
        channel.writeAndFlush(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Sends the last text and closes the connection. */
    public void finish(String text) {
        if (ended.compareAndSet(false, true)) {
            channel.writeAndFlush(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * Keeps the connection open until {@code seconds} have passed ({@code -1}: no deadline) or the
     * client hangs up, whichever comes first; then runs {@code stop} once on the worker thread and,
     * if the client is still there, sends what it returns and closes. No thread waits meanwhile.
     */
    public void hold(long seconds, Supplier<String> stop) {
        Runnable end = () -> worker.execute(() -> {
            if (ended.compareAndSet(false, true)) {
                String last = stop.get();
                if (channel.isActive()) {
                    channel.writeAndFlush(Unpooled.wrappedBuffer(last.getBytes(StandardCharsets.UTF_8)))
                            .addListener(ChannelFutureListener.CLOSE);
                }
            }
        });
        channel.closeFuture().addListener(f -> end.run());
        if (seconds >= 0) {
            channel.eventLoop().schedule(end, seconds, TimeUnit.SECONDS);
        }
    }
}
