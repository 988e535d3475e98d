package dev.tungate.gateway.ctl;

import dev.tungate.gateway.ConnectionInfo;
import dev.tungate.gateway.Gateway;
import dev.tungate.gateway.shard.Counters;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** What the control server asks of a running gateway; every call may block briefly and comes from a ctl thread. */
public interface ControlTarget {
    List<ConnectionInfo> connections();

    Counters stats();

    /** Starts writing every TUN frame to a pcap file; closing the result stops and flushes it. */
    Closeable capture(Path pcap) throws IOException;

    /** {@code impair list | set NAME SPEC | clear NAME | flow FLOW SPEC}: the answer text; a bad request or SPEC throws with one line. */
    default String impair(String args) throws Exception {
        throw new IllegalArgumentException("impair: not supported by this gateway");
    }

    /** {@code forward add SPEC | list | remove SPEC}: the answer text; a bad request, SPEC or taken port throws with one line. */
    default String forward(String args) {
        throw new IllegalArgumentException("forward: not supported by this gateway");
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.charAt(0) == '\'' && s.endsWith("'") ? s.substring(1, s.length() - 1) : s;
    }

    static ControlTarget of(Gateway gw) {
        return new ControlTarget() {
            @Override
            public List<ConnectionInfo> connections() {
                return gw.connections();
            }

            @Override
            public Counters stats() {
                return gw.stats();
            }

            @Override
            public Closeable capture(Path pcap) throws IOException {
                return gw.capture(pcap);
            }

            @Override
            public String forward(String args) {
                return gw.forwards().request(unquote(args.trim()));
            }

            @Override
            public String impair(String args) throws Exception {
                String[] f = args.trim().split("\\s+", 3);
                return switch (f[0]) {
                    case "list" -> gw.impairList();
                    case "set" -> {
                        if (f.length < 3) {
                            throw new IllegalArgumentException("impair set: found '" + args.trim() + "', expected 'set NAME SPEC'");
                        }
                        yield gw.impairSet(f[1], unquote(f[2]));
                    }
                    case "clear" -> {
                        if (f.length != 2) {
                            throw new IllegalArgumentException("impair clear: found '" + args.trim() + "', expected 'clear NAME'");
                        }
                        yield gw.impairSet(f[1], "");
                    }
                    case "flow" -> {
                        if (f.length < 2) {
                            throw new IllegalArgumentException("impair flow: found '" + args.trim() + "', expected 'flow FLOW SPEC'");
                        }
                        yield gw.impairFlow(f[1], f.length == 3 ? unquote(f[2]) : "");
                    }
                    default -> throw new IllegalArgumentException("impair: found '" + f[0] + "', expected list, set, clear or flow");
                };
            }
        };
    }
}
