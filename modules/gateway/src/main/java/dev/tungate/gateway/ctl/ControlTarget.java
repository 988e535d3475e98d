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
        };
    }
}
