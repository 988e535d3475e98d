package dev.tungate.gateway.tcp;

import dev.tungate.tcp.Segment;

/** Text for segments in logs and in the demo. */
public final class Segments {
    private static final String[] NAMES = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
    /** Display order as tcpdump prints them: SYN, FIN, RST, PSH, ACK, URG, ECE, CWR. */
    private static final int[] ORDER = {1, 0, 2, 3, 4, 5, 6, 7};

    private Segments() { }

    /** "SYN,ACK", "FIN,ACK", "ACK", or "-" when no flag is set. */
    public static String flags(int flags) {
        StringBuilder b = new StringBuilder();
        for (int bit : ORDER) {
            if ((flags & (1 << bit)) != 0) {
                if (b.length() > 0) {
                    b.append(',');
                }
                b.append(NAMES[bit]);
            }
        }
        return b.length() == 0 ? "-" : b.toString();
    }

    public static int textLength(Segment s) {
        return s.text == null ? 0 : s.text.readableBytes();
    }
}
