package dev.tungate.gateway.ctl;

import dev.tungate.gateway.ConnectionInfo;
import dev.tungate.gateway.config.AddressText;
import dev.tungate.gateway.shard.Counters;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Text the control socket answers with. {@code conns} reads like {@code ss -tani}: one line per
 * connection, columns aligned, sequence numbers relative to ISS/IRS as Wireshark shows them
 * (RFC 9293 §3.4: SND.UNA - ISS is what the peer has acknowledged of our stream).
 */
public final class CtlFormat {
    static final String[] CONN_COLUMNS = {
        "State", "Local Address:Port", "Peer Address:Port", "snd.una", "snd.nxt", "rcv.nxt",
        "snd.wnd", "rcv.wnd", "cwnd", "srtt(ms)", "rto(ms)", "retrans", "acked", "received"};

    private CtlFormat() { }

    public static String conns(List<ConnectionInfo> conns) {
        List<String[]> rows = new ArrayList<>();
        rows.add(CONN_COLUMNS);
        for (ConnectionInfo c : conns) {
            rows.add(new String[] {
                c.state(), address(c.local()), address(c.peer()),
                Integer.toUnsignedString(c.sndUna() - c.iss()), Integer.toUnsignedString(c.sndNxt() - c.iss()),
                Integer.toUnsignedString(c.rcvNxt() - c.irs()),
                Long.toString(c.sndWnd()), Long.toString(c.rcvWnd()), Long.toString(c.cwnd()),
                millis(c.srttMicros()), millis(c.rtoMicros()),
                Long.toString(c.retransmits()), Long.toString(c.bytesAcked()), Long.toString(c.bytesReceived())});
        }
        return table(rows, 3);
    }

    /** Every counter as {@code name value}, drop reasons as {@code drop.REASON} (only those that happened). */
    public static String stats(Counters sum) {
        List<String[]> rows = new ArrayList<>();
        for (Map.Entry<String, Long> e : sum.asMap().entrySet()) {
            rows.add(new String[] {e.getKey(), Long.toString(e.getValue())});
        }
        return table(rows, 1);
    }

    /** ss's notation: IPv6 in brackets. */
    static String address(InetSocketAddress a) {
        String host = AddressText.of(a.getAddress());
        return (a.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** Microseconds as milliseconds with three decimals, e.g. 0.052. */
    static String millis(long micros) {
        return String.format(Locale.ROOT, "%d.%03d", micros / 1000, micros % 1000);
    }

    /** Left-aligns the first {@code textColumns} columns, right-aligns the numbers; two spaces between columns. */
    private static String table(List<String[]> rows, int textColumns) {
        int n = rows.isEmpty() ? 0 : rows.get(0).length;
        int[] width = new int[n];
        for (String[] r : rows) {
            for (int i = 0; i < n; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    line.append("  ");
                }
                String pad = " ".repeat(width[i] - r[i].length());
                line.append(i < textColumns ? r[i] + pad : pad + r[i]);
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        return b.toString();
    }
}
