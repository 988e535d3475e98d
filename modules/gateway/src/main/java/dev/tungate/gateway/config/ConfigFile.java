package dev.tungate.gateway.config;

import dev.tungate.gateway.cli.Cidr;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a tungate config file into a {@link GatewayConfig}: one {@code key = value} per line,
 * {@code #} starts a comment, blank lines are ignored. Keys are the command line's long option
 * names (without {@code --}) plus settings that have no option; {@code resolver} and {@code rule}
 * may repeat and append. The shipped {@code tungate.conf} documents every key.
 *
 * <p>Values are checked as they are read; the first bad line ends the parse with a
 * {@link ConfigException} naming the file, the line, what is wrong and what was expected.
 * Cross-field checks (the gateway inside the prefix, ...) are the CLI's, after options apply.
 */
public final class ConfigFile {
    private ConfigFile() { }

    /** Applies one value to the config; throws IllegalArgumentException or picocli's TypeConversionException when bad. */
    @FunctionalInterface
    private interface Setter {
        void apply(GatewayConfig c, String value);
    }

    private static final Map<String, Setter> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("netns", (c, v) -> c.netns = v);
        KEYS.put("tun", (c, v) -> c.tunName = v);
        KEYS.put("address", (c, v) -> {
            Cidr a = Cidr.parse(v, 4);
            c.address = a.address();
            c.prefixLength = a.prefixLength();
        });
        KEYS.put("gateway", (c, v) -> c.gateway = Cidr.ipLiteral(v, 4));
        KEYS.put("dns", (c, v) -> c.dns = Cidr.ipLiteral(v, 4));
        KEYS.put("mtu", (c, v) -> c.mtu = integer(v));
        KEYS.put("ipv6", (c, v) -> {
            if (v.equals("off")) {
                c.ipv6 = false;
                return;
            }
            Cidr a = Cidr.parse(v, 6);
            c.ipv6 = true;
            c.address6 = a.address();
            c.prefixLength6 = a.prefixLength();
        });
        KEYS.put("gateway6", (c, v) -> c.gateway6 = Cidr.ipLiteral(v, 6));
        KEYS.put("dns6", (c, v) -> c.dns6 = Cidr.ipLiteral(v, 6));
        KEYS.put("disable-host-loopback", (c, v) -> c.disableHostLoopback = bool(v));
        KEYS.put("no-offload", (c, v) -> c.offload = !bool(v));
        KEYS.put("queues", (c, v) -> c.queues = integer(v));
        KEYS.put("tx-queue-len", (c, v) -> c.txQueueLen = integer(v));
        KEYS.put("msl", (c, v) -> c.mslNanos = millis(v) * 1_000_000L);
        KEYS.put("send-buffer", (c, v) -> c.sendBufferBytes = bytes(v));
        KEYS.put("receive-buffer", (c, v) -> c.receiveBufferBytes = bytes(v));
        KEYS.put("memory-limit", (c, v) -> c.memoryLimitBytes = bytes(v));
        KEYS.put("congestion-control", (c, v) -> c.congestionControl = v);
        KEYS.put("connect-timeout", (c, v) -> c.connectTimeoutMillis = millis(v));
        KEYS.put("resolver", (c, v) -> c.dnsResolvers.add(resolver(v)));
        KEYS.put("ctl", (c, v) -> c.controlSocket = Path.of(v));
        KEYS.put("udp-flow-limit", (c, v) -> c.udpFlowLimit = integer(v));
        KEYS.put("udp-idle-timeout", (c, v) -> c.udpIdleTimeoutMillis = millis(v));
        KEYS.put("rule", (c, v) -> c.rules.add(PolicyRule.parse(v)));
        KEYS.put("impair", (c, v) -> c.impairAll = impairSpec(v));
    }

    /** {@code impair.NAME = SPEC}: a named impairment profile for rules' {@code impair=NAME}. */
    private static final String IMPAIR_PREFIX = "impair.";

    private static Setter impairProfile(String name) {
        if (!name.matches("[A-Za-z0-9_-]+")) {
            return (c, v) -> {
                throw new IllegalArgumentException("impair.NAME: found '" + name + "', expected a name of letters, digits, '_', '-'");
            };
        }
        return (c, v) -> c.impairProfiles.put(name, impairSpec(v));
    }

    private static dev.tungate.gateway.emu.ImpairProfile impairSpec(String spec) {
        try {
            return dev.tungate.gateway.emu.ImpairProfile.parse(spec);
        } catch (dev.tungate.gateway.emu.SpecException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** The keys a config file may use, in documentation order. */
    public static List<String> keys() {
        return List.copyOf(KEYS.keySet());
    }

    public static void parse(Path file, GatewayConfig into) throws ConfigException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage() + "; expected a readable file of 'key = value' lines");
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String text = (hash < 0 ? line : line.substring(0, hash)).trim();
            if (text.isEmpty()) {
                continue;
            }
            int eq = text.indexOf('=');
            if (eq < 0) {
                throw new ConfigException(file, i + 1, "expected 'key = value', got '" + text + "'");
            }
            String key = text.substring(0, eq).trim();
            String value = text.substring(eq + 1).trim();
            Setter s = key.startsWith(IMPAIR_PREFIX) ? impairProfile(key.substring(IMPAIR_PREFIX.length())) : KEYS.get(key);
            if (s == null) {
                throw new ConfigException(file, i + 1, "unknown key '" + key + "'; expected one of " + String.join(", ", KEYS.keySet()));
            }
            if (value.isEmpty()) {
                throw new ConfigException(file, i + 1, "no value for '" + key + "'; expected '" + key + " = <value>'");
            }
            try {
                s.apply(into, value);
            } catch (IllegalArgumentException | TypeConversionException e) {
                throw new ConfigException(file, i + 1, e.getMessage());
            }
            PolicyRule last = key.equals("rule") ? into.rules.get(into.rules.size() - 1) : null;
            if (last != null && last.impair() != null && !into.impairProfiles.containsKey(last.impair())) {
                throw new ConfigException(file, i + 1, "impair: found '" + last.impair()
                        + "', expected a profile defined above with 'impair." + last.impair() + " = SPEC'");
            }
        }
    }

    private static int integer(String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad number '" + v + "'; expected an integer");
        }
    }

    private static boolean bool(String v) {
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("bad value '" + v + "'; expected true or false");
        };
    }

    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m)");
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,9})([kKmM]?)");
    private static final Pattern RESOLVER = Pattern.compile("\\[([^\\]]+)\\]:([0-9]{1,5})|([0-9.]+):([0-9]{1,5})|([^\\[\\]]+)");

    /** {@code 500ms}, {@code 30s}, {@code 2m}. */
    private static long millis(String v) {
        Matcher m = DURATION.matcher(v);
        if (!m.matches()) {
            throw new IllegalArgumentException("bad duration '" + v + "'; expected a number with ms, s or m, e.g. 30s");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1000;
            default -> n * 60_000;
        };
    }

    /** {@code 1048576}, {@code 1024k}, {@code 4m} (powers of 1024). */
    private static int bytes(String v) {
        Matcher m = SIZE.matcher(v);
        if (!m.matches()) {
            throw new IllegalArgumentException("bad size '" + v + "'; expected bytes, or a number with k or m, e.g. 4m");
        }
        long n = Long.parseLong(m.group(1)) << switch (m.group(2).toLowerCase(java.util.Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            default -> 0;
        };
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("size '" + v + "' is too large; expected at most 2047m");
        }
        return (int) n;
    }

    /** {@code 127.0.0.53}, {@code 127.0.0.1:5353}, {@code ::1}, {@code [::1]:5353}; port 53 when omitted. */
    private static InetSocketAddress resolver(String v) {
        Matcher m = RESOLVER.matcher(v);
        if (m.matches()) {
            String host = m.group(1) != null ? m.group(1) : m.group(3) != null ? m.group(3) : m.group(5);
            String port = m.group(2) != null ? m.group(2) : m.group(4);
            int p = port == null ? 53 : Integer.parseInt(port);
            if (p >= 1 && p <= 65535) {
                InetAddress a = literal(host);
                if (a != null) {
                    return new InetSocketAddress(a, p);
                }
            }
        }
        throw new IllegalArgumentException("bad resolver '" + v + "'; expected IP or IP:PORT, e.g. 127.0.0.53 or [::1]:53");
    }

    private static InetAddress literal(String s) {
        try {
            return Cidr.ipLiteral(s, s.indexOf(':') >= 0 ? 6 : 4);
        } catch (TypeConversionException e) {
            return null;
        }
    }
}
