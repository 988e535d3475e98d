package dev.tungate.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tungate.tcp.State;
import dev.tungate.tcp.TcpConfig;
import dev.tungate.tcp.TcpEvent;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Linux kernel's TCP as the peer of tungate's engine (issue 4), through a real TUN device in a test-made
 * namespace. The kernel side is a plain Java socket created on a thread that setns()'d into the namespace; the engine
 * side is {@link EngineTunDriver} on an epoll event loop. Each case moves 10 MB each way at once, checks both with
 * SHA-256, and closes in the chosen order, checking the engine's path through the RFC 9293 §3.6 closing states.
 * Address plan (inside the namespace only): the kernel is 198.18.0.1/24 (fd00:198:18::1/64) on the TUN, the engine
 * 198.18.0.2 (fd00:198:18::2).
 */
@DisplayName("engine against the Linux kernel's TCP through a TUN device")
class KernelPeerEngineTest {
    private static final int SIZE = 10 * 1024 * 1024;
    private static final int ENGINE_PORT = 5001, KERNEL_PORT = 5002;
    private static final long CASE_SECONDS = 60;
    private static MultiThreadIoEventLoopGroup group;

    @BeforeAll
    static void startLoop() {
        TunTestSupport.requireRootAndTun();
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    }

    @AfterAll
    static void stopLoop() throws InterruptedException {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest(name = "offload={0} engineActive={1} engineClosesFirst={2} ipv6={3}")
    @CsvSource({
        "false, false, true, false",
        "false, true, false, false",
        "false, false, false, false",
        "false, true, true, false",
        "true, false, true, false",
        "true, true, false, false",
        "false, true, false, true",
        "true, false, true, true",
    })
    @DisplayName("handshake, 10 MB each way (SHA-256), close")
    void tenMegabytesEachWay(boolean offload, boolean engineActive, boolean engineClosesFirst, boolean ipv6)
            throws Exception {
        byte[] engineData = randomBytes(SIZE, 1);
        byte[] kernelData = randomBytes(SIZE, 2);
        InetAddress kernelAddr = InetAddress.getByName(ipv6 ? "fd00:198:18::1" : "198.18.0.1");
        InetAddress engineAddr = InetAddress.getByName(ipv6 ? "fd00:198:18::2" : "198.18.0.2");
        TcpConfig cfg = new TcpConfig();
        cfg.mss = ipv6 ? 1440 : 1460;                 // MTU 1500 minus the IP and TCP headers
        cfg.mslNanos = 250_000_000L;                  // TIME-WAIT of 0.5 s keeps the case short
        cfg.gsoMaxBytes = offload ? 60_000 : 0;
        IoEventLoop loop = group.next();
        EngineTunDriver driver = new EngineTunDriver(cfg, offload, PooledByteBufAllocator.DEFAULT, engineAddr,
                engineActive ? 40000 : ENGINE_PORT, engineData, !engineClosesFirst);
        Thread kernelWriter = null;
        Thread kernelReader = null;
        Socket kernel = null;
        ServerSocket listener = null;
        TunQueueHandle handle = null;
        ScheduledFuture<?> ticker = null;
        try (Netns ns = Netns.create(null);
             TunDevice dev = TunDevice.open(ns, TunTestSupport.devName(), 1, offload)) {
            try {   // the handle is deregistered before the device closes (see TunDevice.close)
                ns.call(() -> {
                    try (Netlink nl = Netlink.open()) {
                        nl.setMtu(dev.ifindex(), 1500);
                        nl.addAddress(dev.ifindex(), kernelAddr, ipv6 ? 64 : 24);
                        nl.setLinkUp(dev.ifindex());
                    }
                    return null;
                });
                handle = TunQueueHandle.register(loop, dev, 0, PooledByteBufAllocator.DEFAULT, driver, 1500)
                        .get(10, TimeUnit.SECONDS);
                driver.attach(handle);
                ticker = loop.scheduleAtFixedRate(driver::tick, 1, 1, TimeUnit.MILLISECONDS);
                int iss = new Random().nextInt();
                if (engineActive) {
                    listener = ns.call(() -> {
                        ServerSocket ss = new ServerSocket();
                        ss.bind(new InetSocketAddress(kernelAddr, KERNEL_PORT));
                        return ss;
                    });
                    listener.setSoTimeout((int) TimeUnit.SECONDS.toMillis(CASE_SECONDS));
                    loop.submit(() -> driver.connect(iss, kernelAddr, KERNEL_PORT)).get(5, TimeUnit.SECONDS);
                    kernel = listener.accept();
                } else {
                    loop.submit(() -> driver.listen(iss)).get(5, TimeUnit.SECONDS);
                    kernel = ns.call(() -> {
                        Socket s = new Socket();
                        s.connect(new InetSocketAddress(engineAddr, ENGINE_PORT), (int) TimeUnit.SECONDS.toMillis(10));
                        return s;
                    });
                }
                kernel.setSoTimeout((int) TimeUnit.SECONDS.toMillis(CASE_SECONDS));
                Socket k = kernel;
                CompletableFuture<String> kernelGot = new CompletableFuture<>();
                CompletableFuture<Void> kernelSent = new CompletableFuture<>();
                kernelReader = new Thread(() -> readAll(k, kernelGot), "kernel-reader");
                kernelWriter = new Thread(() -> {
                    try {
                        OutputStream o = k.getOutputStream();
                        o.write(kernelData);
                        o.flush();
                        kernelSent.complete(null);
                    } catch (Exception e) {
                        kernelSent.completeExceptionally(e);
                    }
                }, "kernel-writer");
                kernelReader.start();
                kernelWriter.start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CASE_SECONDS);

                if (engineClosesFirst) {
                    // The engine FINs once its 10 MB are queued; the kernel reads to EOF, finishes its own writes, and
                    // closes only after the engine reached FIN-WAIT-2, so that state is seen for sure.
                    assertEquals(sha256(engineData), await(kernelGot, deadline, driver), "kernel received");
                    await(kernelSent, deadline, driver);
                    await(driver.finWait2, deadline, driver);
                    kernel.close();
                } else {
                    // The kernel half-closes after writing (a full close with unread data would RST); the engine FINs
                    // only after the peer's FIN, from CLOSE-WAIT.
                    await(kernelSent, deadline, driver);
                    kernel.shutdownOutput();
                    assertEquals(sha256(engineData), await(kernelGot, deadline, driver), "kernel received");
                }
                assertEquals(sha256(kernelData), await(driver.closed, deadline, driver), "engine received");
                kernel.close();
                List<State> states = loop.submit(() -> List.copyOf(driver.states)).get(5, TimeUnit.SECONDS);
                List<TcpEvent> events = loop.submit(() -> List.copyOf(driver.events)).get(5, TimeUnit.SECONDS);
                String progress = loop.submit(driver::progress).get(5, TimeUnit.SECONDS);
                System.out.printf("offload=%s engineActive=%s engineClosesFirst=%s ipv6=%s: %s%n%s%n", offload, engineActive,
                        engineClosesFirst, ipv6, progress, TunTestSupport.run(10, "nsenter", "--net=" + ns.path(), "ip", "-s",
                                "link", "show", dev.name()).output());
                assertTrue(events.contains(TcpEvent.ESTABLISHED) && events.contains(TcpEvent.PEER_FIN)
                        && events.get(events.size() - 1) == TcpEvent.CLOSED, progress);
                List<State> closing = engineClosesFirst
                        ? List.of(State.ESTABLISHED, State.FIN_WAIT_1, State.FIN_WAIT_2, State.TIME_WAIT, State.CLOSED)
                        : List.of(State.ESTABLISHED, State.CLOSE_WAIT, State.LAST_ACK, State.CLOSED);
                assertEquals(closing, states.subList(states.indexOf(State.ESTABLISHED), states.size()), progress);
                assertEquals(engineActive ? State.SYN_SENT : State.SYN_RECEIVED, states.get(states.indexOf(State.ESTABLISHED) - 1),
                        progress);
                if (offload) {
                    assertTrue(driver.gsoFramesIn() > 0 && driver.gsoFramesOut() > 0, "no GSO frames either way: " + progress);
                }
            } finally {
                if (ticker != null) {
                    ticker.cancel(false);
                }
                closeQuietly(kernel);
                closeQuietly(listener);
                if (handle != null) {
                    handle.close();
                    loop.submit(() -> { }).get(5, TimeUnit.SECONDS);   // the deregistration ran before the device closes
                }
                joinBounded(kernelReader);
                joinBounded(kernelWriter);
            }
        }
    }

    private static void readAll(Socket s, CompletableFuture<String> done) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            InputStream in = s.getInputStream();
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) >= 0; ) {
                md.update(buf, 0, n);
            }
            done.complete(EngineTunDriver.hex(md.digest()));
        } catch (Exception e) {
            done.completeExceptionally(e);
        }
    }

    private static <T> T await(CompletableFuture<T> f, long deadlineNanos, EngineTunDriver driver) throws Exception {
        try {
            return f.get(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            fail("timed out; " + driver.progress());
            throw e;
        }
    }

    private static String sha256(byte[] data) throws Exception {
        return EngineTunDriver.hex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // cleanup after a failure; the failure is what gets reported
            }
        }
    }

    private static void joinBounded(Thread t) throws InterruptedException {
        if (t != null) {
            t.join(TimeUnit.SECONDS.toMillis(10));
        }
    }
}
