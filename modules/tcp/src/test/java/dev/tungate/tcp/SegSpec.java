package dev.tungate.tcp;

import java.nio.charset.StandardCharsets;

/**
 * A segment literal for tests: what the peer sends ({@link TcpHarness#send}) or what the engine
 * must emit ({@link TcpHarness#expect}). Flags always compare exactly; every other field only
 * when the literal sets it. Option setters take "absent" values too (mss(-1), ws(-1), noTs(),
 * sackPerm(false)) so a test can demand that an option is missing.
 */
final class SegSpec {
    final int flags;
    Integer seq;
    Integer ack;
    Integer wnd;
    Integer up;
    Integer ecn;
    Integer gsoSize;
    Integer len;
    byte[] data;
    Integer mss;
    Integer ws;
    Boolean sackPerm;
    Boolean ts;
    Integer tsVal;
    Integer tsEcr;
    int[] sack;

    private SegSpec(int flags) {
        this.flags = flags;
    }

    static SegSpec seg(int flags) {
        return new SegSpec(flags);
    }

    SegSpec seq(int v) { seq = v; return this; }
    SegSpec ack(int v) { ack = v; return this; }
    SegSpec wnd(int v) { wnd = v; return this; }
    SegSpec up(int v) { up = v; return this; }
    SegSpec ecn(int v) { ecn = v; return this; }
    SegSpec gso(int v) { gsoSize = v; return this; }
    /** Text length only (sending: that many bytes of a counting pattern). */
    SegSpec len(int v) { len = v; return this; }
    SegSpec data(String s) { data = s.getBytes(StandardCharsets.US_ASCII); len = data.length; return this; }
    SegSpec data(byte[] b) { data = b; len = b.length; return this; }
    SegSpec mss(int v) { mss = v; return this; }
    SegSpec ws(int v) { ws = v; return this; }
    SegSpec sackPerm(boolean v) { sackPerm = v; return this; }
    SegSpec ts(int val, int ecr) { ts = true; tsVal = val; tsEcr = ecr; return this; }
    /** Timestamps present with any values. */
    SegSpec ts() { ts = true; return this; }
    SegSpec noTs() { ts = false; return this; }
    /** SACK blocks as left, right pairs; none = no SACK blocks. */
    SegSpec sack(int... edges) { sack = edges; return this; }

    /** The text to send: {@link #data} or {@code len} bytes of the pattern (seq-independent). */
    byte[] textBytes() {
        if (data != null) {
            return data;
        }
        byte[] b = new byte[len == null ? 0 : len];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }

    static String flagNames(int flags) {
        StringBuilder sb = new StringBuilder();
        String[] names = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
        for (int i = 0; i < 8; i++) {
            if ((flags & (1 << i)) != 0) {
                sb.append(sb.length() == 0 ? "" : "|").append(names[i]);
            }
        }
        return sb.length() == 0 ? "none" : sb.toString();
    }

    @Override
    public String toString() {
        return "seg(" + flagNames(flags) + ")" + (seq != null ? ".seq(" + Integer.toUnsignedString(seq) + ")" : "")
                + (ack != null ? ".ack(" + Integer.toUnsignedString(ack) + ")" : "")
                + (wnd != null ? ".wnd(" + wnd + ")" : "") + (len != null ? ".len(" + len + ")" : "");
    }
}
