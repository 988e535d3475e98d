package dev.tungate.gateway.emu;

import java.util.Locale;

/**
 * Parses a SPEC: space-separated {@code key=value}; a key applies to both directions unless
 * prefixed {@code up.} (namespace → outside) or {@code down.} (outside → namespace); a later
 * key overrides an earlier one. {@code seed=} and {@code scope=} take no prefix. Every error is one
 * {@link SpecException} line naming the key, what was found and what was expected.
 */
final class SpecParser {
    private SpecParser() { }

    /** Every per-direction key, in the order the canonical text lists them. */
    static final String[] KEYS = {"delay", "jitter", "distribution", "correlation", "loss", "duplicate", "reorder",
        "gap", "corrupt", "rate", "overhead", "trace", "queue", "limit", "limit-bytes", "slot", "slot-packets",
        "slot-bytes", "syn-drop", "timeout", "reset-after", "limit-data", "slow-close", "slicer"};

    private static final String PCT_CORR = "P[,CORRELATION] like 1% or 1%,25%";

    /** Mutable stream values of one side. */
    private static final class StreamBuilder {
        long resetAfterBytes, resetAfterNanos, limitDataBytes, timeoutNanos, slowCloseNanos, slicerBytes, slicerDelayNanos;
        StreamImpairments.TimeoutAction timeoutAction = StreamImpairments.TimeoutAction.CLOSE;
        boolean timeoutSet;

        StreamImpairments.Side build() {
            return new StreamImpairments.Side(resetAfterBytes, resetAfterNanos, limitDataBytes, timeoutNanos,
                    timeoutAction, timeoutSet, slowCloseNanos, slicerBytes, slicerDelayNanos);
        }
    }

    static ImpairProfile parse(String spec) throws SpecException {
        if (spec == null) spec = "";
        DirectionProfile.Builder[] dir = {new DirectionProfile.Builder(), new DirectionProfile.Builder()};
        StreamBuilder[] stream = {new StreamBuilder(), new StreamBuilder()};
        String[][] canon = new String[2][KEYS.length];
        long seed = 0;
        boolean seedSet = false;
        Scope scope = Scope.FLOW;
        for (String token : spec.trim().split("\\s+")) {
            if (token.isEmpty()) continue;
            int eq = token.indexOf('=');
            if (eq <= 0) throw new SpecException(eq == 0 ? token : token, token, "key=value");
            String full = token.substring(0, eq).toLowerCase(Locale.ROOT);
            String value = token.substring(eq + 1);
            if (full.equals("seed")) {
                seed = Units.integer("seed", value, Long.MIN_VALUE, Long.MAX_VALUE);
                seedSet = true;
                continue;
            }
            if (full.equals("scope")) {
                switch (value.toLowerCase(Locale.ROOT)) {
                    case "flow": scope = Scope.FLOW; break;
                    case "rule": scope = Scope.RULE; break;
                    default: throw new SpecException("scope", value, "flow or rule");
                }
                continue;
            }
            int from = 0, to = 1;
            String key = full;
            if (full.startsWith("up.")) {
                key = full.substring(3);
                to = 0;
            } else if (full.startsWith("down.")) {
                key = full.substring(5);
                from = 1;
            }
            int k = indexOf(key);
            if (k < 0) {
                throw new SpecException(key, token, "a key: " + String.join(", ", KEYS)
                        + " (optionally prefixed up. or down.), seed, scope");
            }
            if (value.isEmpty()) throw new SpecException(key, token, "a value after '='");
            for (int side = from; side <= to; side++) {
                canon[side][k] = apply(key, value, dir[side], stream[side]);
            }
        }
        return new ImpairProfile(dir[0].build(), dir[1].build(),
                new StreamImpairments(stream[0].build(), stream[1].build()), seed, scope,
                canonical(canon, seed, seedSet, scope));
    }

    private static int indexOf(String key) {
        for (int i = 0; i < KEYS.length; i++) {
            if (KEYS[i].equals(key)) return i;
        }
        return -1;
    }

    private static String canonical(String[][] canon, long seed, boolean seedSet, Scope scope) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < KEYS.length; k++) {
            String up = canon[0][k], down = canon[1][k];
            if (up != null && up.equals(down)) {
                append(sb, KEYS[k], up);
                continue;
            }
            if (up != null) append(sb, "up." + KEYS[k], up);
            if (down != null) append(sb, "down." + KEYS[k], down);
        }
        if (scope == Scope.RULE) append(sb, "scope", "rule");
        if (seedSet) append(sb, "seed", Long.toString(seed));
        return sb.toString();
    }

    private static void append(StringBuilder sb, String key, String value) {
        if (sb.length() > 0) sb.append(' ');
        sb.append(key).append('=').append(value);
    }

    /** Sets one key on one side; returns the value's canonical text. */
    private static String apply(String key, String v, DirectionProfile.Builder b, StreamBuilder s) throws SpecException {
        switch (key) {
            case "delay": b.delayNanos = Units.durationNanos(key, v); return Units.nanosText(b.delayNanos);
            case "jitter": b.jitterNanos = Units.durationNanos(key, v); return Units.nanosText(b.jitterNanos);
            case "distribution":
                try {
                    b.distribution = Distribution.valueOf(v.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new SpecException(key, v, "uniform, normal, pareto or paretonormal");
                }
                return b.distribution.name().toLowerCase(Locale.ROOT);
            case "correlation": b.delayCorrelation = Units.percent(key, v); return Units.percentText(v);
            case "loss": return loss(key, v, b);
            case "duplicate": {
                double[] pc = percentAndCorrelation(key, v);
                b.duplicate = pc[0];
                b.duplicateCorrelation = pc[1];
                return percents(v);
            }
            case "reorder": {
                double[] pc = percentAndCorrelation(key, v);
                b.reorder = pc[0];
                b.reorderCorrelation = pc[1];
                return percents(v);
            }
            case "gap": b.gap = (int) Units.integer(key, v, 1, Integer.MAX_VALUE); return Integer.toString(b.gap);
            case "corrupt": {
                double[] pc = percentAndCorrelation(key, v);
                b.corrupt = pc[0];
                b.corruptCorrelation = pc[1];
                return percents(v);
            }
            case "rate": b.rateBitsPerSecond = Units.rateBits(key, v); return Units.rateText(b.rateBitsPerSecond);
            case "overhead":
                b.overheadBytes = (int) Units.integer(key, v, -1024, 65535);
                return Integer.toString(b.overheadBytes);
            case "trace": b.trace = Trace.load(v); return v;
            case "queue":
                switch (v.toLowerCase(Locale.ROOT)) {
                    case "droptail": b.queue = DirectionProfile.Queue.DROPTAIL; break;
                    case "codel": b.queue = DirectionProfile.Queue.CODEL; break;
                    default: throw new SpecException(key, v, "droptail or codel");
                }
                return b.queue.name().toLowerCase(Locale.ROOT);
            case "limit":
                b.limitPackets = (int) Units.integer(key, v, 1, 1 << 24);
                return Integer.toString(b.limitPackets);
            case "limit-bytes":
                b.limitBytes = Units.sizeBytes(key, v);
                if (b.limitBytes < 1) throw new SpecException(key, v, "a size above 0");
                return Units.sizeText(b.limitBytes);
            case "slot": {
                String[] p = v.split(",", -1);
                if (p.length > 2) throw new SpecException(key, v, "MIN[,MAX] durations like 10ms,20ms");
                b.slotMinNanos = Units.durationNanos(key, p[0]);
                b.slotMaxNanos = p.length == 2 ? Units.durationNanos(key, p[1]) : b.slotMinNanos;
                if (b.slotMaxNanos < b.slotMinNanos) throw new SpecException(key, v, "MIN <= MAX");
                return Units.nanosText(b.slotMinNanos)
                        + (b.slotMaxNanos != b.slotMinNanos ? "," + Units.nanosText(b.slotMaxNanos) : "");
            }
            case "slot-packets":
                b.slotPackets = (int) Units.integer(key, v, 1, Integer.MAX_VALUE);
                return Integer.toString(b.slotPackets);
            case "slot-bytes": b.slotBytes = Units.sizeBytes(key, v); return Units.sizeText(b.slotBytes);
            case "syn-drop": b.synDrop = (int) Units.integer(key, v, 0, 1 << 20); return Integer.toString(b.synDrop);
            default: return stream(key, v, s);
        }
    }

    private static String stream(String key, String v, StreamBuilder s) throws SpecException {
        switch (key) {
            case "timeout": {
                String[] p = v.split(",", -1);
                if (p.length > 2) throw new SpecException(key, v, "DURATION[,close|hold]");
                s.timeoutNanos = Units.durationNanos(key, p[0]);
                s.timeoutSet = true;
                s.timeoutAction = StreamImpairments.TimeoutAction.CLOSE;
                if (p.length == 2) {
                    switch (p[1].toLowerCase(Locale.ROOT)) {
                        case "close": break;
                        case "hold": s.timeoutAction = StreamImpairments.TimeoutAction.HOLD; break;
                        default: throw new SpecException(key, v, "DURATION[,close|hold]");
                    }
                }
                return Units.nanosText(s.timeoutNanos)
                        + (s.timeoutAction == StreamImpairments.TimeoutAction.HOLD ? ",hold" : "");
            }
            case "reset-after":
                if (Units.isDuration(v)) {
                    s.resetAfterNanos = Units.durationNanos(key, v);
                    s.resetAfterBytes = 0;
                    return Units.nanosText(s.resetAfterNanos);
                }
                try {
                    s.resetAfterBytes = Units.sizeBytes(key, v);
                } catch (SpecException e) {
                    throw new SpecException(key, v, "a size like 1m or a duration like 5s");
                }
                s.resetAfterNanos = 0;
                return Units.sizeText(s.resetAfterBytes);
            case "limit-data": s.limitDataBytes = Units.sizeBytes(key, v); return Units.sizeText(s.limitDataBytes);
            case "slow-close": s.slowCloseNanos = Units.durationNanos(key, v); return Units.nanosText(s.slowCloseNanos);
            case "slicer": {
                String[] p = v.split(",", -1);
                if (p.length > 2) throw new SpecException(key, v, "SIZE[,DELAY] like 64b,1ms");
                s.slicerBytes = Units.sizeBytes(key, p[0]);
                if (s.slicerBytes < 1) throw new SpecException(key, v, "a slice size above 0");
                s.slicerDelayNanos = p.length == 2 ? Units.durationNanos(key, p[1]) : 0;
                return Units.sizeText(s.slicerBytes) + (p.length == 2 ? "," + Units.nanosText(s.slicerDelayNanos) : "");
            }
            default: throw new IllegalStateException(key);
        }
    }

    private static String loss(String key, String v, DirectionProfile.Builder b) throws SpecException {
        String lower = v.toLowerCase(Locale.ROOT);
        if (lower.startsWith("ge:")) {
            double[] p = percents(key, v, v.substring(3), 1, 4, "ge:p[,r[,1-h[,1-k]]] like ge:1%,25%");
            b.loss = LossSpec.gilbertElliott(p[0], p.length > 1 ? p[1] : 1.0, p.length > 2 ? p[2] : 1.0,
                    p.length > 3 ? p[3] : 0.0);
            return "ge:" + percents(v.substring(3));
        }
        if (lower.startsWith("state:")) {
            double[] p = percents(key, v, v.substring(6), 1, 5, "state:p13[,p31[,p32[,p23[,p14]]]] like state:1%,30%");
            b.loss = LossSpec.fourState(p[0], p.length > 1 ? p[1] : 1.0 - p[0], p.length > 2 ? p[2] : 0.0,
                    p.length > 3 ? p[3] : 1.0, p.length > 4 ? p[4] : 0.0);
            return "state:" + percents(v.substring(6));
        }
        double[] pc = percentAndCorrelation(key, v);
        b.loss = pc[0] == 0 ? LossSpec.NONE : LossSpec.random(pc[0], pc[1]);
        return percents(v);
    }

    private static double[] percentAndCorrelation(String key, String v) throws SpecException {
        double[] p = percents(key, v, v, 1, 2, PCT_CORR);
        return new double[] {p[0], p.length > 1 ? p[1] : 0.0};
    }

    private static double[] percents(String key, String shown, String v, int min, int max, String expected)
            throws SpecException {
        String[] parts = v.split(",", -1);
        if (parts.length < min || parts.length > max) throw new SpecException(key, shown, expected);
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Units.percent(key, parts[i]);
            } catch (SpecException e) {
                throw new SpecException(key, shown, expected);
            }
        }
        return out;
    }

    /** Canonical text of a comma list of percentages already validated. */
    private static String percents(String v) {
        String[] parts = v.split(",", -1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) sb.append(',');
            sb.append(Units.percentText(parts[i]));
        }
        return sb.toString();
    }
}
