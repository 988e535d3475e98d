package dev.tungate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tungate.gateway.config.GatewayConfig;
import dev.tungate.tun.Netlink;
import dev.tungate.tun.NetlinkException;
import dev.tungate.tun.Netns;
import dev.tungate.tun.TunException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The gateway on a real anonymous namespace (root and /dev/net/tun; skipped without them, failing
 * instead under CI=true): the start-up warm-up leaves no trace, a deleted device completes
 * {@link Gateway#deviceLost()}, and a second gateway on a namespace that already has a default
 * route is refused as bad input naming the conflict.
 */
@Isolated
class GatewayTest {
    private static final long PID = ProcessHandle.current().pid();
    private Netns ns;

    @BeforeEach
    void namespace() {
        RootGate.requireRootAndTun();
        ns = Netns.create(null);       // anonymous: gone with its last fd, whatever happens
    }

    @AfterEach
    void cleanup() {
        if (ns != null) {
            ns.close();
        }
    }

    private GatewayConfig config(String tun) {
        GatewayConfig c = new GatewayConfig();
        c.netns = ns.path();
        c.tunName = tun;
        c.queues = 2;
        c.ipv6 = false;
        c.dnsResolvers.add(new java.net.InetSocketAddress("127.0.0.1", 53));
        return c;
    }

    private boolean linkExists(String name) {
        return ns.call(() -> {
            try (Netlink nl = Netlink.open()) {
                nl.linkIndex(name);
                return true;
            } catch (NetlinkException e) {
                return false;
            }
        });
    }

    @Test
    void warmUpRelaysItsConnectionsAndLeavesNoTrace() {
        try (Gateway gw = Gateway.start(config("tgf" + PID % 100_000 + "w"), ns, false)) {
            assertEquals(WarmUp.CONNECTIONS, gw.warmUp());
            assertTrue(gw.connections().isEmpty(), "warm-up flows are gone: " + gw.connections());
            assertEquals(0, gw.stats().tcpConnections);
            assertEquals(0, gw.stats().framesIn);
        }
    }

    @Test
    void warmUpIsSkippedWithoutHostLoopback() {
        GatewayConfig c = config("tgf" + PID % 100_000 + "x");
        c.disableHostLoopback = true;
        try (Gateway gw = Gateway.start(c, ns, false)) {
            assertEquals(0, gw.warmUp());
        }
    }

    @Test
    void deviceDeletedFromOutsideCompletesDeviceLost() throws Exception {
        String tun = "tgf" + PID % 100_000 + "a";
        try (Gateway gw = Gateway.start(config(tun), ns, false)) {
            assertFalse(gw.deviceLost().isDone());
            ns.call(() -> {
                try (Netlink nl = Netlink.open()) {
                    nl.deleteLink(nl.linkIndex(tun));
                }
                return null;
            });
            String why = gw.deviceLost().get(10, TimeUnit.SECONDS);
            assertTrue(why.startsWith("TUN device " + tun + " in " + ns.path() + " is gone"), why);
        }
    }

    @Test
    void closeIsNotADeviceLoss() {
        Gateway gw = Gateway.start(config("tgf" + PID % 100_000 + "b"), ns, false);
        gw.close();
        assertFalse(gw.deviceLost().isDone());
    }

    @Test
    void secondGatewayOnTheNamespaceNamesTheConflict() {
        String first = "tgf" + PID % 100_000 + "c";
        String second = "tgf" + PID % 100_000 + "d";
        try (Gateway gw = Gateway.start(config(first), ns, false)) {
            TunException e = assertThrows(TunException.class, () -> Gateway.start(config(second), ns, false));
            assertEquals("namespace " + ns.path() + " already has a default route (another gateway?);"
                    + " expected a namespace without one", e.getMessage());
            assertFalse(linkExists(second), "the refused gateway's device is removed");
            assertFalse(gw.deviceLost().isDone(), "the first gateway keeps serving");
        }
    }
}
