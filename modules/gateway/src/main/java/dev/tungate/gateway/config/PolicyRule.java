package dev.tungate.gateway.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * One policy line, {@code rule = <CIDR>[:port] <action> [impair=NAME]}: what to do with flows to a
 * destination prefix (and port), and which impairment profile they meet. Rules are tried in file
 * order; the first that matches decides, and a destination no rule matches goes direct.
 *
 * @param network      the prefix's address, host bits cleared
 * @param prefixLength 0..32 or 0..128
 * @param port         the destination port, or {@link #ANY_PORT}
 * @param impair       the name of an {@code impair.NAME} profile, or null
 */
public record PolicyRule(InetAddress network, int prefixLength, int port, Action action, String impair) {
    public static final int ANY_PORT = -1;

    public PolicyRule(InetAddress network, int prefixLength, int port, Action action) {
        this(network, prefixLength, port, action, null);
    }

    /** The first rule matching dst:port, or null. */
    public static PolicyRule first(List<PolicyRule> rules, InetAddress dst, int port) {
        for (PolicyRule r : rules) {
            if (r.matches(dst, port)) {
                return r;
            }
        }
        return null;
    }

    /** What happens to a matching flow. */
    public enum Action {
        /** Relay to the destination (the default). */
        DIRECT,
        /** Refuse: TCP answers RST, UDP and ICMP answer ICMP administratively prohibited. */
        REJECT,
        /** Drop silently, so the client times out. */
        BLACKHOLE
    }

    /** The action of the first rule matching dst:port, or DIRECT when none does. */
    public static Action decide(List<PolicyRule> rules, InetAddress dst, int port) {
        for (PolicyRule r : rules) {
            if (r.matches(dst, port)) {
                return r.action;
            }
        }
        return Action.DIRECT;
    }

    public boolean matches(InetAddress dst, int dstPort) {
        if (port != ANY_PORT && port != dstPort) {
            return false;
        }
        byte[] a = network.getAddress();
        byte[] b = dst.getAddress();
        if (a.length != b.length) {
            return false;
        }
        int full = prefixLength >>> 3;
        for (int i = 0; i < full; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        int rest = prefixLength & 7;
        return rest == 0 || ((a[full] ^ b[full]) & (0xFF00 >>> rest)) == 0;
    }

    /**
     * Parses {@code a.b.c.d/n[:port] action} or {@code [x:y::z]/n[:port] action}. Throws
     * IllegalArgumentException with the part that is wrong and what was expected.
     */
    public static PolicyRule parse(String text) {
        String[] f = text.trim().split("\\s+");
        String impair = null;
        if (f.length == 3 && f[2].startsWith(IMPAIR)) {
            impair = f[2].substring(IMPAIR.length());
            if (!impair.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException("impair: found '" + impair + "', expected a profile name of letters, digits, '_', '-'");
            }
            f = new String[] {f[0], f[1]};
        }
        if (f.length != 2) {
            throw new IllegalArgumentException("bad rule '" + text.trim() + "'; expected <CIDR>[:port] direct|reject|blackhole");
        }
        Action action = switch (f[1]) {
            case "direct" -> Action.DIRECT;
            case "reject" -> Action.REJECT;
            case "blackhole" -> Action.BLACKHOLE;
            default -> throw new IllegalArgumentException("unknown action '" + f[1] + "'; expected direct, reject or blackhole");
        };
        String target = f[0];
        boolean v6 = target.startsWith("[");
        int portSep = v6 ? target.indexOf(':', target.indexOf(']') + 1) : target.indexOf(':');
        String cidr = portSep < 0 ? target : target.substring(0, portSep);
        int port = portSep < 0 ? ANY_PORT : port(target.substring(portSep + 1));
        int slash = cidr.indexOf('/');
        String expected = v6 ? "[x:x::x]/n" : "a.b.c.d/n";
        InetAddress addr = slash < 0 ? null : literal(v6 ? strip(cidr.substring(0, slash)) : cidr.substring(0, slash), v6);
        int max = v6 ? 128 : 32;
        int prefix = slash < 0 ? -1 : number(cidr.substring(slash + 1), max);
        if (addr == null || prefix < 0) {
            throw new IllegalArgumentException("bad CIDR '" + cidr + "'; expected " + expected);
        }
        return new PolicyRule(Addresses.of(Addresses.network(addr, prefix)), prefix, port, action, impair);
    }

    private static final String IMPAIR = "impair=";

    private static String strip(String bracketed) {
        return bracketed.endsWith("]") ? bracketed.substring(1, bracketed.length() - 1) : "";
    }

    private static int port(String s) {
        int p = number(s, 65535);
        if (p < 1) {
            throw new IllegalArgumentException("bad port '" + s + "'; expected 1..65535");
        }
        return p;
    }

    /** A decimal 0..max, or -1. */
    private static int number(String s, int max) {
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        int n = Integer.parseInt(s);
        return n <= max ? n : -1;
    }

    /** A literal of the wanted family, or null; never a name to look up. */
    private static InetAddress literal(String s, boolean v6) {
        boolean shape = v6 ? s.matches("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*") : s.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        if (!shape) {
            return null;
        }
        try {
            InetAddress a = InetAddress.getByName(s);
            return a instanceof Inet6Address == v6 ? a : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** As written in a config file. */
    @Override
    public String toString() {
        String net = network instanceof Inet6Address ? "[" + AddressText.of(network) + "]" : network.getHostAddress();
        return net + "/" + prefixLength + (port == ANY_PORT ? "" : ":" + port) + " " + action.name().toLowerCase(java.util.Locale.ROOT)
                + (impair == null ? "" : " impair=" + impair);
    }
}
