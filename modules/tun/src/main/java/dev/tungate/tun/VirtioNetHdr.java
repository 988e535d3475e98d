package dev.tungate.tun;

import io.netty.buffer.ByteBuf;

/**
 * The virtio_net_hdr that precedes every frame on a TUN queue with IFF_VNET_HDR (include/uapi/linux/virtio_net.h),
 * 12 bytes long because TunDevice sets TUNSETVNETHDRSZ 12 (struct virtio_net_hdr_mrg_rxbuf: the 10-byte header plus
 * num_buffers). Fields are little-endian: tun uses the legacy "native endian" layout, and tungate runs on x86_64 and
 * aarch64 little-endian hosts.
 *
 * <pre>
 *  0        1         2            4            6              8               10            12
 *  +--------+---------+------------+------------+--------------+---------------+-------------+
 *  | flags  | gsoType |   hdrLen   |  gsoSize   |  csumStart   |  csumOffset   | numBuffers  |
 *  +--------+---------+------------+------------+--------------+---------------+-------------+
 * </pre>
 *
 * Read side: {@link #wrap} copies the fields out, so the values stay valid after the frame is released. With
 * NEEDS_CSUM the checksum at csumStart + csumOffset holds only the pseudo-header sum (the kernel left the rest to the
 * device): do not verify it. With gsoType TCPV4/TCPV6 the frame is a TSO super-segment whose payload is to be cut into
 * gsoSize-byte segments (gsoSize is the MSS).
 */
public final class VirtioNetHdr {
    public static final int LENGTH = 12;
    /** flags: the checksum from csumStart to the end is incomplete; the field at csumStart + csumOffset holds the
     *  pseudo-header sum. */
    public static final int NEEDS_CSUM = 1;
    /** flags: the checksum was verified (receive side only). */
    public static final int DATA_VALID = 2;
    public static final int GSO_NONE = 0, GSO_TCPV4 = 1, GSO_UDP = 3, GSO_TCPV6 = 4, GSO_ECN = 0x80;
    static final int OFF_FLAGS = 0, OFF_GSO_TYPE = 1, OFF_HDR_LEN = 2, OFF_GSO_SIZE = 4, OFF_CSUM_START = 6,
            OFF_CSUM_OFFSET = 8, OFF_NUM_BUFFERS = 10;

    private int flags;
    private int gsoType;
    private int hdrLen;
    private int gsoSize;
    private int csumStart;
    private int csumOffset;

    /** Reads the 12 bytes at buf[off]; the caller checked that they are there. */
    public VirtioNetHdr wrap(ByteBuf buf, int off) {
        flags = buf.getUnsignedByte(off + OFF_FLAGS);
        gsoType = buf.getUnsignedByte(off + OFF_GSO_TYPE);
        hdrLen = buf.getUnsignedShortLE(off + OFF_HDR_LEN);
        gsoSize = buf.getUnsignedShortLE(off + OFF_GSO_SIZE);
        csumStart = buf.getUnsignedShortLE(off + OFF_CSUM_START);
        csumOffset = buf.getUnsignedShortLE(off + OFF_CSUM_OFFSET);
        return this;
    }

    /** All fields zero: a complete, non-GSO frame (what a queue without offload reports). */
    public VirtioNetHdr clear() {
        flags = gsoType = hdrLen = gsoSize = csumStart = csumOffset = 0;
        return this;
    }

    /** Writes a 12-byte header at buf[off] (absolute, indices unchanged); numBuffers is 0 as tun expects on write. */
    public static void write(ByteBuf buf, int off, int flags, int gsoType, int hdrLen, int gsoSize, int csumStart,
            int csumOffset) {
        buf.setByte(off + OFF_FLAGS, flags);
        buf.setByte(off + OFF_GSO_TYPE, gsoType);
        buf.setShortLE(off + OFF_HDR_LEN, hdrLen);
        buf.setShortLE(off + OFF_GSO_SIZE, gsoSize);
        buf.setShortLE(off + OFF_CSUM_START, csumStart);
        buf.setShortLE(off + OFF_CSUM_OFFSET, csumOffset);
        buf.setShortLE(off + OFF_NUM_BUFFERS, 0);
    }

    public int flags() {
        return flags;
    }

    public boolean needsCsum() {
        return (flags & NEEDS_CSUM) != 0;
    }

    /** GSO_NONE, GSO_TCPV4 or GSO_TCPV6, possibly with GSO_ECN. */
    public int gsoType() {
        return gsoType;
    }

    /** Length of the L3+L4 headers (a hint; may be 0). */
    public int hdrLen() {
        return hdrLen;
    }

    /** The MSS to cut a GSO frame's payload into. */
    public int gsoSize() {
        return gsoSize;
    }

    /** Offset of the L4 header from the start of the IP packet, when NEEDS_CSUM. */
    public int csumStart() {
        return csumStart;
    }

    /** Offset of the checksum field from csumStart (16 for TCP), when NEEDS_CSUM. */
    public int csumOffset() {
        return csumOffset;
    }

    @Override
    public String toString() {
        return "vnet[flags=" + flags + " gso=" + gsoType + " hdrLen=" + hdrLen + " gsoSize=" + gsoSize + " csum="
                + csumStart + "+" + csumOffset + "]";
    }
}
