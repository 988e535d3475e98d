package dev.tungate.gateway.it;

import java.time.Duration;
import java.util.List;

/**
 * A host for the namespace to reach in the root namespace: a veth pair, both ends up, the first end holding
 * 198.19.N.1/24 (198.18.0.0/15 is the benchmarking range, never routed outside). 198.19.N.9 is on the same link
 * but answers nothing, not even ARP: a blackhole whose connect() the host kernel fails with EHOSTUNREACH.
 */
final class TestHost implements AutoCloseable {
    private static final Duration IP_TIMEOUT = Duration.ofSeconds(10);

    final String device;
    final String address;
    final String blackhole;

    private TestHost(String device, String prefix) {
        this.device = device;
        this.address = prefix + ".1";
        this.blackhole = prefix + ".9";
    }

    static TestHost create() {
        long pid = ProcessHandle.current().pid();
        TestHost h = new TestHost("tgit" + pid % 1_000_000 + "h", "198.19." + (pid % 250 + 1));
        String peer = h.device.substring(0, h.device.length() - 1) + "p";
        Exec.ip("link", "add", h.device, "type", "veth", "peer", "name", peer);
        try {
            Exec.ip("addr", "add", h.address + "/24", "dev", h.device);
            Exec.ip("link", "set", h.device, "up");
            Exec.ip("link", "set", peer, "up");
        } catch (RuntimeException | AssertionError e) {
            h.close();
            throw e;
        }
        return h;
    }


    /** Deleting one end of a veth pair deletes both. */
    @Override
    public void close() {
        Exec.run(IP_TIMEOUT, List.of("ip", "link", "del", device));
    }
}
