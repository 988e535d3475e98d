package dev.tungate.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DNS through the gateway's DNS address to a dnsmasq the test started on host loopback, named as the only resolver
 * in a config file ({@code resolver = 127.0.0.1:PORT}), so no query reaches the machine's real resolver.
 */
@Isolated
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class DnsIT {
    /** The answer dnsmasq gives for test.example. */
    private static final String ANSWER = "198.18.0.77";
    private static Rig rig;

    @BeforeAll
    static void up() {
        ItEnv.require("dnsmasq", "dig");
        int port = ItEnv.freePort();
        Background dnsmasq = Exec.start(ItEnv.log("dnsmasq"), List.of("dnsmasq", "--keep-in-foreground",
                "--no-resolv", "--no-hosts", "--conf-file=/dev/null", "--pid-file=", "--bind-interfaces",
                "--listen-address=127.0.0.1", "--port=" + port, "--address=/test.example/" + ANSWER,
                "--log-facility=-"));
        try {
            Servers.awaitListening(dnsmasq, "127.0.0.1", port); // dnsmasq answers DNS over TCP on the same port
            rig = Rig.withOptions(List.of("--config", config(port).toString()));
        } catch (RuntimeException | AssertionError e) {
            dnsmasq.close();
            throw e;
        }
        rig.own(dnsmasq);
        rig.gw.requireTungate("the resolver in the config file");
    }

    /** A tungate config naming the test's dnsmasq as the only resolver. */
    private static Path config(int port) {
        return ItEnv.configFile("DnsIT", "resolver = 127.0.0.1:" + port + "\n");
    }

    @AfterAll
    static void down() {
        if (rig != null) rig.close();
    }

    @ParameterizedTest(name = "dig {0}")
    @ValueSource(strings = {"+notcp", "+tcp"})
    @DisplayName("dig through the DNS address gets the answer of the test's dnsmasq")
    void dig(String transport) {
        Exec.Result r = rig.ns.exec(Duration.ofSeconds(30), "dig", transport, "@" + Gateway.DNS, "test.example", "A",
                "+short", "+time=2", "+tries=2").expectOk("dig " + transport);
        assertEquals(ANSWER, r.out().strip(), "answer over " + transport);
    }
}
