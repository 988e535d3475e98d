package dev.tungate.gateway.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a gateway needs to start: a plain object filled first from the config file
 * ({@code ConfigFile.parse}) and then from command-line options, which win. Defaults follow
 * slirp4netns for the IPv4 plan (10.0.2.0/24, gateway .2, DNS .3, guest .100) and use the same
 * host numbers in fd00::/64 for IPv6; the MTU default is slirp4netns's and pasta's 65520.
 */
public final class GatewayConfig {
    /** Target namespace: NAME, /run/netns/NAME, /proc/PID/ns/net or PID. Required by {@code run}. */
    public String netns;
    /** TUN device name inside the namespace. */
    public String tunName = "tun0";

    /** The namespace's IPv4 address and prefix length on the TUN device. */
    public InetAddress address = literal("10.0.2.100");
    public int prefixLength = 24;
    /** Default-route gateway; TCP/UDP to it reaches the host's 127.0.0.1 unless host loopback is disabled. */
    public InetAddress gateway = literal("10.0.2.2");
    /** DNS address; port 53 on it is forwarded to the host's resolver. */
    public InetAddress dns = literal("10.0.2.3");

    /** Configure IPv6 at all (address, default route, ::1 mapping). */
    public boolean ipv6 = true;
    public InetAddress address6 = literal("fd00::100");
    public int prefixLength6 = 64;
    public InetAddress gateway6 = literal("fd00::2");
    public InetAddress dns6 = literal("fd00::3");

    /** TUN MTU; the engine's MSS follows it (MTU minus IP and TCP headers, clamped to 65535 - 60). */
    public int mtu = 65520;
    /** TX queue length of the TUN device inside the namespace (deep, so bursts are not dropped). */
    public int txQueueLen = 10_000;
    /** Refuse the gateway address instead of mapping it to the host's loopback. */
    public boolean disableHostLoopback;
    /** TUN queues = event loops = shards. */
    public int queues = Math.min(Runtime.getRuntime().availableProcessors(), 4);
    /** Use IFF_VNET_HDR with TSO/checksum offload: 64 KiB super-segments both ways. */
    public boolean offload = true;

    /** TCP engine settings applied to every relayed connection. */
    public long mslNanos = 30_000_000_000L;
    public int sendBufferBytes = 1 << 20;
    public int receiveBufferBytes = 1 << 20;
    public String congestionControl = "cubic";
    /**
     * Direct memory (pooled buffers, real bytes) all flows together may hold; past it new flows are
     * refused and flows holding more than their floor have text dropped (see MemoryBudget). 0: no budget.
     */
    public long memoryLimitBytes = 1L << 30;
    /** How long an upstream connect may take before the namespace gets ICMP host unreachable. */
    public long connectTimeoutMillis = 30_000;

    /** Host resolvers for the DNS address; empty means "read /etc/resolv.conf at start". */
    public final List<InetSocketAddress> dnsResolvers = new ArrayList<>();
    /** Control socket for {@code tungate ctl}; null lets the control server pick its default. */
    public Path controlSocket;

    /** One line per setting, for the INFO log at start. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append("netns=").append(netns).append(" tun=").append(tunName)
                .append(" address=").append(AddressText.of(address)).append('/').append(prefixLength)
                .append(" gateway=").append(AddressText.of(gateway)).append(" dns=").append(AddressText.of(dns));
        if (ipv6) {
            b.append(" address6=").append(AddressText.of(address6)).append('/').append(prefixLength6)
                    .append(" gateway6=").append(AddressText.of(gateway6)).append(" dns6=").append(AddressText.of(dns6));
        } else {
            b.append(" ipv6=off");
        }
        b.append(" mtu=").append(mtu).append(" queues=").append(queues).append(" offload=").append(offload)
                .append(" hostLoopback=").append(!disableHostLoopback)
                .append(" msl=").append(mslNanos / 1_000_000).append("ms")
                .append(" sndbuf=").append(sendBufferBytes).append(" rcvbuf=").append(receiveBufferBytes)
                .append(" cc=").append(congestionControl)
                .append(" memoryLimit=").append(memoryLimitBytes >> 20).append("m")
                .append(" connectTimeout=").append(connectTimeoutMillis).append("ms")
                .append(" resolvers=").append(dnsResolvers);
        return b.toString();
    }

    private static InetAddress literal(String ip) {
        try {
            return InetAddress.getByName(ip);   // a literal: no lookup happens
        } catch (UnknownHostException e) {
            throw new AssertionError(ip, e);
        }
    }

    // services: settings of the UDP relay and the policy (written by gateway-services, read by ConfigFile).
    /** Policy lines in file order; the first matching rule decides, no match goes direct. */
    public final List<PolicyRule> rules = new ArrayList<>();
    /** UDP NAT bindings per shard before new flows are refused. */
    public int udpFlowLimit = 4096;
    /** A UDP binding idle this long is closed (flows to port 53: 10 s regardless). */
    public long udpIdleTimeoutMillis = 60_000;

    // emulation: impairment profiles (read by ConfigFile and the CLI, applied by shard/EmuStage).
    /** {@code impair.NAME = SPEC} lines, by name in file order; rules attach them with {@code impair=NAME}. */
    public final java.util.Map<String, dev.tungate.gateway.emu.ImpairProfile> impairProfiles = new java.util.LinkedHashMap<>();
    /** {@code --impair SPEC} / {@code impair = SPEC}: every flow no rule gives a profile of its own; null for none. */
    public dev.tungate.gateway.emu.ImpairProfile impairAll;

    // forward: ports of the namespace published on the host (read by ConfigFile and the CLI, bound by gateway/forward).
    /** {@code --forward SPEC} / {@code forward = SPEC} values in order. */
    public final List<dev.tungate.gateway.forward.ForwardSpec> forwards = new ArrayList<>();
}
