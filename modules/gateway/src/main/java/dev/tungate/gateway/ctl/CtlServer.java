package dev.tungate.gateway.ctl;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.DomainSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The gateway's control socket: a unix stream socket (mode 0600) answering one request per
 * connection; see {@link CtlRequests} for the requests and {@link CtlConnection} for one exchange.
 *
 * <p>Two threads serve every connection, however many there are: one Netty epoll loop
 * ({@code tungate-ctl}) reads requests and writes answers, one worker ({@code tungate-ctl-worker})
 * runs the requests, whose calls into the gateway wait for the shards' loops (which must never wait
 * for us). A connection that sends no request line within the timeout is answered an error and
 * closed; beyond {@link Limits#maxConnections} a new one is answered "busy" and closed. When accept
 * fails (EMFILE: the process is out of fds) the socket stops accepting for {@link #ACCEPT_BACKOFF_MILLIS}
 * and tries again; it never gives up while the gateway runs.
 *
 * <p>The socket is bound inside a fresh private (0700) directory next to its final path, made 0600
 * there, and renamed into place: it is never reachable by another user, whatever the umask.
 */
public final class CtlServer implements AutoCloseable {
    private static final Logger log = LogManager.getLogger();
    /** Where control sockets live by default, one per gateway. */
    public static final Path RUN_DIR = Path.of("/run/tungate");
    /** Longest request line accepted. */
    static final int MAX_REQUEST = 4096;
    /** How long accepting pauses after a failed accept (EMFILE, ENFILE, ENOBUFS). */
    static final long ACCEPT_BACKOFF_MILLIS = 250;

    /** Connection limits: the most served at once, and how long a connection may take to send its request. */
    public record Limits(int maxConnections, long requestTimeoutMillis) {
        public static final Limits DEFAULT = new Limits(64, 5000);
    }

    private final MultiThreadIoEventLoopGroup loop;
    private final ExecutorService worker;
    private final Channel server;
    private final Path path;
    private final AtomicLong acceptErrors;

    private CtlServer(MultiThreadIoEventLoopGroup loop, ExecutorService worker, Channel server, Path path, AtomicLong acceptErrors) {
        this.loop = loop;
        this.worker = worker;
        this.server = server;
        this.path = path;
        this.acceptErrors = acceptErrors;
    }

    /**
     * /run/tungate/NAME.sock for a named namespace (NAME or /run/netns/NAME), otherwise
     * /run/tungate/PID.sock with this process's pid.
     */
    public static Path defaultPath(String netns) {
        String name = netns == null ? null : netns.startsWith("/run/netns/") ? netns.substring("/run/netns/".length()) : netns;
        boolean named = name != null && !name.isEmpty() && name.indexOf('/') < 0 && !name.chars().allMatch(Character::isDigit);
        return RUN_DIR.resolve((named ? name : String.valueOf(ProcessHandle.current().pid())) + ".sock");
    }

    /** The standard requests of {@code target} with the default limits. */
    public static CtlServer start(ControlTarget target, Path path) throws IOException {
        return start(CtlRequests.standard(target), path, Limits.DEFAULT);
    }

    /** Binds {@code path} (replacing a stale socket file, refusing a live one) and starts serving {@code requests}. */
    public static CtlServer start(Map<String, CtlRequest> requests, Path path, Limits limits) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        }
        if (Files.exists(path) && listening(path)) {
            throw new IOException("control socket " + path + " is in use by another tungate; expected a free path (ctl = PATH)");
        }
        Map<String, CtlRequest> served = Collections.unmodifiableMap(new LinkedHashMap<>(requests));
        ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory("tungate-ctl-worker", true));
        MultiThreadIoEventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("tungate-ctl", true),
                EpollIoHandler.newFactory());
        AtomicLong acceptErrors = new AtomicLong();
        try {
            Channel server = bindPrivately(new ServerBootstrap().group(loop).channel(EpollServerDomainSocketChannel.class)
                    .handler(new AcceptErrors(path, acceptErrors))
                    .childHandler(new ChannelInitializer<DomainSocketChannel>() {
                        private int open;

                        @Override
                        protected void initChannel(DomainSocketChannel ch) {
                            // Every child lives on the one loop: the count needs no lock.
                            if (open >= limits.maxConnections()) {
                                new CtlExchange(ch, worker).finish("error: busy: " + open
                                        + " control connections open; expected at most " + limits.maxConnections() + "\n");
                                return;
                            }
                            open++;
                            ch.closeFuture().addListener(f -> open--);
                            ch.pipeline().addLast(new CtlConnection(served, worker, limits.requestTimeoutMillis()));
                        }
                    }), path);
            log.debug("control socket {}", path);
            return new CtlServer(loop, worker, server, path, acceptErrors);
        } catch (IOException | RuntimeException e) {
            loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            worker.shutdownNow();
            throw e;
        }
    }

    /**
     * Binds in a new 0700 directory beside {@code path}, sets the socket to 0600 and renames it
     * over {@code path} (rename replaces a stale file atomically). Unix socket paths are short (108
     * bytes), so the private directory's name is kept short too.
     */
    private static Channel bindPrivately(ServerBootstrap b, Path path) throws IOException {
        Path tmp = Files.createTempDirectory(path.toAbsolutePath().getParent(), ".ctl");
        Path inside = tmp.resolve("s");
        try {
            Channel ch = b.bind(new DomainSocketAddress(inside.toString())).syncUninterruptibly().channel();
            try {
                Files.setPosixFilePermissions(inside, PosixFilePermissions.fromString("rw-------"));
                Files.move(inside, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException | RuntimeException e) {
                ch.close().syncUninterruptibly();
                throw e;
            }
            return ch;
        } catch (RuntimeException e) {
            throw new IOException("cannot bind control socket " + path + ": " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(inside);
            Files.deleteIfExists(tmp);
        }
    }

    /** True when a server accepts connections on the socket file (false for a stale file or no file). */
    static boolean listening(Path path) {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return c.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    public Path path() {
        return path;
    }

    /** The control socket's two threads (its loop and its worker), for per-thread state such as capabilities. */
    public List<ExecutorService> threads() {
        return List.of(loop.next(), worker);
    }

    /** Accepts that failed so far (each followed by a pause); for tests and diagnostics. */
    long acceptErrors() {
        return acceptErrors.get();
    }

    /** Stops accepting and removes the socket file; open connections are closed, running requests end. */
    @Override
    public void close() {
        try {
            server.close().syncUninterruptibly();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.warn("control socket {}: {}", path, e.getMessage());
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            worker.shutdownNow();
        }
    }

    /**
     * On the listening channel: a failed accept (out of fds) pauses reading for a moment instead of
     * spinning on a socket that stays readable; logged once per episode, counted always.
     */
    private static final class AcceptErrors extends ChannelInboundHandlerAdapter {
        private final Path path;
        private final AtomicLong errors;
        private boolean paused;

        AcceptErrors(Path path, AtomicLong errors) {
            this.path = path;
            this.errors = errors;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (paused) {
                paused = false;
                log.info("control socket {}: accepting again", path);
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (errors.getAndIncrement() == 0 || !paused) {
                log.warn("control socket {}: accept failed ({}); retrying every {} ms", path, cause.getMessage(), ACCEPT_BACKOFF_MILLIS);
            }
            paused = true;
            ctx.channel().config().setAutoRead(false);
            ctx.executor().schedule(() -> ctx.channel().config().setAutoRead(true), ACCEPT_BACKOFF_MILLIS, TimeUnit.MILLISECONDS);
        }
    }
}
