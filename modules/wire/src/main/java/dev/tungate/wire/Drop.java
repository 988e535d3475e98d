package dev.tungate.wire;

/**
 * Why a frame was dropped. Parsers return a verdict instead of throwing; the caller counts it
 * ({@code drops[d.ordinal()]++}) and releases the frame. {@link #NONE} means the frame is good.
 */
public enum Drop {
    NONE,
    // IP layer
    IP_TRUNCATED, IP_BAD_VERSION, IPV4_BAD_IHL, IPV4_BAD_TOTAL_LENGTH, IPV4_BAD_CHECKSUM, IPV4_FRAGMENT,
    IPV6_BAD_PAYLOAD_LENGTH, IPV6_BAD_EXTENSION_HEADER,
    /** A non-atomic IPv6 fragment (RFC 8200 §4.5); like IPV4_FRAGMENT, a verdict for the reassembler, not a loss. */
    IPV6_FRAGMENT,
    // TCP
    TCP_TRUNCATED, TCP_BAD_DATA_OFFSET, TCP_BAD_CHECKSUM, TCP_BAD_OPTION,
    // UDP
    UDP_TRUNCATED, UDP_BAD_LENGTH, UDP_BAD_CHECKSUM,
    // ICMP
    ICMP_TRUNCATED, ICMP_BAD_CHECKSUM,
    /** A protocol tungate does not relay; the gateway answers ICMP protocol unreachable. */
    UNSUPPORTED_PROTOCOL
}
