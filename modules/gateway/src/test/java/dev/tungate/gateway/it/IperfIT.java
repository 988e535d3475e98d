package dev.tungate.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** iperf3 for 5 s up and down, one and four streams, against a server on host loopback: completes, never stalls. */
@Isolated
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class IperfIT {
    private static final Pattern SUMMARY = Pattern.compile("gbps=(\\S+) intervals=(\\d+) stalled=(\\d+)");
    private static Rig rig;
    private static int port;

    @BeforeAll
    static void up() {
        rig = Rig.open("iperf3", "python3");
        port = ItEnv.freePort();
        Background server = rig.own(Exec.start(ItEnv.log("iperf3-server"),
                List.of("iperf3", "-s", "-B", "127.0.0.1", "-p", Integer.toString(port))));
        Servers.awaitListening(server, "127.0.0.1", port);
    }

    @AfterAll
    static void down() {
        if (rig != null) rig.close();
    }

    @ParameterizedTest(name = "{0} with {1} stream(s)")
    @CsvSource({"up, 1", "down, 1", "up, 4", "down, 4"})
    void iperf(String direction, int streams) {
        String reverse = direction.equals("down") ? " -R" : "";
        Exec.Result r = rig.ns.sh(Duration.ofSeconds(40), "iperf3 -c " + Gateway.HOST + " -p " + port + " -t 5 -P "
                + streams + reverse + " -J | python3 " + ItEnv.fixture("iperf_summary.py")).expectOk("iperf3");
        Matcher m = SUMMARY.matcher(r.out());
        assertTrue(m.find(), "iperf3 summary: " + r.out());
        System.out.printf("iperf3 %s -P %d: %s Gbit/s%n", direction, streams, m.group(1));
        assertTrue(Integer.parseInt(m.group(2)) >= 5, "iperf3 reported " + m.group(2) + " one-second intervals");
        assertEquals(0, Integer.parseInt(m.group(3)), "one-second intervals that moved no bytes (stalls)");
        assertTrue(Double.parseDouble(m.group(1)) > 0, "receiver throughput");
    }
}
