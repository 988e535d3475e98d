package dev.tungate.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The gateway beyond IPv4 TCP, each against a server the test started: UDP echo on host loopback, ICMP echo to a
 * test host, and HTTP over IPv6 to host ::1 through the IPv6 gateway address. DNS has its own class, {@link DnsIT}.
 */
@Isolated
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class ServicesIT {
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);
    private static Rig rig;
    private static TestHost host;

    @BeforeAll
    static void up() {
        rig = Rig.open("socat", "curl", "nginx", "python3", "ss");
        host = rig.own(TestHost.create());
    }

    @AfterAll
    static void down() {
        if (rig != null) rig.close();
    }

    @Test
    @DisplayName("UDP datagrams to a socat echo server on host loopback come back")
    void udpEcho() {
        int port = ItEnv.freePort();
        try (Background echo = Exec.start(ItEnv.log("socat-udp-echo"),
                List.of("socat", "UDP4-RECVFROM:" + port + ",bind=127.0.0.1,fork", "PIPE"))) {
            Servers.awaitUdpBound(echo, port);
            for (int i = 0; i < 3; i++) {
                String msg = "tungate-udp-" + i;
                Exec.Result r = rig.ns.sh(CLIENT_TIMEOUT, "echo " + msg + " | socat -t 3 - UDP4:" + Gateway.HOST + ":"
                        + port).expectOk("socat client");
                assertEquals(msg, r.out().strip(), "echo of datagram " + i);
            }
        }
    }

    @Test
    @DisplayName("ICMP echo to a test host on a veth in the root namespace is answered")
    void pingTestHost() {
        Exec.Result r = rig.ns.exec(CLIENT_TIMEOUT, "python3", ItEnv.fixture("icmp_ping.py").toString(),
                host.address, "3");
        System.out.println("ping " + host.address + ":\n" + r.out());
        r.expectOk("ping " + host.address);
        assertEquals(3, r.out().lines().filter(l -> l.startsWith("reply")).count());
    }

    @Test
    @DisplayName("curl over IPv6 to the IPv6 gateway address reaches nginx on host ::1, byte-identical")
    void ipv6Curl() throws IOException {
        int port = ItEnv.freePort();
        Path www = ItEnv.tempDir("www6-");
        try (Blob blob = Blob.create(www, "six.bin", 4L << 20, 6);
             Background nginx = Servers.nginx(www, port)) {
            Exec.Result r = rig.ns.sh(CLIENT_TIMEOUT, "curl -sS --fail -g 'http://[" + Gateway.HOST6 + "]:" + port
                    + "/six.bin' | sha256sum").expectOk("curl over IPv6");
            assertEquals(blob.sha256(), r.out().split(" ")[0]);
        }
    }
}
