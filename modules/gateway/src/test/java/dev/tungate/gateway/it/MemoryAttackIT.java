package dev.tungate.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Issue 8 item 2: four connections sending tiny segments (MSS clamped to 88, TCP_NODELAY, 64-byte writes) to a
 * host-loopback server that never reads. Before, each segment pinned its ~64 KiB TUN read buffer in the upstream
 * write queue: four such connections reached the direct-memory limit and an OutOfMemoryError ended a shard's loop.
 * Now the gateway's real memory stays within {@code memory-limit}, and another flow echoes data intact meanwhile.
 */
@Isolated
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MemoryAttackIT {
    private static final long LIMIT = 128L << 20;
    /** Pool chunks are 4 MiB per arena, sampled every 10 ms: the budget may be overshot by a few chunks. */
    private static final long SLACK = 64L << 20;
    private static Rig rig;
    private static int sinkPort, echoPort;

    @BeforeAll
    static void up() throws Exception {
        Path conf = ItEnv.configFile("MemoryAttackIT", "memory-limit = 128m\n");
        rig = Rig.withOptions(List.of("--config", conf.toString()), "python3");
        rig.gw.requireTungate("memory-limit");
        sinkPort = ItEnv.freePort();
        rig.own(Servers.python("attack.py", "sink-server", "127.0.0.1", Integer.toString(sinkPort)));
        echoPort = ItEnv.freePort();
        rig.own(Servers.python("tcpcheck.py", "echo-server", "127.0.0.1", Integer.toString(echoPort)));
    }

    @AfterAll
    static void down() {
        if (rig != null) rig.close();
    }

    @Test
    @DisplayName("tiny segments to a server that never reads: memory within the limit, another flow intact")
    void tinySegmentsToANonReader() {
        long rssBefore = Stats.rss(rig.gw);
        Background attack = rig.own(rig.ns.start("tiny-writer", "python3", ItEnv.fixture("attack.py").toString(),
                "tiny-writer", Gateway.HOST, Integer.toString(sinkPort), "4", "40"));
        long peakDirect = 0, peakPinned = 0, peakRss = 0;
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < end && attack.alive()) {
            Map<String, Long> s = Stats.of(rig.gw);
            peakDirect = Math.max(peakDirect, s.getOrDefault("directMemoryUsed", 0L));
            peakPinned = Math.max(peakPinned, s.getOrDefault("tcpPinnedBytes", 0L));
            peakRss = Math.max(peakRss, Stats.rss(rig.gw));
            Gateway.sleepMillis(500);
        }
        Exec.Result echo = rig.ns.exec(Duration.ofSeconds(30), "python3", ItEnv.fixture("attack.py").toString(),
                "echo-check", Gateway.HOST, Integer.toString(echoPort), Integer.toString(4 << 20));
        Map<String, Long> s = Stats.of(rig.gw);
        System.out.printf("memory attack: peak direct %d MiB (limit %d MiB), peak pinned %d KiB, RSS %d -> peak %d MiB,"
                        + " memory drops %d, refusals %d, resets %d%n", peakDirect >> 20, LIMIT >> 20, peakPinned >> 10,
                rssBefore >> 20, peakRss >> 20, s.get("tcpMemoryDrops"), s.get("tcpMemoryRefusals"), s.get("tcpMemoryResets"));
        assertEquals("ok " + (4 << 20), echo.out().strip(), "the other flow's echo\n" + echo.err());
        assertTrue(rig.gw.alive(), "gateway died");
        assertTrue(peakDirect <= LIMIT + SLACK, "direct memory " + (peakDirect >> 20) + " MiB over the limit");
        assertTrue(peakPinned <= 4 * (8L << 20), "the four flows pin " + (peakPinned >> 10) + " KiB");
    }
}
