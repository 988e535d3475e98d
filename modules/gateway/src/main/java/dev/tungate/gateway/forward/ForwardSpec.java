package dev.tungate.gateway.forward;

import dev.tungate.gateway.cli.Cidr;
import dev.tungate.gateway.config.AddressText;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.TypeConversionException;

/**
 * One {@code --forward} / {@code forward =} value: {@code tcp|udp:[HOSTADDR:]HOSTPORT:[NSADDR:]NSPORT},
 * each port optionally a range {@code LO-HI} (host and namespace ranges of the same length, paired in
 * order, as pasta's {@code -t 8000-8010:8000-8010}). IPv6 addresses in brackets ({@code tcp:[::1]:8080:80}).
 *
 * <p>A missing HOSTADDR listens on every host address (one dual-stack socket, as {@code pasta -t} and
 * {@code docker -p} do); a missing NSADDR is the namespace's own address of the client's family.
 * Immutable; {@link #toString()} is the canonical text that {@code ctl forward list} shows and
 * {@code ctl forward remove} matches.
 */
public record ForwardSpec(Protocol protocol, InetAddress hostAddress, int hostPort, InetAddress nsAddress, int nsPort, int count) {
    /** Ports one value may forward: a range takes one listening socket per port, each an fd. */
    public static final int MAX_PORTS = 1024;
    public static final String EXPECTED = "tcp|udp:[HOSTADDR:]HOSTPORT:[NSADDR:]NSPORT, ports as N or LO-HI, e.g. tcp:8080:80 or tcp:[::1]:8080:80";

    public enum Protocol { TCP, UDP }

    /** A bad value: {@link #getMessage()} is "found 'X', expected Y" with X the part at fault. */
    public static final class BadSpec extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        BadSpec(String found, String expected) {
            super("found '" + found + "', expected " + expected);
        }
    }

    /** Parses one value; a {@link BadSpec} names the part at fault. Addresses are literals, never looked up. */
    public static ForwardSpec parse(String text) {
        String t = text.trim();
        int colon = t.indexOf(':');
        String proto = colon < 0 ? t : t.substring(0, colon);
        Protocol p = switch (proto) {
            case "tcp" -> Protocol.TCP;
            case "udp" -> Protocol.UDP;
            default -> throw new BadSpec(proto, "tcp or udp before the first ':' (" + EXPECTED + ")");
        };
        List<String> parts = split(t.substring(colon + 1));
        InetAddress hostAddr = null, nsAddr = null;
        String hostPort, nsPort;
        switch (parts.size()) {
            case 2 -> {
                hostPort = parts.get(0);
                nsPort = parts.get(1);
            }
            case 3 -> {
                if (isAddress(parts.get(0))) {
                    hostAddr = address(parts.get(0), "HOSTADDR");
                    hostPort = parts.get(1);
                } else {
                    hostPort = parts.get(0);
                    nsAddr = address(parts.get(1), "NSADDR");
                }
                nsPort = parts.get(2);
            }
            case 4 -> {
                hostAddr = address(parts.get(0), "HOSTADDR");
                hostPort = parts.get(1);
                nsAddr = address(parts.get(2), "NSADDR");
                nsPort = parts.get(3);
            }
            default -> throw new BadSpec(t.substring(colon + 1), parts.size() > 4
                    ? "at most 4 ':'-separated parts (an IPv6 address goes in brackets, e.g. tcp:[::1]:8080:80)" : EXPECTED);
        }
        int[] h = range(hostPort, "HOSTPORT");
        int[] n = range(nsPort, "NSPORT");
        int count = h[1] - h[0] + 1;
        if (n[1] - n[0] + 1 != count) {
            throw new BadSpec(hostPort + ":" + nsPort, "host and namespace port ranges of the same length");
        }
        if (count > MAX_PORTS) {
            throw new BadSpec(hostPort, "at most " + MAX_PORTS + " ports in one range");
        }
        if (hostAddr != null && (hostAddr.isMulticastAddress())) {
            throw new BadSpec(AddressText.of(hostAddr), "HOSTADDR a unicast address of this host");
        }
        if (nsAddr != null && (nsAddr.isLoopbackAddress() || nsAddr.isAnyLocalAddress() || nsAddr.isMulticastAddress())) {
            throw new BadSpec(AddressText.of(nsAddr), "NSADDR a unicast address the namespace receives on its TUN device"
                    + " (not loopback, unspecified or multicast)");
        }
        return new ForwardSpec(p, hostAddr, h[0], nsAddr, n[0], count);
    }

    /** Splits on ':' outside brackets; an IPv6 address must be in brackets. */
    private static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (true) {
            int end;
            if (s.startsWith("[", i)) {
                int close = s.indexOf(']', i);
                if (close < 0) {
                    throw new BadSpec(s.substring(i), "']' closing the IPv6 address");
                }
                end = close + 1;
                if (end < s.length() && s.charAt(end) != ':') {
                    throw new BadSpec(s.substring(i), "':' after the ']' of an IPv6 address");
                }
            } else {
                end = s.indexOf(':', i);
                end = end < 0 ? s.length() : end;
            }
            out.add(s.substring(i, end));
            if (end >= s.length()) {
                return out;
            }
            i = end + 1;
        }
    }

    private static boolean isAddress(String part) {
        return part.startsWith("[") || part.indexOf('.') >= 0;
    }

    private static InetAddress address(String part, String what) {
        boolean v6 = part.startsWith("[") && part.endsWith("]");
        try {
            return Cidr.ipLiteral(v6 ? part.substring(1, part.length() - 1) : part, v6 ? 6 : 4);
        } catch (TypeConversionException e) {
            throw new BadSpec(part, what + " an IPv4 address or an IPv6 address in brackets, e.g. 127.0.0.1 or [::1]");
        }
    }

    /** "N" or "LO-HI", each 1..65535, LO ≤ HI: {lo, hi}. */
    private static int[] range(String part, String what) {
        int dash = part.indexOf('-');
        int lo = port(dash < 0 ? part : part.substring(0, dash), part, what);
        int hi = dash < 0 ? lo : port(part.substring(dash + 1), part, what);
        if (hi < lo) {
            throw new BadSpec(part, what + " range LO-HI with LO <= HI");
        }
        return new int[] {lo, hi};
    }

    private static int port(String digits, String part, String what) {
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new BadSpec(part, what + " a port 1..65535 or a range LO-HI");
        }
        int p = Integer.parseInt(digits);
        if (p < 1 || p > 65535) {
            throw new BadSpec(part, what + " a port 1..65535");
        }
        return p;
    }

    /** The canonical text: {@code tcp:[HOSTADDR:]HOSTPORT:[NSADDR:]NSPORT}, ranges as LO-HI. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(protocol == Protocol.TCP ? "tcp:" : "udp:");
        if (hostAddress != null) {
            b.append(bracketed(hostAddress)).append(':');
        }
        b.append(ports(hostPort)).append(':');
        if (nsAddress != null) {
            b.append(bracketed(nsAddress)).append(':');
        }
        return b.append(ports(nsPort)).toString();
    }

    private String ports(int first) {
        return count == 1 ? Integer.toString(first) : first + "-" + (first + count - 1);
    }

    static String bracketed(InetAddress a) {
        String s = AddressText.of(a);
        return s.indexOf(':') >= 0 ? "[" + s + "]" : s;
    }
}
