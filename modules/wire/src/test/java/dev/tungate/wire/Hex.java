package dev.tungate.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Literal packets for tests: hex digits, whitespace and '|' separators ignored. */
final class Hex {
    private Hex() { }

    static byte[] bytes(String hex) {
        String s = hex.replaceAll("[\\s|]", "");
        if ((s.length() & 1) != 0) {
            throw new IllegalArgumentException("odd number of hex digits");
        }
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    static ByteBuf buf(String hex) {
        return Unpooled.wrappedBuffer(bytes(hex));
    }
}
