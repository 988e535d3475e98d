package dev.tungate.gateway.ctl;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One control connection on the control socket's loop: collects the request line (at most
 * {@link CtlServer#MAX_REQUEST} bytes, within the request timeout, else an error and close), then
 * hands it to the worker thread. Bytes after the request line are read and dropped, so a client's
 * hang-up is seen at once (a capture without a deadline ends with it).
 */
final class CtlConnection extends ChannelInboundHandlerAdapter {
    private static final Logger log = LogManager.getLogger();

    private final Map<String, CtlRequest> requests;
    private final Executor worker;
    private final long timeoutMillis;
    private final byte[] line = new byte[CtlServer.MAX_REQUEST];
    private int length;
    private boolean dispatched;
    private ScheduledFuture<?> timeout;

    CtlConnection(Map<String, CtlRequest> requests, Executor worker, long timeoutMillis) {
        this.requests = requests;
        this.worker = worker;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timeout = ctx.executor().schedule(() -> refuse(ctx, "no request within " + timeoutMillis + " ms; expected one line"),
                timeoutMillis, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            while (!dispatched && in.isReadable()) {
                byte b = in.readByte();
                if (b == '\n') {
                    dispatch(ctx, new String(line, 0, length, StandardCharsets.UTF_8));
                } else if (length == line.length) {
                    refuse(ctx, "bad request: expected one line shorter than " + CtlServer.MAX_REQUEST + " bytes");
                    return;
                } else {
                    line[length++] = b;
                }
            }
        } finally {
            in.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimeout();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("ctl connection: {}", cause.toString());
        ctx.close();
    }

    private void dispatch(ChannelHandlerContext ctx, String request) {
        dispatched = true;
        cancelTimeout();
        int sp = request.indexOf(' ');
        String name = sp < 0 ? request : request.substring(0, sp);
        String args = sp < 0 ? "" : request.substring(sp + 1);
        CtlRequest r = requests.get(name);
        CtlExchange x = new CtlExchange(ctx.channel(), worker);
        if (r == null) {
            x.finish("error: unknown request '" + request + "'; expected " + choices() + "\n");
            return;
        }
        try {
            worker.execute(() -> {
                try {
                    r.serve(x, args);
                } catch (Exception e) {
                    log.debug("ctl request '{}' failed", request, e);
                    x.finish("error: " + e.getMessage() + "\n");
                }
            });
        } catch (RejectedExecutionException e) {
            x.finish("error: the gateway is stopping\n");
        }
    }

    private void refuse(ChannelHandlerContext ctx, String why) {
        dispatched = true;
        cancelTimeout();
        new CtlExchange(ctx.channel(), worker).finish("error: " + why + "\n");
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    /** "a, b or c" from the request names. */
    private String choices() {
        List<String> names = new ArrayList<>(requests.keySet());
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }
}
