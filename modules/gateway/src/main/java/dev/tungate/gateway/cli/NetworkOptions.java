package dev.tungate.gateway.cli;

import dev.tungate.gateway.config.AddressText;
import dev.tungate.gateway.config.Addresses;
import dev.tungate.gateway.config.ControlPath;
import dev.tungate.gateway.config.GatewayConfig;
import dev.tungate.gateway.emu.ImpairProfile;
import dev.tungate.gateway.emu.SpecException;
import dev.tungate.gateway.forward.ForwardSpec;
import dev.tungate.gateway.config.Limit;
import dev.tungate.gateway.config.TunName;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options {@code run} and {@code exec} share. Every option is null unless given, so the
 * config file's values survive and only what the user typed overrides them.
 *
 * <p>When --address (or --ipv6) is given without --gateway/--dns, the gateway and DNS addresses
 * follow slirp4netns's plan inside that prefix: network + 2 and network + 3.
 */
public final class NetworkOptions {
    @Option(names = "--no-seccomp", description = "do not install the system call filter after set-up "
            + "(capabilities are dropped and no_new_privs set all the same)")
    boolean noSeccomp;

    @Option(names = "--tun", paramLabel = "NAME", description = "TUN device name inside the namespace (default tun0)")
    String tun;

    @Option(names = "--address", paramLabel = "CIDR", converter = Cidr.V4.class,
            description = "IPv4 address/prefix of the namespace (default 10.0.2.100/24)")
    Cidr address;

    @Option(names = "--gateway", paramLabel = "IP", converter = Cidr.Ip4.class,
            description = "IPv4 gateway; maps to the host's 127.0.0.1 (default 10.0.2.2)")
    InetAddress gateway;

    @Option(names = "--dns", paramLabel = "IP", converter = Cidr.Ip4.class,
            description = "IPv4 DNS address, forwarded to the host resolver (default 10.0.2.3)")
    InetAddress dns;

    @Option(names = "--mtu", paramLabel = "BYTES", description = "TUN MTU, 1280..65520 (default 65520)")
    Integer mtu;

    @Option(names = "--ipv6", paramLabel = "CIDR", converter = Cidr.V6.class,
            description = "IPv6 address/prefix of the namespace (default fd00::100/64)")
    Cidr ipv6;

    @Option(names = "--gateway6", paramLabel = "IP", converter = Cidr.Ip6.class,
            description = "IPv6 gateway; maps to the host's ::1 (default fd00::2)")
    InetAddress gateway6;

    @Option(names = "--dns6", paramLabel = "IP", converter = Cidr.Ip6.class,
            description = "IPv6 DNS address (default fd00::3)")
    InetAddress dns6;

    @Option(names = "--disable-host-loopback", description = "refuse the gateway address instead of mapping it to host loopback (raw 127.0.0.1, ::1 are always refused)")
    boolean disableHostLoopback;

    @Option(names = "--no-offload", description = "no TSO/checksum offload on the TUN device (one MSS per frame)")
    boolean noOffload;

    @Option(names = "--queues", paramLabel = "N", description = "TUN queues = event loops, 1..64 (default min(cores, 4))")
    Integer queues;

    @Option(names = "--ctl", paramLabel = "PATH",
            description = "control socket for 'tungate ctl' (default /run/tungate/NAME.sock, or PID.sock)")
    Path ctl;

    @Option(names = "--config", paramLabel = "FILE", description = "config file (key = value lines); options override it")
    Path config;

    @Option(names = "--impair", paramLabel = "SPEC",
            description = "impair every flow, e.g. 'delay=25ms down.rate=20mbit loss=1%% seed=7' (see README \"Emulating a bad network\")")
    String impair;

    @Option(names = "--forward", paramLabel = "SPEC", description = {"publish a namespace port on the host (repeatable): "
            + "tcp|udp:[HOSTADDR:]HOSTPORT:[NSADDR:]NSPORT, ports N or LO-HI, IPv6 in brackets, e.g. tcp:8080:80, "
            + "tcp:[::1]:8080:80, udp:5353:53, tcp:8000-8010:8000-8010. Without HOSTADDR it listens on every host address "
            + "(IPv4 and IPv6), as pasta -t and docker -p do; without NSADDR it goes to the namespace's address. "
            + "The namespace's server sees the client's real address (host loopback clients: the gateway address)."})
    java.util.List<String> forward;

    /** The config file (if any), then these options, validated. Throws UsageError naming what is wrong. */
    public GatewayConfig toConfig() {
        GatewayConfig c = new GatewayConfig();
        if (config != null) {
            ConfigLoader.load(config, c);
        }
        if (tun != null) {
            c.tunName = checked("--tun '" + tun + "'", tun, TunName.EXPECTED, TunName::check);
        }
        if (address != null) {
            c.address = address.address();
            c.prefixLength = address.prefixLength();
        }
        c.gateway = hostAddress(gateway, address, 2, c.gateway);
        c.dns = hostAddress(dns, address, 3, c.dns);
        if (ipv6 != null) {
            c.address6 = ipv6.address();
            c.prefixLength6 = ipv6.prefixLength();
        }
        c.gateway6 = hostAddress(gateway6, ipv6, 2, c.gateway6);
        c.dns6 = hostAddress(dns6, ipv6, 3, c.dns6);
        if (mtu != null) {
            c.mtu = inRange("--mtu", mtu, Limit.MTU);
        }
        if (queues != null) {
            c.queues = inRange("--queues", queues, Limit.QUEUES);
        }
        if (disableHostLoopback) {
            c.disableHostLoopback = true;
        }
        if (noOffload) {
            c.offload = false;
        }
        if (ctl != null) {
            c.controlSocket = checked("--ctl " + ctl, ctl.toString(), ControlPath.EXPECTED, ControlPath::check);
        }
        if (impair != null) {
            try {
                c.impairAll = ImpairProfile.parse(impair);
            } catch (SpecException e) {
                throw new UsageError("invalid --impair: " + e.getMessage());
            }
        }
        if (forward != null) {
            for (String f : forward) {
                try {
                    c.forwards.add(ForwardSpec.parse(f));
                } catch (ForwardSpec.BadSpec e) {
                    throw new UsageError("invalid --forward: " + e.getMessage());
                }
            }
        }
        validate(c);
        return c;
    }

    /** An option's value within its range, else a usage error naming the option as typed. */
    private static int inRange(String option, int value, Limit limit) {
        if (!limit.contains(value)) {
            throw new UsageError("invalid " + option + " " + value + ": expected " + limit.text);
        }
        return value;
    }

    /** check(value), or a usage error naming what the user typed. */
    private static <T> T checked(String typed, String value, String expected, java.util.function.Function<String, T> check) {
        try {
            return check.apply(value);
        } catch (IllegalArgumentException e) {
            throw new UsageError("invalid " + typed + ": expected " + expected);
        }
    }

    /**
     * Cross-field checks of the merged config. Single values were checked where they came from
     * (the file's line, the option typed), so an error names its source.
     */
    static void validate(GatewayConfig c) {
        checkPlan("", new Cidr(c.address, c.prefixLength), c.gateway, c.dns, Inet4Address.class);
        if (c.ipv6) {
            checkPlan("6", new Cidr(c.address6, c.prefixLength6), c.gateway6, c.dns6, Inet6Address.class);
        }
    }

    private static void checkPlan(String suffix, Cidr net, InetAddress gw, InetAddress dns, Class<?> family) {
        if (!family.isInstance(net.address()) || !family.isInstance(gw) || !family.isInstance(dns)) {
            throw new UsageError("address plan" + suffix + " mixes IPv4 and IPv6: expected one family per --address/--ipv6");
        }
        if (!net.contains(gw)) {
            throw new UsageError("--gateway" + suffix + " " + AddressText.of(gw) + " is outside " + net
                    + ": expected an address inside the namespace's prefix");
        }
        if (gw.equals(net.address()) || dns.equals(net.address()) || gw.equals(dns)) {
            throw new UsageError("address" + suffix + " " + net + ", gateway " + AddressText.of(gw) + " and DNS "
                    + AddressText.of(dns) + " must be three different addresses");
        }
    }

    /**
     * The gateway or DNS address: as given on the command line, else host {@code host} of the
     * address given on the command line, else {@code current} (from the config file or the default).
     */
    private static InetAddress hostAddress(InetAddress given, Cidr address, int host, InetAddress current) {
        if (given != null) {
            return given;
        }
        return address != null ? hostInPrefix(address, host) : current;
    }

    /** network(prefix) + host, e.g. 10.0.2.0/24 + 2 = 10.0.2.2. */
    static InetAddress hostInPrefix(Cidr c, int host) {
        byte[] a = Addresses.network(c.address(), c.prefixLength());
        a[a.length - 1] |= (byte) host;
        return Addresses.of(a);
    }
}
