package dev.tungate.gateway;

import dev.tungate.gateway.config.GatewayConfig;
import dev.tungate.gateway.dns.DnsForwarder;
import dev.tungate.gateway.dns.ResolvConf;
import dev.tungate.gateway.forward.Forwards;
import dev.tungate.gateway.icmp.IcmpRelay;
import dev.tungate.gateway.icmp.ProtocolUnreachable;
import dev.tungate.gateway.shard.AddressPlan;
import dev.tungate.gateway.shard.Capture;
import dev.tungate.gateway.shard.Budgets;
import dev.tungate.gateway.shard.Counters;
import dev.tungate.gateway.shard.FdReserve;
import dev.tungate.gateway.shard.MemoryBudget;
import dev.tungate.gateway.shard.FlowKey;
import dev.tungate.gateway.shard.Shard;
import dev.tungate.gateway.tcp.TcpObserver;
import dev.tungate.gateway.tcp.TcpRelay;
import dev.tungate.gateway.emu.ImpairProfile;
import dev.tungate.gateway.emu.SpecException;
import dev.tungate.gateway.stage.EmuStage;
import dev.tungate.gateway.stage.FlowName;
import dev.tungate.gateway.stage.Impairments;
import dev.tungate.gateway.udp.UdpRelay;
import dev.tungate.tcp.Isn;
import dev.tungate.tun.Netlink;
import dev.tungate.tun.NetlinkException;
import dev.tungate.tun.Netns;
import dev.tungate.tun.TunDevice;
import dev.tungate.tun.TunException;
import dev.tungate.tun.TunQueueHandle;
import dev.tungate.wire.IpPacket;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocatorMetric;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A running gateway: the TUN device inside the namespace, configured like a slirp4netns guest
 * link, and one {@link Shard} per TUN queue and event loop. Also the facade the control server
 * uses (connections, counters, capture). Start with {@link #start}; {@link #close} resets every
 * flow, removes the device and stops the loops.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LogManager.getLogger();
    /** Longest a control-path task may wait for a shard's loop. */
    private static final long LOOP_TASK_MILLIS = 1000;
    /** ICMP too-big hand-offs between loops not yet run: a path MTU needs one, a flood gets no more. */
    static final int TOO_BIG_IN_FLIGHT = 256;
    /** How often {@link #checkNetns} looks whether the namespace's name still leads to it. */
    private static final long NETNS_CHECK_MILLIS = 500;
    /** errno: no such device, as RTM_GETLINK answers for an unknown name. */
    private static final int ENODEV = 19;
    /** errno: RTM_NEWROUTE with NLM_F_EXCL found a route already there. */
    private static final int EEXIST = 17;

    private final Netns netns;
    private final boolean ownsNetns;
    private final TunDevice device;
    private final MultiThreadIoEventLoopGroup group;
    private final Shard[] shards;
    /** Each shard's TCP handler, at the shard's index. */
    private final TcpRelay[] tcp;
    /** Impairment profiles; each shard's EmuStage at its index (null until a profile exists). */
    private final Impairments impairments;
    private final EmuStage[] stages;
    /** ctl impair flow: each flow's own profile by its label, for ctl impair list (guarded by this). */
    private final Map<String, ImpairProfile> flowProfiles = new java.util.LinkedHashMap<>();
    private final TunQueueHandle[] queues;
    private final GatewayConfig config;
    private final AddressPlan plan;
    /** What the start-up warm-up counted, taken off {@link #stats()}; null before {@link #warmUp()}. */
    private volatile Counters warmUpCounts;
    private final CompletableFuture<String> deviceLost = new CompletableFuture<>();
    private Capture capture;
    /** Port forwards, host → namespace (gateway/forward). */
    private final Forwards forwards;
    /** Set first by {@link #close}: a queue closing after this is our doing, not a lost device. */
    private volatile boolean closed;

    private Gateway(Netns netns, boolean ownsNetns, TunDevice device,
            MultiThreadIoEventLoopGroup group, Shard[] shards, TcpRelay[] tcp, TunQueueHandle[] queues, GatewayConfig config,
            AddressPlan plan, Forwards forwards) {
        this.forwards = forwards;
        this.netns = netns;
        this.ownsNetns = ownsNetns;
        this.device = device;
        this.group = group;
        this.shards = shards;
        this.tcp = tcp;
        this.impairments = new Impairments(config);
        this.stages = new EmuStage[shards.length];
        this.queues = queues;
        this.config = config;
        this.plan = plan;
    }

    /** Opens {@code config.netns} and starts on it; the namespace is closed with the gateway. */
    public static Gateway start(GatewayConfig config) {
        Netns ns = Netns.open(config.netns);
        try {
            return start(config, ns, true);
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    /**
     * Starts on an open namespace: creates and configures the device, starts the shards, and
     * returns once every queue is being read. {@code ownsNetns}: close {@code ns} on {@link #close}.
     */
    public static Gateway start(GatewayConfig config, Netns ns, boolean ownsNetns) {
        return start(config, ns, ownsNetns, null);
    }

    /**
     * An ICMP too-big from the namespace about a TCP segment, read on {@code from}'s loop: to the flow's
     * owner shard (it may come in on any queue). The namespace sends as many as it likes, so the tasks
     * crossing to other loops are capped ({@link #TOO_BIG_IN_FLIGHT}); beyond that one is ignored, counted.
     */
    private static void tcpTooBig(Shard from, Shard[] shards, TcpRelay[] tcp, AtomicInteger inFlight, FlowKey key, int mtu,
            int quotedSeq) {
        int owner = Shard.ownerOf(key, shards.length);
        if (owner == from.shardIndex()) {
            tcp[owner].packetTooBig(key, mtu, quotedSeq);
            return;
        }
        if (inFlight.incrementAndGet() > TOO_BIG_IN_FLIGHT) {
            inFlight.decrementAndGet();
            from.counters().icmpIgnored++;
            return;
        }
        shards[owner].loop().execute(() -> {
            inFlight.decrementAndGet();
            TcpRelay t = tcp[owner];   // written on this loop when the shard was built
            if (t != null) {
                t.packetTooBig(key, mtu, quotedSeq);
            }
        });
    }

    /** As {@link #start(GatewayConfig, Netns, boolean)}, with every shard's TCP observed (the demo). */
    public static Gateway start(GatewayConfig config, Netns ns, boolean ownsNetns, TcpObserver observer) {
        List<InetSocketAddress> resolvers = resolvers(config);
        log.debug("tungate starting: {}", config.describe());
        requireFreeName(ns, config.tunName);
        TunDevice dev = TunDevice.open(ns, config.tunName, config.queues, config.offload);
        MultiThreadIoEventLoopGroup group = null;
        try {
            configureLink(ns, dev, config);
            group = new MultiThreadIoEventLoopGroup(config.queues, new DefaultThreadFactory("tungate-shard"),
                    EpollIoHandler.newFactory());
            ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
            AddressPlan plan = new AddressPlan(config, resolvers);
            Isn isn = Isn.withRandomKey();
            Shard[] shards = new Shard[config.queues];
            TcpRelay[] tcp = new TcpRelay[config.queues];
            TunQueueHandle[] queues = new TunQueueHandle[config.queues];
            List<IoEventLoop> loops = new ArrayList<>();
            for (EventExecutor e : group) {
                loops.add((IoEventLoop) e);
            }
            // Published to the loops as each queue registers; a frame handed over from a queue registered
            // earlier may be answered before queue q is, and is dropped then.
            AtomicReferenceArray<TunQueueHandle> registered = new AtomicReferenceArray<>(config.queues);
            for (int k = 0; k < shards.length; k++) {
                int q = k;
                shards[k] = new Shard(k, loops.get(k), alloc, plan, (frame, gsoType, gsoSize, csumStart, csumOffset) -> {
                    TunQueueHandle h = registered.get(q);
                    if (h == null) {
                        frame.release();
                        return false;
                    }
                    return h.write(frame, gsoType, gsoSize, csumStart, csumOffset);
                });
            }
            Budgets budgets = budgets(config);
            Forwards forwards = new Forwards(shards, tcp, config);
            AtomicInteger tooBigInFlight = new AtomicInteger();
            for (int k = 0; k < shards.length; k++) {
                Shard s = shards[k];
                s.peers(shards);
                s.budgets(budgets);
                call(s, () -> {
                    DnsForwarder dns = resolvers.isEmpty() ? null : new DnsForwarder(s, resolvers);
                    TcpRelay t = new TcpRelay(s, config, isn);
                    t.observer(observer);
                    tcp[s.shardIndex()] = t;
                    UdpRelay u = new UdpRelay(s, dns, config.udpFlowLimit, TimeUnit.MILLISECONDS.toNanos(config.udpIdleTimeoutMillis));
                    u.forwarded(forwards.udpReplies());
                    s.protocolHandlers(t, u, new IcmpRelay(s, (key, mtu, seq) -> tcpTooBig(s, shards, tcp, tooBigInFlight, key, mtu, seq)),
                            new ProtocolUnreachable(s));
                    return null;
                });
                queues[k] = TunQueueHandle.register(loops.get(k), dev, k, alloc, s, config.mtu).syncUninterruptibly().getNow();
                registered.set(k, queues[k]);
            }
            Gateway gw = new Gateway(ns, ownsNetns, dev, group, shards, tcp, queues, config, plan, forwards);
            if (gw.impairments.any()) {
                gw.installStages();
            }
            for (TunQueueHandle q : queues) {
                q.closeFuture().addListener(f -> gw.queueClosed(q));
            }
            loops.get(0).scheduleAtFixedRate(gw::checkNetns, NETNS_CHECK_MILLIS, NETNS_CHECK_MILLIS, TimeUnit.MILLISECONDS);
            log.debug("tungate ready: {} in {} with {} queue(s), offload {}, resolvers {}", dev.name(), ns.path(),
                    config.queues, config.offload ? "on" : "off", resolvers);
            return gw;
        } catch (RuntimeException e) {
            if (group != null) {
                group.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS).awaitUninterruptibly(1000);
            }
            dev.close();
            throw e;
        }
    }

    /**
     * Completes, with a one-line reason, when a TUN queue stops while the gateway runs (the device was
     * deleted or the namespace destroyed from outside) or the namespace's name was deleted
     * ({@code ip netns del}). Never completes after {@link #close}. The CLI
     * logs the reason and exits non-zero.
     */
    public CompletableFuture<String> deviceLost() {
        return deviceLost;
    }

    private void queueClosed(TunQueueHandle q) {
        if (!closed) {
            deviceLost.complete("TUN device " + device.name() + " in " + netns.path() + " is gone (queue " + q.queue()
                    + " stopped): it was deleted or its namespace destroyed from outside");
        }
    }

    /**
     * A deleted namespace ({@code ip netns del}) is not destroyed while our TUN fds hold it, so no
     * queue notices; without this check the gateway would serve nobody and keep the name's control
     * socket, blocking a new gateway for a re-created namespace of the same name.
     */
    private void checkNetns() {
        if (!closed && !deviceLost.isDone() && !netns.pathStillNamesIt()) {
            deviceLost.complete("network namespace " + netns.path() + " was deleted while served (the path no longer names it)");
        }
    }

    /** Port forwards: {@code --forward}, {@code ctl forward add|list|remove}. */
    public Forwards forwards() {
        return forwards;
    }

    /** The shards' event loops, one thread each: where per-thread state such as capabilities must be changed. */
    public List<? extends java.util.concurrent.ExecutorService> loops() {
        List<EventExecutor> loops = new ArrayList<>();
        group.forEach(loops::add);
        return loops;
    }

    /** The configured resolvers, else the host's (resolv.conf); none is a warning: DNS then fails, the rest works. */
    private static List<InetSocketAddress> resolvers(GatewayConfig config) {
        if (!config.dnsResolvers.isEmpty()) {
            return List.copyOf(config.dnsResolvers);
        }
        try {
            return ResolvConf.read(ResolvConf.SYSTEM);
        } catch (IOException e) {
            log.warn("no DNS resolver: {}", e.getMessage());
            return List.of();
        }
    }

    /**
     * A multi-queue TUN open attaches to an existing device of that name instead of failing, so
     * "busy" is checked by name first.
     */
    private static void requireFreeName(Netns ns, String name) {
        boolean exists = ns.call(() -> {
            try (Netlink nl = Netlink.open()) {
                nl.linkIndex(name);
                return true;
            } catch (NetlinkException e) {
                if (e.errno() == ENODEV) {
                    return false;
                }
                throw e;
            }
        });
        if (exists) {
            throw new TunException("device " + name + " is busy: it already exists in " + ns.path()
                    + " (expected a free name; pick one with --tun)");
        }
    }

    /**
     * Inside the namespace: MTU, a deep TX queue, link up (and lo), the addresses, and default
     * routes via the gateway addresses. IPv6 trouble (e.g. IPv6 disabled in the namespace) is a
     * warning: IPv4 still works.
     */
    private static void configureLink(Netns ns, TunDevice dev, GatewayConfig c) {
        ns.call(() -> {
            try (Netlink nl = Netlink.open()) {
                int idx = dev.ifindex();
                nl.setMtu(idx, c.mtu);
                nl.setTxQueueLen(idx, c.txQueueLen);
                nl.setLinkUp(nl.linkIndex("lo"));
                nl.setLinkUp(idx);
                nl.addAddress(idx, c.address, c.prefixLength);
                addDefaultRoute(nl, ns, idx, c.gateway);
                if (c.ipv6) {
                    try {
                        nl.addAddress(idx, c.address6, c.prefixLength6);
                        nl.addDefaultRoute(idx, c.gateway6);
                    } catch (NetlinkException e) {
                        log.warn("IPv6 not configured in {}: {}", ns.path(), e.getMessage());
                    }
                }
            }
            return null;
        });
    }

    /** A second gateway on a namespace finds the first one's default route: say so, as bad input (exit 2). */
    private static void addDefaultRoute(Netlink nl, Netns ns, int idx, java.net.InetAddress via) {
        try {
            nl.addDefaultRoute(idx, via);
        } catch (NetlinkException e) {
            if (e.errno() == EEXIST) {
                throw new TunException("namespace " + ns.path() + " already has a default route (another gateway?);"
                        + " expected a namespace without one");
            }
            throw e;
        }
    }

    /**
     * Pre-touches the relay path with a few connections of its own ({@link WarmUp}) so the user's
     * first connection does not pay class loading; call once, after {@link #start}, before
     * announcing the gateway. Waits (bounded) until those flows are gone, and keeps their counts
     * out of {@link #stats()}. Returns how many warm-up connections completed.
     */
    public int warmUp() {
        long t0 = System.nanoTime();
        InetSocketAddress host = plan.upstream(config.gateway, 0, IpPacket.TCP);
        int done = WarmUp.run(netns, config.gateway, host == null ? null : host.getAddress());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LOOP_TASK_MILLIS);
        while (!connections().isEmpty() && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
        warmUpCounts = sumCounters();
        log.debug("warm-up: {} connection(s) in {} ms", done, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        return done;
    }

    /** Every connection of every shard, each shard's part taken on its own loop. */
    public List<ConnectionInfo> connections() {
        List<ConnectionInfo> all = new ArrayList<>();
        for (Shard s : shards) {
            all.addAll(call(s, () -> {
                List<ConnectionInfo> part = new ArrayList<>();
                tcp[s.shardIndex()].snapshot(part);
                return part;
            }));
        }
        return all;
    }

    /** Puts an emulation stage on every shard (once: when the first profile exists). */
    private synchronized void installStages() {
        for (Shard s : shards) {
            if (stages[s.shardIndex()] == null) {
                call(s, () -> {
                    EmuStage st = new EmuStage(s, impairments);
                    stages[s.shardIndex()] = st;
                    s.stage(st);
                    return null;
                });
            }
        }
    }

    /** ctl impair list: every profile with its SPEC and counters per direction, summed over the shards. */
    public synchronized String impairList() {
        Map<String, EmuStage.Tally[]> sum = new java.util.LinkedHashMap<>();
        for (Shard s : shards) {
            EmuStage st = stages[s.shardIndex()];
            if (st == null) {
                continue;
            }
            call(s, st::tallies).forEach((n, t) -> {
                EmuStage.Tally[] into = sum.computeIfAbsent(n, x -> new EmuStage.Tally[] {new EmuStage.Tally(), new EmuStage.Tally()});
                into[0].add(t[0]);
                into[1].add(t[1]);
            });
        }
        StringBuilder b = new StringBuilder();
        for (String n : impairments.names()) {
            ImpairProfile p = impairments.profile(n);
            EmuStage.Tally[] t = sum.getOrDefault(n, new EmuStage.Tally[] {new EmuStage.Tally(), new EmuStage.Tally()});
            b.append(n).append(": ").append(p.isEmpty() ? "(clear)" : p.spec()).append('\n')
                    .append("  up:   ").append(t[0]).append('\n')
                    .append("  down: ").append(t[1]).append('\n');
        }
        flowProfiles.forEach((n, p) -> {
            EmuStage.Tally[] t = sum.getOrDefault(n, new EmuStage.Tally[] {new EmuStage.Tally(), new EmuStage.Tally()});
            b.append(n).append(": ").append(p.isEmpty() ? "(clear)" : p.spec()).append('\n')
                    .append("  up:   ").append(t[0]).append('\n')
                    .append("  down: ").append(t[1]).append('\n');
        });
        return b.length() == 0 ? "no impairment profiles\n" : b.toString();
    }

    /**
     * ctl impair flow FLOW SPEC: the live TCP flow FLOW (as {@link FlowName} reads it) gets its own
     * profile on its shard; no other flow changes. A bad FLOW or SPEC, or no such live flow, throws
     * with one line and changes nothing.
     */
    public synchronized String impairFlow(String flow, String spec) throws SpecException {
        FlowName f = FlowName.parse(flow);
        ImpairProfile p = ImpairProfile.parse(spec);
        ConnectionInfo c = connections().stream().filter(x -> x.peer().equals(f.ns()) && x.local().equals(f.remote()))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("impair flow: no live flow " + flow
                        + "; expected one of the Peer-Local pairs of ctl conns"));
        installStages();
        Shard s = shards[c.shard()];
        EmuStage st = stages[c.shard()];
        String label = f.toString();
        call(s, () -> {
            st.flowProfile(f.key(), label, p);
            return null;
        });
        flowProfiles.put(label, p);
        return label + ": " + (p.isEmpty() ? "(clear)" : p.spec()) + "\n";
    }

    /**
     * ctl impair set NAME SPEC (clear: an empty SPEC): applied to the live flows of that profile on
     * every shard; a bad SPEC throws with one line and changes nothing.
     */
    public synchronized String impairSet(String name, String spec) throws SpecException {
        ImpairProfile p = ImpairProfile.parse(spec);
        impairments.put(name, p);
        installStages();
        for (Shard s : shards) {
            EmuStage st = stages[s.shardIndex()];
            call(s, () -> {
                st.profileChanged(name, p);
                return null;
            });
        }
        return name + ": " + (p.isEmpty() ? "(clear)" : p.spec()) + "\n";
    }

    /**
     * Counters summed over the shards, each read on its own loop; the start-up warm-up's not
     * included. The gauges (pinned bytes, direct memory and its budget, open fds and their limit)
     * are read now.
     */
    public Counters stats() {
        Counters sum = sumCounters();
        Counters w = warmUpCounts;
        if (w != null) {
            w.subtractFrom(sum);
        }
        sum.tcpPinnedBytes = 0;
        for (Shard s : shards) {
            TcpRelay t = tcp[s.shardIndex()];
            sum.tcpPinnedBytes += call(s, t::pinnedBytes);
        }
        Budgets b = shards[0].budgets();
        sum.directMemoryUsed = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
        sum.memoryBudget = b.memory().limit() == Long.MAX_VALUE ? 0 : b.memory().limit();
        sum.openFds = FdReserve.countOpen();
        sum.fdLimit = b.fds().limit() == Integer.MAX_VALUE ? 0 : b.fds().limit();
        return sum;
    }

    /** The gateway-wide budgets: {@code memory-limit} against the pooled allocator's real use, and the fd reserve. */
    private static Budgets budgets(GatewayConfig config) {
        PooledByteBufAllocatorMetric pool = PooledByteBufAllocator.DEFAULT.metric();
        MemoryBudget memory = config.memoryLimitBytes <= 0 ? MemoryBudget.UNLIMITED
                : new MemoryBudget(config.memoryLimitBytes, pool::usedDirectMemory);
        return new Budgets(memory, FdReserve.forThisProcess());
    }

    private Counters sumCounters() {
        Counters sum = new Counters();
        for (Shard s : shards) {
            Counters part = call(s, () -> s.counters().copy());
            part.addTo(sum);
        }
        return sum;
    }

    /**
     * Starts capturing every frame through the device, both directions, into a pcap file; closing
     * the result stops and flushes it. A new capture replaces a running one.
     */
    public synchronized Closeable capture(Path pcap) throws IOException {
        stopCapture();
        Capture c = new Capture(pcap);
        capture = c;
        for (Shard s : shards) {
            s.capture(c);
        }
        log.info("capturing {} to {}", device.name(), pcap);
        return () -> stopCapture(c);
    }

    private synchronized void stopCapture() {
        if (capture != null) {
            stopCapture(capture);
        }
    }

    private synchronized void stopCapture(Capture c) {
        if (capture != c) {
            return;
        }
        for (Shard s : shards) {
            s.capture(null);
        }
        capture = null;
        try {
            c.close();
        } catch (IOException e) {
            log.warn("capture file: {}", e.getMessage());
        }
        log.info("capture stopped after {} packets", c.packets());
    }

    /**
     * Resets every flow (RST both ways), removes the device, stops the loops and closes the
     * namespace if this gateway opened it. Bounded in time: about a second at worst.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopCapture();
        forwards.close();
        try {
            log.debug("counters at stop: {}", stats().asMap());
        } catch (RuntimeException e) {
            log.warn("counters at stop unavailable: {}", e.getMessage());
        }
        List<Future<?>> stops = new ArrayList<>();
        for (Shard s : shards) {
            stops.add(s.loop().submit(s::stop));
        }
        for (Future<?> f : stops) {
            f.awaitUninterruptibly(LOOP_TASK_MILLIS / 2);
        }
        for (TunQueueHandle q : queues) {
            q.close();
        }
        group.shutdownGracefully(0, 200, TimeUnit.MILLISECONDS).awaitUninterruptibly(LOOP_TASK_MILLIS);
        device.close();
        if (ownsNetns) {
            netns.close();
        }
        log.debug("tungate stopped: {} removed", device.name());
    }

    private static <T> T call(Shard s, java.util.concurrent.Callable<T> task) {
        try {
            return s.loop().submit(task).get(LOOP_TASK_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for shard " + s.shardIndex(), e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException r ? r : new IllegalStateException(c);
        } catch (TimeoutException e) {
            throw new IllegalStateException("shard " + s.shardIndex() + " did not answer within " + LOOP_TASK_MILLIS + " ms");
        }
    }
}
