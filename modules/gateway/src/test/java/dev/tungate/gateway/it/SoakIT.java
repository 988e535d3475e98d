package dev.tungate.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Soak (issue 8): rounds of every kind of traffic through 5 % loss, 1 % duplication and 25 % reordering on the
 * namespace side (both directions, TCP, UDP and ICMP): a bulk download and upload, many short connections, UDP
 * datagrams to an echo server and ICMP echoes to a test host. Every TCP byte must be hash-identical, every datagram
 * that comes back must be intact; afterwards heap, direct memory and fds must be back to the baseline taken after
 * one warm-up round.
 *
 * <p>Duration: {@code -Dsoak.duration=150s} by default (the CI size, about 2.5 minutes of rounds plus a minute
 * of set-up and drain); {@code -Dsoak.duration=10m} and {@code -Dsoak.duration=1h} for the long runs (see
 * docs/FUZZING.md, "Soak").
 */
@Isolated
@Tag("reliability")
@Timeout(value = 80, unit = TimeUnit.MINUTES)
class SoakIT {
    private static final double LOSS = 0.05, DUPLICATE = 0.01, REORDER = 0.25;
    private static final long BLOB_SIZE = 8L << 20;
    private static final int SHORT_CONNECTIONS = 50, DATAGRAMS = 300, ECHOES = 100;
    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);
    /** Heap after a full GC may differ by class loading and caches; a leak per round would exceed this within minutes. */
    private static final long HEAP_SLACK_KIB = 16 << 10;
    /** Netty's pool keeps chunks (4 MiB each, per arena) once made; a leak of the 8 MiB transfers exceeds this fast. */
    private static final long DIRECT_SLACK_KIB = 64 << 10;
    private static final int FD_SLACK = 8;
    private static final Pattern DGRAM = Pattern.compile("sent=(\\d+) ok=(\\d+) corrupt=(\\d+) bytes=(\\d+)");

    private static Rig rig;
    private static TestHost host;
    private static Blob blob;
    private static int webPort, sinkPort, echoPort, udpPort;
    private long tcpBytes, udpBytes, icmpBytes, shortConnections, rounds;

    @BeforeAll
    static void up() {
        // --no-seccomp: the heap and native-memory figures come from jcmd, whose attach the filter refuses.
        rig = Rig.withEnv(Map.of("TUNGATE_JAVA_OPTS", ProcessMemory.NMT_OPTION),
                List.of("--mtu", "1500", "--no-seccomp", "--config", config().toString()), "nginx", "curl", "python3", "iptables", "socat", "ss");
        host = rig.own(TestHost.create());
        blob = rig.own(Blob.create(ItEnv.tempDir("www-soak-"), "soak.bin", BLOB_SIZE, 8));
        webPort = ItEnv.freePort();
        sinkPort = ItEnv.freePort();
        echoPort = ItEnv.freePort();
        udpPort = ItEnv.freePort();
        rig.own(Servers.nginx(blob.path().getParent(), webPort));
        rig.own(Servers.python("upload_sink.py", "127.0.0.1", Integer.toString(sinkPort)));
        rig.own(Servers.python("tcpcheck.py", "echo-server", "127.0.0.1", Integer.toString(echoPort)));
        Servers.awaitUdpBound(rig.own(Exec.start(ItEnv.log("soak-udp-echo"), List.of("socat",
                "UDP4-RECVFROM:" + udpPort + ",bind=127.0.0.1,fork", "PIPE"))), udpPort);
    }

    /** TIME-WAIT of 2 x 3 s, so the short connections leave the table within the drain. */
    private static Path config() {
        return ItEnv.configFile("SoakIT", "msl = 3s\n");
    }

    @AfterAll
    static void down() {
        if (rig != null) rig.close();
    }

    static Duration duration() {
        String s = System.getProperty("soak.duration", "150s").strip().toLowerCase();
        long n = Long.parseLong(s.replaceAll("[a-z]+$", ""));
        return s.endsWith("h") ? Duration.ofHours(n) : s.endsWith("m") ? Duration.ofMinutes(n) : Duration.ofSeconds(n);
    }

    @Test
    @DisplayName("Bulk, short connections, UDP and ping through loss, duplication and reordering: bytes intact, memory and fds back")
    void soak() {
        Duration length = duration();
        Impairment imp = rig.own(Impairment.apply(rig.ns, 20261205, LOSS, DUPLICATE, REORDER, "tcp", "udp", "icmp"));
        System.out.println("soak: " + length + ", impairment: " + imp.description);
        round();                                            // warm-up: pools, classes, first-use fds
        awaitDrained();
        ProcessMemory before = ProcessMemory.of(rig.gw);
        System.out.println("baseline: " + before);
        tcpBytes = udpBytes = icmpBytes = shortConnections = rounds = 0;

        long t0 = System.nanoTime();
        long deadline = t0 + length.toNanos();
        ProcessMemory peak = before;
        while (System.nanoTime() < deadline) {
            round();
            rounds++;
            if (rounds % 5 == 0) {
                ProcessMemory m = ProcessMemory.of(rig.gw);
                System.out.printf("after %d rounds (%d s): %s%n", rounds, (System.nanoTime() - t0) / 1_000_000_000L, m);
                peak = m.rssKiB() > peak.rssKiB() ? m : peak;
            }
        }
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        imp.close();
        System.out.printf("soak: %d rounds in %d s; TCP %d bytes hash-identical (%d MiB), %d short connections, "
                + "UDP %d bytes and ICMP %d bytes intact; impairer: %s%n", rounds, seconds, tcpBytes, tcpBytes >> 20,
                shortConnections, udpBytes, icmpBytes, imp.stats());
        assertTrue(imp.acted(), "the impairer lost, duplicated and reordered packets: " + imp.stats());

        awaitDrained();
        ProcessMemory after = ProcessMemory.of(rig.gw);
        System.out.println("after: " + after + "; peak RSS seen " + peak.rssKiB() + " KiB");
        assertTrue(after.fds() <= before.fds() + FD_SLACK, "fds: " + before + " -> " + after);
        assertTrue(after.heapUsedKiB() <= before.heapUsedKiB() + HEAP_SLACK_KIB, "heap: " + before + " -> " + after);
        assertTrue(after.directKiB() <= before.directKiB() + DIRECT_SLACK_KIB, "direct: " + before + " -> " + after);
    }

    /** One of each: download, upload, short connections, UDP, ICMP; fails on the first byte out of place. */
    private void round() {
        Exec.Result down = rig.ns.sh(STEP_TIMEOUT, "curl -sS --fail http://" + Gateway.HOST + ":" + webPort
                + "/soak.bin | sha256sum").expectOk("soak GET");
        assertEquals(blob.sha256(), down.out().split(" ")[0], "sha256 of the download");
        Exec.Result up = rig.ns.exec(STEP_TIMEOUT, "curl", "-sS", "--fail", "-H", "Expect:", "--data-binary",
                "@" + blob.path(), "http://" + Gateway.HOST + ":" + sinkPort + "/").expectOk("soak POST");
        assertEquals(blob.sha256() + " " + BLOB_SIZE, up.out().strip(), "sha256 and length of the upload");
        tcpBytes += 2 * BLOB_SIZE;

        Exec.Result many = rig.ns.exec(STEP_TIMEOUT, "python3", ItEnv.fixture("tcpcheck.py").toString(), "many-client",
                Gateway.HOST, Integer.toString(echoPort), Integer.toString(SHORT_CONNECTIONS), "120");
        assertEquals("ok " + SHORT_CONNECTIONS, many.out().strip(), "short connections: " + many.out());
        shortConnections += SHORT_CONNECTIONS;

        udpBytes += datagrams(rig.ns.exec(STEP_TIMEOUT, "python3", ItEnv.fixture("soak_dgram.py").toString(), "udp",
                Gateway.HOST, Integer.toString(udpPort), Integer.toString(DATAGRAMS)), "UDP");
        icmpBytes += datagrams(rig.ns.exec(STEP_TIMEOUT, "python3", ItEnv.fixture("soak_dgram.py").toString(), "icmp",
                host.address, Integer.toString(ECHOES)), "ICMP");
    }

    /**
     * Checks one soak_dgram.py run: nothing corrupt, and most came back (each way loses 5 %, so about 90 % return;
     * below half means the gateway lost them, not the impairer). Returns the intact bytes.
     */
    private static long datagrams(Exec.Result r, String what) {
        Matcher m = DGRAM.matcher(r.out());
        assertTrue(m.find(), what + ": " + r.out());
        long sent = Long.parseLong(m.group(1)), ok = Long.parseLong(m.group(2));
        assertEquals(0, Long.parseLong(m.group(3)), what + " replies corrupt: " + r.out());
        assertTrue(ok * 2 >= sent, what + ": too few came back: " + r.out());
        return Long.parseLong(m.group(4));
    }

    /** Waits until `tungate ctl conns` lists no connection (TIME-WAIT included), so fds are counted at rest. */
    private static void awaitDrained() {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Exec.Result conns = rig.gw.ctl("conns");
            if (conns.exit() == 0 && conns.out().lines().noneMatch(l -> l.contains(":" + echoPort) || l.contains(":" + webPort)
                    || l.contains(":" + sinkPort))) {
                return;
            }
            Gateway.sleepMillis(250);
        }
        System.out.println("connections still listed after " + DRAIN_TIMEOUT + ":\n" + rig.gw.ctl("conns").out());
    }
}
