package dev.tungate.gateway.ctl;

import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The gateway's control socket: a unix stream socket (mode 0600) answering one request per
 * connection. Requests are one line; answers are text, then the server closes:
 * <pre>
 *   conns                      → the connection table (CtlFormat.conns)
 *   stats                      → the summed counters (CtlFormat.stats)
 *   capture SECONDS PATH       → "capturing to PATH ..." at once; the capture stops after SECONDS
 *                                (-1: when the client hangs up), then "capture stopped: PATH"
 * </pre>
 * A failure answers one line {@code error: ...}. Requests are served on their own daemon threads,
 * off the shards' loops: the target's calls wait for the loops, which must never wait for us.
 */
public final class CtlServer implements AutoCloseable {
    private static final Logger log = LogManager.getLogger();
    /** Where control sockets live by default, one per gateway. */
    public static final Path RUN_DIR = Path.of("/run/tungate");
    /** Longest request line accepted. */
    static final int MAX_REQUEST = 4096;

    private final ServerSocketChannel server;
    private final Path path;
    private final ControlTarget target;
    private final Thread acceptor;
    private volatile boolean closed;

    private CtlServer(ServerSocketChannel server, Path path, ControlTarget target) {
        this.server = server;
        this.path = path;
        this.target = target;
        this.acceptor = new Thread(this::acceptLoop, "tungate-ctl");
        acceptor.setDaemon(true);
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

    /** Binds {@code path} (replacing a stale socket file, refusing a live one) and starts accepting. */
    public static CtlServer start(ControlTarget target, Path path) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        if (Files.exists(path)) {
            if (listening(path)) {
                throw new IOException("control socket " + path + " is in use by another tungate; expected a free path (ctl = PATH)");
            }
            Files.delete(path);
        }
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            s.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        CtlServer c = new CtlServer(s, path, target);
        c.acceptor.start();
        log.debug("control socket {}", path);
        return c;
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

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel c = server.accept();
                Thread t = new Thread(() -> serve(c), "tungate-ctl-request");
                t.setDaemon(true);
                t.start();
            } catch (AsynchronousCloseException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    log.error("control socket {}: accept failed, no more ctl requests: {}", path, e.getMessage());
                }
                return;
            }
        }
    }

    private void serve(SocketChannel c) {
        try {
            String request = readLine(c);
            String[] f = request.split(" ", 3);
            switch (f[0]) {
                case "conns" -> write(c, CtlFormat.conns(target.connections()));
                case "stats" -> write(c, CtlFormat.stats(target.stats()));
                case "capture" -> capture(c, f);
                default -> write(c, "error: unknown request '" + request + "'; expected conns, stats or capture\n");
            }
        } catch (IOException | RuntimeException e) {
            log.debug("ctl request failed", e);
            try {
                write(c, "error: " + e.getMessage() + "\n");
            } catch (IOException gone) {
                // the client hung up: nobody to tell
            }
        } finally {
            try {
                c.close();
            } catch (IOException e) {
                // closing our end of a finished exchange
            }
        }
    }

    private void capture(SocketChannel c, String[] f) throws IOException {
        long seconds;
        try {
            seconds = f.length == 3 ? Long.parseLong(f[1]) : Long.MIN_VALUE;
        } catch (NumberFormatException e) {
            seconds = Long.MIN_VALUE;
        }
        if (seconds < -1) {
            write(c, "error: bad capture request; expected 'capture SECONDS PATH'\n");
            return;
        }
        Path file = Path.of(f[2]);
        try (Closeable capture = target.capture(file)) {
            write(c, "capturing to " + file + (seconds >= 0 ? " for " + seconds + " s" : " until interrupted") + "\n");
            waitForEndOrHangup(c, seconds);
        }
        if (c.isOpen()) {
            write(c, "capture stopped: " + file + "\n");
        }
    }

    /** Returns after {@code seconds} (never when -1) or as soon as the client closes its end. */
    private static void waitForEndOrHangup(SocketChannel c, long seconds) throws IOException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        ByteBuffer sink = ByteBuffer.allocate(64);
        c.configureBlocking(false);
        try (Selector sel = Selector.open()) {
            c.register(sel, SelectionKey.OP_READ);
            for (;;) {
                long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
                if (seconds >= 0 && leftMillis <= 0) {
                    break;
                }
                if (sel.select(seconds < 0 ? 0 : leftMillis) > 0) {
                    sel.selectedKeys().clear();
                    sink.clear();
                    if (c.read(sink) < 0) {
                        c.close();
                        return;
                    }
                }
            }
        }
        c.configureBlocking(true);
    }

    private static String readLine(SocketChannel c) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(MAX_REQUEST);
        while (b.hasRemaining()) {
            if (c.read(b) < 0) {
                break;
            }
            for (int i = 0; i < b.position(); i++) {
                if (b.get(i) == '\n') {
                    return new String(b.array(), 0, i, StandardCharsets.UTF_8);
                }
            }
        }
        throw new IOException("bad request: expected one line shorter than " + MAX_REQUEST + " bytes");
    }

    private static void write(SocketChannel c, String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    /** Stops accepting and removes the socket file; requests in progress finish on their own. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
            Files.deleteIfExists(path);
            acceptor.join(1000);
        } catch (IOException e) {
            log.warn("control socket {}: {}", path, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
