package dev.tungate.gateway.icmp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** recvmsg(MSG_ERRQUEUE) control buffers as Linux x86_64 / aarch64 writes them (little-endian, LP64). */
@DisplayName("sock_extended_err parsing (ip(7) IP_RECVERR, ipv6(7) IPV6_RECVERR)")
class SockExtendedErrTest {
    private final SockExtendedErr e = new SockExtendedErr();

    /** One cmsghdr + sock_extended_err + sockaddr, padded to 8 bytes. */
    private static ByteBuffer cmsg(ByteBuffer b, int level, int type, int errno, int origin, int icmpType, int code, int info,
            byte[] sockaddr) {
        int len = 16 + 16 + sockaddr.length;
        b.putLong(len).putInt(level).putInt(type);
        b.putInt(errno).put((byte) origin).put((byte) icmpType).put((byte) code).put((byte) 0).putInt(info).putInt(0);
        b.put(sockaddr);
        while (b.position() % 8 != 0) {
            b.put((byte) 0);
        }
        return b;
    }

    private static byte[] sockaddrIn(int a, int b, int c, int d) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 2).putShort((short) 0)
                .put(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d}).array();
    }

    private static byte[] sockaddrIn6(byte[] addr16) {
        return ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 10).putShort((short) 0).putInt(0)
                .put(addr16).putInt(0).array();
    }

    private boolean parse(ByteBuffer b) {
        return e.parse(Arrays.copyOf(b.array(), b.position()), b.position(), ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer buffer() {
        return ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    @DisplayName("IPv4 time exceeded: origin ICMP, type 11 code 0, EHOSTUNREACH, offender the router")
    void timeExceededV4() {
        assertTrue(parse(cmsg(buffer(), 0, 11, 113, 2, 11, 0, 0, sockaddrIn(198, 18, 7, 2))));
        assertEquals(113, e.errno);
        assertEquals(SockExtendedErr.ORIGIN_ICMP, e.origin);
        assertEquals(11, e.type);
        assertEquals(0, e.code);
        assertEquals(4, e.offenderVersion);
        assertTrue(e.offenderIs(new byte[] {(byte) 198, 18, 7, 2}));
        assertFalse(e.offenderIs(new byte[] {(byte) 198, 18, 7, 6}));
    }

    @Test
    @DisplayName("IPv4 fragmentation needed: ee_info carries the next-hop MTU")
    void fragNeededV4() {
        assertTrue(parse(cmsg(buffer(), 0, 11, 90, 2, 3, 4, 1280, sockaddrIn(198, 18, 7, 2))));
        assertEquals(90, e.errno);
        assertEquals(3, e.type);
        assertEquals(4, e.code);
        assertEquals(1280, e.info);
    }

    @Test
    @DisplayName("IPv6 packet too big: origin ICMP6, type 2, MTU in ee_info, 16-byte offender")
    void packetTooBigV6() {
        byte[] router = new byte[16];
        router[0] = (byte) 0xfd;
        router[15] = 2;
        assertTrue(parse(cmsg(buffer(), 41, 25, 90, 3, 2, 0, 1280, sockaddrIn6(router))));
        assertEquals(SockExtendedErr.ORIGIN_ICMP6, e.origin);
        assertEquals(2, e.type);
        assertEquals(1280, e.info);
        assertEquals(6, e.offenderVersion);
        assertArrayEquals(router, Arrays.copyOf(e.offender, 16));
        assertTrue(e.offenderIs(router));
    }

    @Test
    @DisplayName("An AF_INET6 socket talking IPv4 (Netty's TCP default) names the router ::ffff:a.b.c.d: read as IPv4")
    void v4MappedOffender() {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = (byte) 198;
        mapped[13] = 18;
        mapped[14] = 7;
        mapped[15] = 2;
        assertTrue(parse(cmsg(buffer(), 41, 25, 113, 2, 11, 0, 0, sockaddrIn6(mapped))));
        assertEquals(4, e.offenderVersion);
        assertTrue(e.offenderIs(new byte[] {(byte) 198, 18, 7, 2}));
        assertTrue(e.offenderIs(mapped));
    }

    @Test
    @DisplayName("Other control messages before it are skipped by their aligned length")
    void skipsOtherMessages() {
        ByteBuffer b = buffer();
        b.putLong(20).putInt(1).putInt(29).putInt(7).putInt(0);   // SOL_SOCKET, 4 data bytes, padded to 24
        cmsg(b, 0, 11, 111, 2, 3, 3, 0, sockaddrIn(198, 18, 7, 6));
        assertTrue(parse(b));
        assertEquals(3, e.type);
        assertEquals(3, e.code);
        assertEquals(111, e.errno);
    }

    @Test
    @DisplayName("No IP_RECVERR message, or a cmsg_len past the buffer: nothing parsed")
    void nothing() {
        ByteBuffer b = buffer();
        b.putLong(20).putInt(1).putInt(29).putInt(7).putInt(0);
        assertFalse(parse(b));
        ByteBuffer bad = buffer();
        bad.putLong(4096).putInt(0).putInt(11).putLong(0);
        assertFalse(parse(bad));
        assertFalse(e.parse(new byte[8], 8, ByteOrder.LITTLE_ENDIAN));
    }
}
