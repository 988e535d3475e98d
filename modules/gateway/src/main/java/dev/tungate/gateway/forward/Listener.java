package dev.tungate.gateway.forward;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.channel.unix.Errors;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One host port of a forward: a listening TCP socket or a bound UDP socket, on a shard's loop. Closing it
 * stops new clients only; connections already forwarded keep going (their channels are their own).
 */
abstract class Listener {
    /** Clients being forwarded now (TCP connections, UDP client bindings) and since the start. */
    final AtomicInteger active = new AtomicInteger();
    final AtomicLong total = new AtomicLong();
    protected Channel channel;

    /** Registers {@code ch} on {@code loop} and binds it; blocks (never call on a loop). A one-line error when the port is taken. */
    void bind(Channel ch, EventLoop loop, InetSocketAddress at, String spec) {
        channel = ch;
        ChannelFuture f = loop.register(ch).syncUninterruptibly();
        f = ch.bind(at).awaitUninterruptibly();
        if (!f.isSuccess()) {
            ch.close();
            throw new IllegalArgumentException("forward " + spec + ": cannot listen on " + ForwardSpec.bracketed(at.getAddress())
                    + ":" + at.getPort() + ": " + reason(f.cause()) + "; expected a free host port");
        }
    }

    /** "Address already in use" rather than Netty's "bind(..) failed with error(-98): Address already in use". */
    static String reason(Throwable t) {
        String m = String.valueOf(t.getMessage());
        if (t instanceof Errors.NativeIoException && m.lastIndexOf(": ") >= 0) {
            return m.substring(m.lastIndexOf(": ") + 2);
        }
        return m;
    }

    void close() {
        if (channel != null) {
            channel.close().awaitUninterruptibly(1000);
        }
    }
}
