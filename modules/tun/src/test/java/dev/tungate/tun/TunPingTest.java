package dev.tungate.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tungate.wire.Drop;
import dev.tungate.wire.IcmpHeader;
import dev.tungate.wire.IpPacket;
import dev.tungate.wire.Ipv4Header;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * A real TUN device in a test-made namespace, configured by Netlink: `ping` inside the namespace sends an ICMP echo
 * request into the TUN, the TunQueueHandle reads it, the test writes back the echo reply it builds by hand (RFC 792),
 * and ping succeeds. Also the error paths of Netns, TunDevice and Netlink.
 */
@DisplayName("TUN device, Netns and Netlink against the kernel")
class TunPingTest {
    private static MultiThreadIoEventLoopGroup group;

    @BeforeAll
    static void startLoop() {
        TunTestSupport.requireRootAndTun();
        group = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
    }

    @AfterAll
    static void stopLoop() throws InterruptedException {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest(name = "offload={0} queues={1}")
    @CsvSource({"false, 1", "true, 1", "true, 2"})
    @DisplayName("ping through the TUN: the handle reads the echo request, the hand-built reply reaches ping")
    void pingIsAnsweredThroughTheTun(boolean offload, int queues) throws Exception {
        String nsName = TunTestSupport.nsName();
        try (Netns ns = Netns.create(nsName);
             TunDevice dev = TunDevice.open(ns, TunTestSupport.devName(), queues, offload)) {
            assertEquals("/run/netns/" + nsName, ns.path());
            ns.call(() -> {
                try (Netlink nl = Netlink.open()) {
                    assertEquals(dev.ifindex(), nl.linkIndex(dev.name()));
                    nl.setMtu(dev.ifindex(), 1500);
                    nl.setTxQueueLen(dev.ifindex(), 1000);
                    nl.addAddress(dev.ifindex(), InetAddress.getByName("198.18.0.1"), 30);
                    nl.addAddress(dev.ifindex(), InetAddress.getByName("fd00:198:18::1"), 64);
                    nl.setLinkUp(dev.ifindex());
                    nl.addDefaultRoute(dev.ifindex(), InetAddress.getByName("198.18.0.2"));
                }
                return null;
            });
            String link = TunTestSupport.run(10, "ip", "-n", nsName, "-d", "link", "show", dev.name()).output();
            assertTrue(link.contains("mtu 1500") && link.contains("qlen 1000") && link.contains(",UP"), link);
            String route = TunTestSupport.run(10, "ip", "-n", nsName, "route", "show", "default").output();
            assertTrue(route.contains("via 198.18.0.2 dev " + dev.name()), route);
            String addr6 = TunTestSupport.run(10, "ip", "-n", nsName, "-6", "addr", "show", "dev", dev.name()).output();
            assertTrue(addr6.contains("fd00:198:18::1/64") && !addr6.contains("tentative"), addr6);

            // One responder per queue, each on its own loop: the kernel picks the queue of the request.
            IoEventLoop[] loops = new IoEventLoop[queues];
            TunQueueHandle[] handles = new TunQueueHandle[queues];
            EchoResponder[] responders = new EchoResponder[queues];
            try {
                for (int q = 0; q < queues; q++) {
                    loops[q] = group.next();
                    responders[q] = new EchoResponder();
                    handles[q] = TunQueueHandle.register(loops[q], dev, q, PooledByteBufAllocator.DEFAULT, responders[q],
                            1500).get(10, TimeUnit.SECONDS);
                    responders[q].handle = handles[q];
                }
                // 198.19.7.7 is not on the link: it leaves by the default route, i.e. into the TUN.
                TunTestSupport.Result ping = TunTestSupport.run(20, "ip", "netns", "exec", nsName,
                        "python3", "-c", PING, "198.19.7.7");
                assertEquals(0, ping.exit(), ping.output());
                long requests = 0;
                long written = 0;
                for (int q = 0; q < queues; q++) {
                    int qq = q;
                    requests += responders[q].echoRequests.get();
                    assertEquals(null, responders[q].badHdr.get());
                    written += loops[q].submit(() -> handles[qq].framesWritten()).get(5, TimeUnit.SECONDS);
                    assertEquals(0, (long) loops[q].submit(() -> handles[qq].writeDrops()).get(5, TimeUnit.SECONDS));
                }
                assertTrue(requests >= 1 && written >= 1, "requests " + requests + ", replies written " + written);
            } finally {
                for (int q = 0; q < queues; q++) {
                    if (handles[q] != null) {
                        handles[q].close();
                        loops[q].submit(() -> { }).get(5, TimeUnit.SECONDS);
                    }
                }
            }
        }
    }

    /**
     * `ping -c 1 -W TIMEOUT -s SIZE HOST` for machines without iputils (args: HOST [SIZE [TIMEOUT]]): exits 0 on an
     * echo reply whose id and payload match, 1 on timeout.
     */
    private static final String PING = """
            import os, socket, struct, sys
            def csum(b):
                s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
                s = (s >> 16) + (s & 0xffff); s += s >> 16
                return ~s & 0xffff
            ident = os.getpid() & 0xffff
            payload = (b'tungate-tun-ping' * 4096)[:int(sys.argv[2]) if len(sys.argv) > 2 else 16]
            hdr = struct.pack('!BBHHH', 8, 0, 0, ident, 1)
            pkt = struct.pack('!BBHHH', 8, 0, csum(hdr + payload), ident, 1) + payload
            s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
            s.settimeout(float(sys.argv[3]) if len(sys.argv) > 3 else 10)
            s.sendto(pkt, (sys.argv[1], 0))
            while True:
                try:
                    data = s.recv(65536)
                except socket.timeout:
                    sys.exit(1)
                icmp = data[(data[0] & 15) * 4:]
                if icmp[0] == 0 and struct.unpack('!H', icmp[4:6])[0] == ident and icmp[8:] == payload:
                    print('echo reply from', sys.argv[1]); sys.exit(0)
            """;

    /** Answers IPv4 ICMP echo requests (RFC 792) in place: swap the addresses, type 8 -> 0, new ICMP checksum. */
    private static final class EchoResponder implements TunFrameHandler {
        TunQueueHandle handle;
        final AtomicInteger echoRequests = new AtomicInteger();
        final AtomicReference<String> badHdr = new AtomicReference<>();

        private final IpPacket ip = new IpPacket();
        private final IcmpHeader icmp = new IcmpHeader();

        @Override
        public void frameRead(ByteBuf frame, VirtioNetHdr hdr) {
            if (hdr.gsoType() != VirtioNetHdr.GSO_NONE) {
                badHdr.set(hdr.toString());
            }
            boolean echo = ip.wrap(frame, frame.readerIndex(), frame.readableBytes()) == Drop.NONE && ip.isIpv4()
                    && ip.protocol() == IpPacket.ICMP
                    && icmp.wrap(frame, ip.l4Offset(), ip.l4Length(), false) == Drop.NONE && icmp.isEchoRequest();
            if (!echo) {
                frame.release();                  // e.g. IPv6 router solicitations
                return;
            }
            echoRequests.incrementAndGet();
            Ipv4Header v4 = ip.v4();
            int src = v4.src();
            v4.src(v4.dst()).dst(src);            // the setters keep the IPv4 header checksum right (RFC 1624)
            frame.setByte(icmp.offset() + IcmpHeader.OFF_TYPE, IcmpHeader.V4_ECHO_REPLY);
            icmp.fillChecksum(0);                 // ICMPv4 has no pseudo-header (RFC 792)
            handle.write(frame, VirtioNetHdr.GSO_NONE, 0, 0, 0);
        }

        @Override
        public void batchComplete() {
        }
    }

    @Test
    @DisplayName("deleting the link under a registered queue closes the handle instead of spinning on EPOLLERR")
    void deletedDeviceClosesTheHandle() throws Exception {
        try (Netns ns = Netns.create(null);
             TunDevice dev = TunDevice.open(ns, TunTestSupport.devName(), 1, false)) {
            IoEventLoop loop = group.next();
            TunQueueHandle handle = TunQueueHandle.register(loop, dev, 0, PooledByteBufAllocator.DEFAULT,
                    new EchoResponder(), 1500).get(10, TimeUnit.SECONDS);
            try {
                assertFalse(handle.closeFuture().isDone());
                ns.call(() -> {
                    try (Netlink nl = Netlink.open()) {
                        nl.deleteLink(dev.ifindex());
                    }
                    return null;
                });
                assertTrue(handle.closeFuture().await(10, TimeUnit.SECONDS), "still open 10 s after the link was deleted");
            } finally {
                handle.close();
                loop.submit(() -> { }).get(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    @DisplayName("a packet longer than register()'s mtu is counted in readDrops, not delivered cut")
    void oversizePacketIsDropped() throws Exception {
        String nsName = TunTestSupport.nsName();
        try (Netns ns = Netns.create(nsName);
             TunDevice dev = TunDevice.open(ns, TunTestSupport.devName(), 1, false)) {
            linkUp(ns, dev, false);
            IoEventLoop loop = group.next();
            EchoResponder responder = new EchoResponder();
            TunQueueHandle handle = TunQueueHandle.register(loop, dev, 0, PooledByteBufAllocator.DEFAULT, responder, 576)
                    .get(10, TimeUnit.SECONDS);
            responder.handle = handle;
            try {
                TunTestSupport.Result small = TunTestSupport.run(20, "ip", "netns", "exec", nsName,
                        "python3", "-c", PING, "198.18.0.2", "500", "10");
                assertEquals(0, small.exit(), small.output());
                TunTestSupport.Result big = TunTestSupport.run(20, "ip", "netns", "exec", nsName,
                        "python3", "-c", PING, "198.18.0.2", "1000", "2");
                assertEquals(1, big.exit(), big.output());
                assertEquals(1, responder.echoRequests.get());
                assertTrue(loop.submit(handle::readDrops).get(5, TimeUnit.SECONDS) >= 1);
            } finally {
                handle.close();
                loop.submit(() -> { }).get(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    @DisplayName("a second single-queue open of a device in use is 'device X is busy'")
    void busyDevice() {
        try (Netns ns = Netns.create(null);
             TunDevice dev = TunDevice.open(ns, TunTestSupport.devName(), 1, false)) {
            TunException e = assertThrows(TunException.class, () -> TunDevice.open(ns, dev.name(), 1, false));
            assertEquals("device " + dev.name() + " is busy", e.getMessage());
        }
    }

    @Test
    @DisplayName("multi-queue: every queue has its own fd on one device")
    void multiQueue() throws Exception {
        try (Netns ns = Netns.create(null);
             TunDevice dev = TunDevice.open(ns, TunTestSupport.devName(), 3, true)) {
            assertEquals(3, dev.queueCount());
            assertTrue(dev.queueFd(0) != dev.queueFd(1) && dev.queueFd(1) != dev.queueFd(2));
            int idx = ns.call(() -> {
                try (Netlink nl = Netlink.open()) {
                    return nl.linkIndex(dev.name());
                }
            });
            assertEquals(dev.ifindex(), idx);
        }
    }

    @Test
    @DisplayName("the device lives in the namespace, not in the caller's")
    void deviceIsInsideTheNamespace() throws Exception {
        String nsName = TunTestSupport.nsName();
        try (Netns ns = Netns.create(nsName);
             TunDevice dev = TunDevice.open(ns, TunTestSupport.devName(), 1, false)) {
            assertEquals(0, TunTestSupport.run(10, "ip", "-n", nsName, "link", "show", dev.name()).exit());
            assertFalse(Files.exists(Path.of("/sys/class/net/" + dev.name())), "device leaked into the host namespace");
        }
        assertFalse(Files.exists(Path.of("/run/netns/" + nsName)), "bind mount left behind");
    }

    @Test
    @DisplayName("bad device names fail before any syscall")
    void badDeviceName() {
        try (Netns ns = Netns.create(null)) {
            TunException e = assertThrows(TunException.class, () -> TunDevice.open(ns, "a-name-far-too-long", 1, false));
            assertTrue(e.getMessage().startsWith("bad device name 'a-name-far-too-long'"), e.getMessage());
            assertThrows(TunException.class, () -> TunDevice.open(ns, "tun/0", 1, false));
        }
    }

    @Test
    @DisplayName("namespaces: missing name, not a namespace, a PID's namespace, a name taken twice")
    void badNamespace() throws Exception {
        String missing = TunTestSupport.nsName();
        NetnsException e = assertThrows(NetnsException.class, () -> Netns.open(missing));
        assertEquals("cannot open network namespace '" + missing + "' (/run/netns/" + missing
                + "): No such file or directory", e.getMessage());
        e = assertThrows(NetnsException.class, () -> Netns.open("/proc/self/status"));
        assertTrue(e.getMessage().startsWith("/proc/self/status is not a namespace file"), e.getMessage());
        e = assertThrows(NetnsException.class, () -> Netns.open("/proc/self/ns/uts"));
        assertEquals("/proc/self/ns/uts is not a network namespace", e.getMessage());
        try (Netns self = Netns.open(Long.toString(ProcessHandle.current().pid()))) {
            assertEquals("/proc/" + ProcessHandle.current().pid() + "/ns/net", self.path());
        }
        String name = TunTestSupport.nsName();
        try (Netns created = Netns.create(name); Netns byName = Netns.open(name)) {
            assertEquals(created.path(), byName.path());
            e = assertThrows(NetnsException.class, () -> Netns.create(name));
            assertEquals("network namespace /run/netns/" + name + " already exists", e.getMessage());
        }
        assertThrows(NetnsException.class, () -> Netns.open(name));
    }

    @Test
    @DisplayName("netlink refusals name the request, the address and the link")
    void netlinkErrors() throws Exception {
        try (Netns ns = Netns.create(null);
             TunDevice dev = TunDevice.open(ns, TunTestSupport.devName(), 1, false)) {
            ns.call(() -> {
                try (Netlink nl = Netlink.open()) {
                    nl.addAddress(dev.ifindex(), InetAddress.getByName("198.18.0.1"), 24);
                    NetlinkException e = assertThrows(NetlinkException.class,
                            () -> nl.addAddress(dev.ifindex(), InetAddress.getByName("198.18.0.1"), 24));
                    assertEquals("netlink RTM_NEWADDR 198.18.0.1/24 on " + dev.name() + ": File exists", e.getMessage());
                    e = assertThrows(NetlinkException.class, () -> nl.linkIndex("tg-no-such"));
                    assertEquals("netlink RTM_GETLINK tg-no-such: No such device", e.getMessage());
                    e = assertThrows(NetlinkException.class, () -> nl.setLinkUp(999_999));
                    assertEquals("netlink RTM_SETLINK up on ifindex 999999: No such device", e.getMessage());
                    nl.deleteLink(dev.ifindex());
                    assertThrows(NetlinkException.class, () -> nl.linkIndex(dev.name()));
                }
                return null;
            });
        }
    }

    @Test
    @DisplayName("a read that finds no buffer stops polling for a moment instead of spinning; the frame is read later")
    void noBufferPausesReadingAndLosesNothing() throws Exception {
        String nsName = TunTestSupport.nsName();
        try (Netns ns = Netns.create(nsName);
             TunDevice dev = TunDevice.open(ns, TunTestSupport.devName(), 1, false)) {
            linkUp(ns, dev, true);
            IoEventLoop loop = group.next();
            ExhaustedAllocator alloc = new ExhaustedAllocator();
            EchoResponder responder = new EchoResponder();
            TunQueueHandle handle = TunQueueHandle.register(loop, dev, 0, alloc, responder, 1500)
                    .get(10, TimeUnit.SECONDS);
            responder.handle = handle;
            alloc.exhausted = true;
            Process ping = new ProcessBuilder("ip", "netns", "exec", nsName, "python3", "-c", PING, "198.19.7.7", "16",
                    "20").redirectErrorStream(true).start();
            try {
                while (alloc.refusals.get() == 0 && ping.isAlive()) {
                    Thread.sleep(10);
                }
                Thread.sleep(200);
                long refused = loop.submit(handle::readNoMemory).get(5, TimeUnit.SECONDS);
                // Spinning on the level-triggered EPOLLIN retries hundreds of thousands of times in 200 ms; pausing
                // NO_MEMORY_PAUSE_MS between tries, about twenty.
                assertTrue(refused >= 1 && refused < 200, refused + " reads found no buffer in 200 ms");
                alloc.exhausted = false;
                assertTrue(ping.waitFor(20, TimeUnit.SECONDS), "ping still waiting");
                assertEquals(0, ping.exitValue(), new String(ping.getInputStream().readAllBytes()));
                assertEquals(1, responder.echoRequests.get());
            } finally {
                ping.destroyForcibly();
                handle.close();
                loop.submit(() -> { }).get(5, TimeUnit.SECONDS);
            }
        }
    }

    /** 198.18.0.1/30 on dev, up; with defaultRoute, everything else leaves by 198.18.0.2, i.e. into the TUN. */
    private static void linkUp(Netns ns, TunDevice dev, boolean defaultRoute) throws Exception {
        ns.call(() -> {
            try (Netlink nl = Netlink.open()) {
                nl.addAddress(dev.ifindex(), InetAddress.getByName("198.18.0.1"), 30);
                nl.setLinkUp(dev.ifindex());
                if (defaultRoute) {
                    nl.addDefaultRoute(dev.ifindex(), InetAddress.getByName("198.18.0.2"));
                }
            }
            return null;
        });
    }

    /** Refuses every direct buffer (as a spent direct-memory limit does) until told otherwise. */
    private static final class ExhaustedAllocator extends AbstractByteBufAllocator {
        volatile boolean exhausted;
        final AtomicInteger refusals = new AtomicInteger();

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            return PooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity);
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            if (exhausted) {
                refusals.incrementAndGet();
                throw new OutOfMemoryError("test: direct memory exhausted");
            }
            return PooledByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return true;
        }
    }
}
