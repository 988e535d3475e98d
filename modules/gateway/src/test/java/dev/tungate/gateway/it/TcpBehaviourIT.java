package dev.tungate.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/** What a client in the namespace sees: half-close, refused and unreachable destinations (DESIGN: handshake mirroring). */
@Isolated
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class TcpBehaviourIT {
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(40);
    private static Rig rig;
    private static TestHost host;

    @BeforeAll
    static void up() {
        rig = Rig.open("python3");
        host = rig.own(TestHost.create());
    }

    @AfterAll
    static void down() {
        if (rig != null) rig.close();
    }

    private static Exec.Result tcpcheck(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("python3", ItEnv.fixture("tcpcheck.py").toString()));
        cmd.addAll(List.of(args));
        return rig.ns.exec(CLIENT_TIMEOUT, cmd.toArray(String[]::new));
    }

    @Test
    @DisplayName("RFC 9293 §3.6: after the client's FIN (SHUT_WR) the server's reply still arrives")
    void halfClose() {
        int port = ItEnv.freePort();
        try (Background server = Servers.python("tcpcheck.py", "halfclose-server", "127.0.0.1", Integer.toString(port))) {
            Exec.Result r = tcpcheck("halfclose-client", Gateway.HOST, Integer.toString(port), Integer.toString(1 << 20))
                    .expectOk("half-close client");
            List<String> lines = r.out().lines().toList();
            assertEquals(2, lines.size(), "client output: " + r.out());
            // "sent N SHA" from the client, "got N SHA" as the server counted it after reading to EOF.
            assertEquals(lines.get(0).substring("sent ".length()), lines.get(1).substring("got ".length()),
                    "what the server received before EOF, as it reported it over the half-closed connection");
        }
    }

    @Test
    @DisplayName("connect() to a closed port on the host fails with ECONNREFUSED at once")
    void refused() {
        int closed = ItEnv.freePort();
        String[] r = tcpcheck("connect", Gateway.HOST, Integer.toString(closed), "10").expectOk("connect").out()
                .strip().split(" ");
        System.out.println("connect to closed port: " + String.join(" ", r) + " ms");
        assertEquals("errno ECONNREFUSED", r[0] + " " + r[1]);
        assertTrue(Integer.parseInt(r[2]) < 3000, "a refusal is answered by the upstream RST, not by a timer: "
                + r[2] + " ms");
    }

    @Test
    @DisplayName("connect() to an address nobody answers fails with EHOSTUNREACH or times out, never connects")
    void blackholed() {
        String[] r = tcpcheck("connect", host.blackhole, "80", "20").expectOk("connect").out().strip().split(" ");
        String outcome = String.join(" ", List.of(r).subList(0, r.length - 1));
        System.out.println("connect to blackhole " + host.blackhole + ": " + outcome + " after " + r[r.length - 1] + " ms");
        assertNotEquals("ok", outcome, "a connect to an address that answers nothing must not succeed");
        assertTrue(List.of("errno EHOSTUNREACH", "errno ENETUNREACH", "timeout").contains(outcome), outcome);
    }
}
