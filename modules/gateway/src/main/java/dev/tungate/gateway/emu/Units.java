package dev.tungate.gateway.emu;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SPEC values: parse with units into exact integers (ns, bit/s, bytes) and print them back in
 * their canonical form. Rates are decimal like tc's (1 kbit = 1000 bit/s), sizes binary
 * (1k = 1024 bytes, {@code reset-after=1m} = 1 MiB). Each parse throws {@link SpecException} naming the key.
 */
final class Units {
    private Units() { }

    static final String DURATION = "a duration like 25ms (ns, us, ms, s)";
    static final String PERCENT = "a percentage like 1% (0% to 100%)";
    static final String RATE = "a rate like 20mbit (bit, kbit, mbit, gbit)";
    static final String SIZE = "a size like 1m (b, k, m, g: 1k = 1024 bytes)";

    private static final Pattern NUM_UNIT = Pattern.compile("(\\d+(?:\\.\\d+)?)([a-z%]*)");

    static boolean isDuration(String v) {
        Matcher m = NUM_UNIT.matcher(v.toLowerCase(Locale.ROOT));
        return m.matches() && durationFactor(m.group(2)) > 0;
    }

    static long durationNanos(String key, String v) throws SpecException {
        Matcher m = NUM_UNIT.matcher(v.toLowerCase(Locale.ROOT));
        long f = m.matches() ? durationFactor(m.group(2)) : -1;
        if (f < 0) throw new SpecException(key, v, DURATION);
        return exact(key, v, new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(f)), DURATION);
    }

    private static long durationFactor(String unit) {
        switch (unit) {
            case "ns": return 1;
            case "us": return 1_000;
            case "ms": return 1_000_000;
            case "s": return 1_000_000_000;
            default: return -1;
        }
    }

    /** A probability in [0, 1] from "P%". */
    static double percent(String key, String v) throws SpecException {
        Matcher m = NUM_UNIT.matcher(v);
        if (!m.matches() || !m.group(2).equals("%")) throw new SpecException(key, v, PERCENT);
        BigDecimal p = new BigDecimal(m.group(1));
        if (p.compareTo(BigDecimal.valueOf(100)) > 0) throw new SpecException(key, v, PERCENT);
        return p.doubleValue() / 100.0;
    }

    static String percentText(String v) {
        return new BigDecimal(v.substring(0, v.length() - 1)).stripTrailingZeros().toPlainString() + "%";
    }

    static long rateBits(String key, String v) throws SpecException {
        Matcher m = NUM_UNIT.matcher(v.toLowerCase(Locale.ROOT));
        long f = -1;
        if (m.matches()) {
            switch (m.group(2)) {
                case "bit": f = 1; break;
                case "kbit": f = 1_000; break;
                case "mbit": f = 1_000_000; break;
                case "gbit": f = 1_000_000_000; break;
                default: break;
            }
        }
        if (f < 0) throw new SpecException(key, v, RATE);
        long bits = exact(key, v, new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(f)), RATE);
        if (bits <= 0) throw new SpecException(key, v, "a rate above 0 bit/s");
        return bits;
    }

    static long sizeBytes(String key, String v) throws SpecException {
        Matcher m = NUM_UNIT.matcher(v.toLowerCase(Locale.ROOT));
        long f = -1;
        if (m.matches()) {
            switch (m.group(2)) {
                case "": case "b": f = 1; break;
                case "k": f = 1L << 10; break;
                case "m": f = 1L << 20; break;
                case "g": f = 1L << 30; break;
                default: break;
            }
        }
        if (f < 0) throw new SpecException(key, v, SIZE);
        return exact(key, v, new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(f)), SIZE);
    }

    static long integer(String key, String v, long min, long max) throws SpecException {
        try {
            long n = Long.parseLong(v);
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // falls through to the one-line error
        }
        throw new SpecException(key, v, "an integer from " + min + " to " + max);
    }

    private static long exact(String key, String v, BigDecimal x, String expected) throws SpecException {
        try {
            return x.longValueExact();
        } catch (ArithmeticException e) {
            throw new SpecException(key, v, expected + " that is a whole number of its base unit");
        }
    }

    static String nanosText(long ns) {
        if (ns != 0 && ns % 1_000_000_000 == 0) return ns / 1_000_000_000 + "s";
        if (ns % 1_000_000 == 0) return ns / 1_000_000 + "ms";
        if (ns % 1_000 == 0) return ns / 1_000 + "us";
        return ns + "ns";
    }

    static String rateText(long bits) {
        if (bits % 1_000_000_000 == 0) return bits / 1_000_000_000 + "gbit";
        if (bits % 1_000_000 == 0) return bits / 1_000_000 + "mbit";
        if (bits % 1_000 == 0) return bits / 1_000 + "kbit";
        return bits + "bit";
    }

    static String sizeText(long bytes) {
        if (bytes != 0 && bytes % (1L << 30) == 0) return (bytes >> 30) + "g";
        if (bytes != 0 && bytes % (1L << 20) == 0) return (bytes >> 20) + "m";
        if (bytes != 0 && bytes % (1L << 10) == 0) return (bytes >> 10) + "k";
        return bytes + "b";
    }
}
