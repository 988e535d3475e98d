package dev.tungate.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 8, item 8: {@code ip netns del} under a running gateway. The namespace lives on while the gateway's TUN fds
 * hold it, so no queue fails; the gateway must notice the name is gone, say so in one line, exit 1 and remove its
 * control socket, so that a gateway for a re-created namespace of the same name can start.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class NamespaceDeletedIT {
    /** The check runs every 0.5 s; a few seconds of headroom for a loaded machine. */
    private static final Duration NOTICE_CAP = Duration.ofSeconds(10);

    @Test
    @DisplayName("ip netns del: exit 1 with one line naming the namespace, socket removed, the name usable again")
    void deletedNamespace() {
        ItEnv.require();
        Netns ns = Netns.create();
        Path sock = Path.of("/run/tungate", ns.name + ".sock");
        try (Gateway gw = Gateway.start(ns)) {
            gw.requireTungate("noticing a deleted namespace");
            assertTrue(Files.exists(sock), "control socket " + sock);
            long t0 = System.nanoTime();
            Exec.run(Duration.ofSeconds(10), List.of("ip", "netns", "del", ns.name)).expectOk("ip netns del " + ns.name);
            int exit = gw.waitFor(NOTICE_CAP);
            System.out.printf("ip netns del under a running gateway: exit %d after %d ms%n", exit,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            assertEquals(1, exit, "exit status (-1: still running after " + NOTICE_CAP + ")\n" + Exec.tail(gw.log()));
            List<String> said = gw.log().lines().filter(l -> l.contains(" ERROR ") && l.contains("network namespace /run/netns/" + ns.name
                    + " was deleted while served")).toList();
            assertEquals(1, said.size(), "one line saying why:\n" + Exec.tail(gw.log()));
            assertFalse(Files.exists(sock), "control socket left behind");
        }
        try (Netns again = Netns.create(ns.name); Gateway gw = Gateway.start(again)) {
            assertTrue(gw.alive());
            Exec.Result stats = gw.ctl("stats");
            assertEquals(0, stats.exit(), stats.toString());
        }
    }
}
