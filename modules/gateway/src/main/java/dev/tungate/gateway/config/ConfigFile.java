package dev.tungate.gateway.config;

import dev.tungate.gateway.forward.ForwardSpec;

import dev.tungate.gateway.cli.Cidr;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
 * <p>Every value is checked as it is read, ranges included ({@link Limit}); the first bad line
 * ends the parse with a {@link ConfigException} {@code FILE:LINE: key: found X, expected Y}. The
 * file must be UTF-8; a byte that is not names its line. Cross-field checks (the gateway inside
 * the prefix, ...) are the CLI's, after options apply.
 */
public final class ConfigFile {
    private ConfigFile() { }

    /** Applies one value to the config; throws {@link Expected}, IllegalArgumentException or picocli's TypeConversionException when bad. */
    @FunctionalInterface
    private interface Setter {
        void apply(GatewayConfig c, String value);
    }

    /** A key's setter and what a good value looks like (said when the setter refuses a value). */
    private record Key(Setter setter, String expected) { }

    /** A refused value, carrying what was expected instead (more precise than the key's general text). */
    private static final class Expected extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        Expected(String expected) {
            super(expected);
        }
    }

    private static final Map<String, Key> KEYS = new LinkedHashMap<>();

    private static void key(String name, String expected, Setter s) {
        KEYS.put(name, new Key(s, expected));
    }

    /** Engine names (dev.tungate.tcp.cc.CongestionControls) by accepted spelling: Linux calls its NewReno "reno". */
    private static final Map<String, String> CONGESTION_CONTROLS = Map.of("cubic", "cubic", "newreno", "newreno",
            "reno", "newreno");

    static {
        key("netns", "NAME, /run/netns/NAME, /proc/PID/ns/net or PID", (c, v) -> c.netns = v);
        key("tun", TunName.EXPECTED, (c, v) -> c.tunName = TunName.check(v));
        key("address", "a.b.c.d/n, e.g. 10.0.2.100/24", (c, v) -> {
            Cidr a = Cidr.parse(v, 4);
            c.address = a.address();
            c.prefixLength = a.prefixLength();
        });
        key("gateway", "an IPv4 address, e.g. 10.0.2.2", (c, v) -> c.gateway = Cidr.ipLiteral(v, 4));
        key("dns", "an IPv4 address, e.g. 10.0.2.3", (c, v) -> c.dns = Cidr.ipLiteral(v, 4));
        key("mtu", Limit.MTU.text, (c, v) -> c.mtu = (int) integer(v, Limit.MTU));
        key("ipv6", "x:x::x/n, e.g. fd00::100/64, or off", (c, v) -> {
            if (v.equals("off")) {
                c.ipv6 = false;
                return;
            }
            Cidr a = Cidr.parse(v, 6);
            c.ipv6 = true;
            c.address6 = a.address();
            c.prefixLength6 = a.prefixLength();
        });
        key("gateway6", "an IPv6 address, e.g. fd00::2", (c, v) -> c.gateway6 = Cidr.ipLiteral(v, 6));
        key("dns6", "an IPv6 address, e.g. fd00::3", (c, v) -> c.dns6 = Cidr.ipLiteral(v, 6));
        key("disable-host-loopback", "true or false", (c, v) -> c.disableHostLoopback = bool(v));
        key("no-offload", "true or false", (c, v) -> c.offload = !bool(v));
        key("queues", Limit.QUEUES.text, (c, v) -> c.queues = (int) integer(v, Limit.QUEUES));
        key("tx-queue-len", Limit.TX_QUEUE_LEN.text, (c, v) -> c.txQueueLen = (int) integer(v, Limit.TX_QUEUE_LEN));
        key("msl", Limit.MSL_MILLIS.text, (c, v) -> c.mslNanos = millis(v, Limit.MSL_MILLIS) * 1_000_000L);
        key("send-buffer", Limit.BUFFER_BYTES.text, (c, v) -> c.sendBufferBytes = bytes(v, Limit.BUFFER_BYTES));
        key("receive-buffer", Limit.BUFFER_BYTES.text, (c, v) -> c.receiveBufferBytes = bytes(v, Limit.BUFFER_BYTES));
        key("congestion-control", "cubic, newreno or reno", (c, v) -> {
            String engine = CONGESTION_CONTROLS.get(v.toLowerCase(Locale.ROOT));
            if (engine == null) {
                throw new Expected("cubic, newreno or reno");
            }
            c.congestionControl = engine;
        });
        key("connect-timeout", Limit.CONNECT_TIMEOUT_MILLIS.text,
                (c, v) -> c.connectTimeoutMillis = millis(v, Limit.CONNECT_TIMEOUT_MILLIS));
        key("resolver", "IP or IP:PORT, e.g. 127.0.0.53 or [::1]:53", (c, v) -> c.dnsResolvers.add(resolver(v)));
        key("ctl", ControlPath.EXPECTED, (c, v) -> c.controlSocket = ControlPath.check(v));
        key("udp-flow-limit", Limit.UDP_FLOW_LIMIT.text, (c, v) -> c.udpFlowLimit = (int) integer(v, Limit.UDP_FLOW_LIMIT));
        key("udp-idle-timeout", Limit.UDP_IDLE_MILLIS.text, (c, v) -> c.udpIdleTimeoutMillis = millis(v, Limit.UDP_IDLE_MILLIS));
        key("rule", "<CIDR>[:port] direct|reject|blackhole [impair=NAME], e.g. 198.18.0.0/15:25 reject",
                (c, v) -> c.rules.add(PolicyRule.parse(v)));
        key("memory-limit", Limit.MEMORY_BYTES.text + " (0: no limit)", (c, v) -> c.memoryLimitBytes = size(v, Limit.MEMORY_BYTES));
        key("impair", "an impairment SPEC, e.g. delay=25ms loss=1%", (c, v) -> c.impairAll = impairSpec(v));
        key("forward", ForwardSpec.EXPECTED, (c, v) -> c.forwards.add(forwardSpec(v)));
    }

    /** A SPEC's own one-line error ("KEY: found X, expected Y"), reported as it is. */
    private static final class SpecError extends IllegalArgumentException {
        SpecError(String message) {
            super(message);
        }
    }

    /** {@code impair.NAME = SPEC}: a named impairment profile for rules' {@code impair=NAME}. */
    private static final String IMPAIR_PREFIX = "impair.";

    private static Setter impairProfile(String name) {
        if (!name.matches("[A-Za-z0-9_-]+")) {
            return (c, v) -> {
                throw new SpecError("impair.NAME: found '" + name + "', expected a name of letters, digits, '_', '-'");
            };
        }
        return (c, v) -> c.impairProfiles.put(name, impairSpec(v));
    }

    private static dev.tungate.gateway.emu.ImpairProfile impairSpec(String spec) {
        try {
            return dev.tungate.gateway.emu.ImpairProfile.parse(spec);
        } catch (dev.tungate.gateway.emu.SpecException e) {
            throw new SpecError(e.getMessage());
        }
    }

    private static ForwardSpec forwardSpec(String spec) {
        try {
            return ForwardSpec.parse(spec);
        } catch (ForwardSpec.BadSpec e) {
            throw new SpecError("forward: " + e.getMessage());
        }
    }

    /** The keys a config file may use, in documentation order. */
    public static List<String> keys() {
        return List.copyOf(KEYS.keySet());
    }

    public static void parse(Path file, GatewayConfig into) throws ConfigException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage() + "; expected a readable file of 'key = value' lines");
        }
        int lineNo = 0;
        for (int from = 0; from < bytes.length; ) {
            int nl = from;
            while (nl < bytes.length && bytes[nl] != '\n') {
                nl++;
            }
            lineNo++;
            parseLine(file, lineNo, decode(file, lineNo, bytes, from, nl - from), into);
            from = nl + 1;
        }
    }

    /** One line as UTF-8, refusing (not replacing) bytes that are not. */
    private static String decode(Path file, int lineNo, byte[] bytes, int from, int len) throws ConfigException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, from, len)).toString();
        } catch (CharacterCodingException e) {
            int at = from;
            while (at < from + len && bytes[at] >= 0) {   // the first non-ASCII byte is where decoding went wrong, or before
                at++;
            }
            throw new ConfigException(file, lineNo, String.format("found byte 0x%02X at column %d, expected UTF-8 text",
                    bytes[Math.min(at, from + len - 1)] & 0xFF, at - from + 1));
        }
    }

    private static void parseLine(Path file, int lineNo, String line, GatewayConfig into) throws ConfigException {
        int hash = line.indexOf('#');
        String text = (hash < 0 ? line : line.substring(0, hash)).trim();
        if (text.isEmpty()) {
            return;
        }
        int eq = text.indexOf('=');
        if (eq < 0) {
            throw new ConfigException(file, lineNo, "found '" + text + "', expected 'key = value'");
        }
        String name = text.substring(0, eq).trim();
        String value = text.substring(eq + 1).trim();
        Key key = name.startsWith(IMPAIR_PREFIX)
                ? new Key(impairProfile(name.substring(IMPAIR_PREFIX.length())), "an impairment SPEC")
                : KEYS.get(name);
        if (key == null) {
            throw new ConfigException(file, lineNo, "unknown key '" + name + "'; expected one of " + String.join(", ", KEYS.keySet()));
        }
        if (value.isEmpty()) {
            throw new ConfigException(file, lineNo, name + ": found no value, expected " + key.expected());
        }
        try {
            key.setter().apply(into, value);
        } catch (SpecError e) {
            throw new ConfigException(file, lineNo, e.getMessage());
        } catch (Expected e) {
            throw new ConfigException(file, lineNo, name + ": found '" + value + "', expected " + e.getMessage());
        } catch (IllegalArgumentException | TypeConversionException e) {
            throw new ConfigException(file, lineNo, name + ": found '" + value + "', expected " + key.expected());
        }
        PolicyRule last = name.equals("rule") ? into.rules.get(into.rules.size() - 1) : null;
        if (last != null && last.impair() != null && !into.impairProfiles.containsKey(last.impair())) {
            throw new ConfigException(file, lineNo, "impair: found '" + last.impair()
                    + "', expected a profile defined above with 'impair." + last.impair() + " = SPEC'");
        }
    }

    private static long integer(String v, Limit limit) {
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new Expected("an integer in " + limit.text);
        }
        return inRange(n, limit);
    }

    private static long inRange(long n, Limit limit) {
        if (!limit.contains(n)) {
            throw new Expected(limit.text);
        }
        return n;
    }

    private static boolean bool(String v) {
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new Expected("true or false");
        };
    }

    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m)");
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,9})([kKmM]?)");
    private static final Pattern RESOLVER = Pattern.compile("\\[([^\\]]+)\\]:([0-9]{1,5})|([0-9.]+):([0-9]{1,5})|([^\\[\\]]+)");

    /** {@code 500ms}, {@code 30s}, {@code 2m}, within {@code limit} (in milliseconds). */
    private static long millis(String v, Limit limit) {
        Matcher m = DURATION.matcher(v);
        if (!m.matches()) {
            throw new Expected("a duration with ms, s or m in " + limit.text + ", e.g. 30s");
        }
        long n = Long.parseLong(m.group(1));
        return inRange(switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1000;
            default -> n * 60_000;
        }, limit);
    }

    /** {@code 1048576}, {@code 1024k}, {@code 4m} (powers of 1024), within {@code limit}. */
    private static int bytes(String v, Limit limit) {
        return (int) size(v, limit);
    }

    /** {@link #bytes} for sizes past 2 GiB. */
    private static long size(String v, Limit limit) {
        Matcher m = SIZE.matcher(v);
        if (!m.matches()) {
            throw new Expected("a size in bytes, or with k or m, in " + limit.text + ", e.g. 4m");
        }
        long n = Long.parseLong(m.group(1)) << switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            default -> 0;
        };
        return inRange(n, limit);
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
        throw new Expected("IP or IP:PORT, e.g. 127.0.0.53 or [::1]:53");
    }

    private static InetAddress literal(String s) {
        try {
            return Cidr.ipLiteral(s, s.indexOf(':') >= 0 ? 6 : 4);
        } catch (TypeConversionException e) {
            return null;
        }
    }
}
