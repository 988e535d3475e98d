package dev.tungate.gateway.emu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A Mahimahi packet-delivery trace (mm-link's format): one line per delivery opportunity of one
 * 1500-byte packet, the line being its time in ms since the start, non-decreasing; several lines
 * may share a ms. The schedule repeats with a period of the last line's time (Mahimahi wraps the
 * same way: the next round starts at the last timestamp). Published cellular traces load unchanged.
 */
public record Trace(String path, long[] opportunitiesMs) {
    /** Bytes one opportunity carries (Mahimahi's PACKET_SIZE counts a 4-byte TUN header; we count IP bytes). */
    public static final int OPPORTUNITY_BYTES = 1500;

    public static Trace load(String path) throws SpecException {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of(path), StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            throw new SpecException("trace", path, "a readable Mahimahi trace file (" + e.getClass().getSimpleName() + ")");
        }
        long[] ms = new long[lines.size()];
        int n = 0;
        for (int i = 0; i < lines.size(); i++) {
            String s = lines.get(i).trim();
            if (s.isEmpty()) continue;
            long v;
            try {
                v = Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new SpecException("trace", path + ":" + (i + 1) + ": " + s, "a time in ms per line");
            }
            if (v < 0 || (n > 0 && v < ms[n - 1])) {
                throw new SpecException("trace", path + ":" + (i + 1) + ": " + s, "non-decreasing ms times");
            }
            ms[n++] = v;
        }
        if (n == 0 || ms[n - 1] == 0) {
            throw new SpecException("trace", path, "at least one line with a time above 0 ms");
        }
        return new Trace(path, Arrays.copyOf(ms, n));
    }

    /** Period of the schedule in ms (the last line). */
    public long periodMs() {
        return opportunitiesMs[opportunitiesMs.length - 1];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Trace t && t.path.equals(path) && Arrays.equals(t.opportunitiesMs, opportunitiesMs);
    }

    @Override
    public int hashCode() {
        return path.hashCode() * 31 + Arrays.hashCode(opportunitiesMs);
    }

    @Override
    public String toString() {
        return path;
    }
}
