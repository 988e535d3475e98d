package dev.tungate.gateway.it;

import java.time.Duration;
import java.util.List;

/**
 * A veth pair from the root namespace into {@code peerNs}: the root end holds {@code rootAddress}/25, the
 * other end {@code peerAddress}/25, both in 198.18.0.0/15 (the benchmarking range, never routed outside).
 * Used as another test host (a second namespace whose client reaches the host's address) and as a direct
 * kernel path into a served namespace. Closing it deletes the pair.
 */
final class VethHost implements AutoCloseable {
    private static final Duration IP_TIMEOUT = Duration.ofSeconds(10);

    final String device;
    final String rootAddress;
    final String peerAddress;

    private VethHost(String device, String rootAddress, String peerAddress) {
        this.device = device;
        this.rootAddress = rootAddress;
        this.peerAddress = peerAddress;
    }

    /** {@code half} 0 or 1 picks 198.18.N.0/25 or 198.18.N.128/25, N from this JVM's PID. */
    static VethHost create(Netns peerNs, int half) {
        long pid = ProcessHandle.current().pid();
        String net = "198.18." + (pid % 250 + 1) + ".";
        int base = half * 128;
        VethHost h = new VethHost("tgfw" + pid % 100_000 + "r" + half, net + (base + 1), net + (base + 2));
        String peer = "tgfw" + pid % 100_000 + "p" + half;
        Exec.ip("link", "add", h.device, "type", "veth", "peer", "name", peer);
        try {
            Exec.ip("link", "set", peer, "netns", peerNs.name);
            Exec.ip("addr", "add", h.rootAddress + "/25", "dev", h.device);
            Exec.ip("link", "set", h.device, "up");
            Exec.ip("-n", peerNs.name, "addr", "add", h.peerAddress + "/25", "dev", peer);
            Exec.ip("-n", peerNs.name, "link", "set", peer, "up");
        } catch (RuntimeException | AssertionError e) {
            h.close();
            throw e;
        }
        return h;
    }


    @Override
    public void close() {
        Exec.run(IP_TIMEOUT, List.of("ip", "link", "del", device));
    }
}
