package dev.tungate.wire;

import io.netty.buffer.ByteBuf;

/**
 * TCP header in place (RFC 9293 §3.1). Valid until the next {@link #wrap}; must not escape.
 * Setters of covered fields update the checksum incrementally (RFC 1624); {@link #checksum(int)}
 * writes it raw.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * |                        Sequence Number                        |
 * |                    Acknowledgment Number                      |
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 * |       |       |R|E|G|K|H|T|N|N|                               |
 * |           Checksum            |         Urgent Pointer        |
 * |                      [Options]                                |
 * </pre>
 */
public final class TcpHeader {
    public static final int MIN_LENGTH = 20, MAX_LENGTH = 60;
    public static final int OFF_SRC_PORT = 0, OFF_DST_PORT = 2, OFF_SEQ = 4, OFF_ACK = 8, OFF_DATA_OFFSET = 12,
            OFF_FLAGS = 13, OFF_WINDOW = 14, OFF_CHECKSUM = 16, OFF_URGENT = 18;
    /** Control bits (RFC 9293 §3.1; CWR and ECE from RFC 3168 §6.1). */
    public static final int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10, URG = 0x20,
            ECE = 0x40, CWR = 0x80;
    /** Option kinds (RFC 9293 §3.2, RFC 7323, RFC 2018). */
    public static final int OPT_EOL = 0, OPT_NOP = 1, OPT_MSS = 2, OPT_WS = 3, OPT_SACK_PERMITTED = 4,
            OPT_SACK = 5, OPT_TIMESTAMPS = 8;

    private ByteBuf buf;
    private int off;
    private int len;
    private int headerLength;

    /** {@code len} is the whole segment (header + text), i.e. the IP payload length. */
    public Drop wrap(ByteBuf buf, int off, int len) {
        if (len < MIN_LENGTH) {
            return Drop.TCP_TRUNCATED;
        }
        int hlen = (buf.getUnsignedByte(off + OFF_DATA_OFFSET) >>> 4) << 2;
        if (hlen < MIN_LENGTH || hlen > len) {
            return Drop.TCP_BAD_DATA_OFFSET;
        }
        this.buf = buf;
        this.off = off;
        this.len = len;
        this.headerLength = hlen;
        return Drop.NONE;
    }

    public ByteBuf buf() { return buf; }
    public int offset() { return off; }
    /** Segment length in bytes: header plus text. */
    public int length() { return len; }
    public int srcPort() { return buf.getUnsignedShort(off + OFF_SRC_PORT); }
    public int dstPort() { return buf.getUnsignedShort(off + OFF_DST_PORT); }
    /** SEG.SEQ. */
    public int seq() { return buf.getInt(off + OFF_SEQ); }
    /** SEG.ACK, the Acknowledgment Number (meaningful when {@code has(ACK)}). */
    public int ack() { return buf.getInt(off + OFF_ACK); }
    /** Data Offset in 32-bit words. */
    public int dataOffset() { return headerLength >>> 2; }
    public int headerLength() { return headerLength; }
    /**
     * The four reserved bits after Data Offset (RFC 9293 §3.1: "must be zero in generated
     * segments and must be ignored in received segments"), so exposed and never a drop reason.
     */
    public int reserved() { return buf.getUnsignedByte(off + OFF_DATA_OFFSET) & 0x0F; }
    /** The eight control bits CWR ECE URG ACK PSH RST SYN FIN as one byte. */
    public int flags() { return buf.getUnsignedByte(off + OFF_FLAGS); }
    public boolean has(int flag) { return (flags() & flag) != 0; }
    /** SEG.WND, unscaled. */
    public int window() { return buf.getUnsignedShort(off + OFF_WINDOW); }
    public int checksum() { return buf.getUnsignedShort(off + OFF_CHECKSUM); }
    public int urgentPointer() { return buf.getUnsignedShort(off + OFF_URGENT); }
    public int optionsOffset() { return off + MIN_LENGTH; }
    public int optionsLength() { return headerLength - MIN_LENGTH; }
    public int payloadOffset() { return off + headerLength; }
    public int payloadLength() { return len - headerLength; }
    /** SEG.LEN: text plus one each for SYN and FIN (RFC 9293 §3.4). */
    public int segLen() { return payloadLength() + (flags() & SYN) / SYN + (flags() & FIN); }

    /** Checks the checksum over pseudo-header, header and text (RFC 9293 §3.1, MUST-2/MUST-3). */
    public boolean checksumOk(long pseudoHeaderSum) {
        return Checksum.verify(buf, off, len, pseudoHeaderSum);
    }

    /** {@link #checksumOk} as a verdict. */
    public Drop verify(long pseudoHeaderSum) {
        return checksumOk(pseudoHeaderSum) ? Drop.NONE : Drop.TCP_BAD_CHECKSUM;
    }

    /** Computes and writes the checksum over the whole segment. */
    public TcpHeader fillChecksum(long pseudoHeaderSum) {
        buf.setShort(off + OFF_CHECKSUM, 0);
        buf.setShort(off + OFF_CHECKSUM, Checksum.finish(Checksum.partial(buf, off, len, pseudoHeaderSum)));
        return this;
    }

    /**
     * Parses the options into {@code o} (cleared first). EOL ends the list, NOP is skipped,
     * unknown kinds are skipped by their length (RFC 9293 §3.2, MUST-6), and a length of 0 or 1
     * or one running past Data Offset makes the whole segment bad (MUST-7). Like Linux
     * tcp_parse_options(), a known kind with the wrong length is ignored, not fatal. A repeated
     * option overwrites the earlier one.
     */
    public Drop parseOptions(TcpOptions o) {
        o.clear();
        int i = off + MIN_LENGTH;
        int end = off + headerLength;
        while (i < end) {
            int kind = buf.getUnsignedByte(i);
            if (kind == OPT_EOL) {
                break;
            }
            if (kind == OPT_NOP) {
                i++;
                continue;
            }
            if (i + 1 >= end) {
                return Drop.TCP_BAD_OPTION;
            }
            int olen = buf.getUnsignedByte(i + 1);
            if (olen < 2 || i + olen > end) {
                return Drop.TCP_BAD_OPTION;
            }
            switch (kind) {
                case OPT_MSS -> {
                    if (olen == 4) {
                        o.mss = buf.getUnsignedShort(i + 2);
                    }
                }
                case OPT_WS -> {
                    if (olen == 3) {
                        o.windowScale = buf.getUnsignedByte(i + 2);
                    }
                }
                case OPT_SACK_PERMITTED -> {
                    if (olen == 2) {
                        o.sackPermitted = true;
                    }
                }
                case OPT_TIMESTAMPS -> {
                    if (olen == 10) {
                        o.hasTimestamps = true;
                        o.tsVal = buf.getInt(i + 2);
                        o.tsEcr = buf.getInt(i + 6);
                    }
                }
                case OPT_SACK -> parseSack(o, i, olen);
                default -> { }
            }
            i += olen;
        }
        return Drop.NONE;
    }

    /** RFC 2018 §3: length 2 + 8n; at most {@link TcpOptions#MAX_SACK_BLOCKS} fit in 40 bytes. */
    private void parseSack(TcpOptions o, int i, int olen) {
        int n = (olen - 2) >>> 3;
        if ((olen - 2 & 7) != 0 || n == 0 || n > TcpOptions.MAX_SACK_BLOCKS) {
            return;
        }
        for (int b = 0; b < n; b++) {
            o.sackLeft[b] = buf.getInt(i + 2 + 8 * b);
            o.sackRight[b] = buf.getInt(i + 6 + 8 * b);
        }
        o.sackBlocks = n;
    }

    public TcpHeader srcPort(int v) { return setWord(OFF_SRC_PORT, v); }
    public TcpHeader dstPort(int v) { return setWord(OFF_DST_PORT, v); }
    public TcpHeader seq(int v) { return setInt(OFF_SEQ, v); }
    public TcpHeader ack(int v) { return setInt(OFF_ACK, v); }
    public TcpHeader flags(int v) { return setWord(OFF_DATA_OFFSET, (buf.getUnsignedByte(off + OFF_DATA_OFFSET) << 8) | (v & 0xFF)); }
    public TcpHeader window(int v) { return setWord(OFF_WINDOW, v); }
    public TcpHeader urgentPointer(int v) { return setWord(OFF_URGENT, v); }
    public TcpHeader checksum(int v) { buf.setShort(off + OFF_CHECKSUM, v); return this; }

    private TcpHeader setWord(int field, int v) {
        int old = buf.getUnsignedShort(off + field);
        buf.setShort(off + field, v);
        buf.setShort(off + OFF_CHECKSUM, Checksum.update16(checksum(), old, v & 0xFFFF));
        return this;
    }

    private TcpHeader setInt(int field, int v) {
        int old = buf.getInt(off + field);
        buf.setInt(off + field, v);
        buf.setShort(off + OFF_CHECKSUM, Checksum.update32(checksum(), old, v));
        return this;
    }
}
