package dev.tungate.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** 50 MB each way through an impaired link on the namespace side: the gateway's TCP must recover, bytes intact. */
@Isolated
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ImpairedTransferIT {
    private static final long SIZE = 50L << 20;
    private static final Duration TRANSFER_TIMEOUT = Duration.ofMinutes(2);
    private static Rig rig;

    @BeforeAll
    static void up() {
        // MTU 1500: segments of an Internet path, so the impairer acts on each MSS rather than on 64 KiB frames.
        rig = Rig.withOptions(List.of("--mtu", "1500"), "nginx", "curl", "python3", "iptables", "tc");
    }

    @AfterAll
    static void down() {
        if (rig != null) rig.close();
    }

    @Test
    @DisplayName("50 MB down and 50 MB up, byte-identical, under 2% loss, 1% duplication, 25% reordering, 1 ms delay")
    void bothWaysImpaired() {
        Blob blob = rig.own(Blob.create(ItEnv.tempDir("www-imp-"), "blob50.bin", SIZE, 50));
        int webPort = ItEnv.freePort();
        int sinkPort = ItEnv.freePort();
        rig.own(Servers.nginx(blob.path().getParent(), webPort));
        rig.own(Servers.python("upload_sink.py", "127.0.0.1", Integer.toString(sinkPort)));
        Impairment imp = rig.own(Impairment.apply(rig.ns, 20261123));
        System.out.println("impairment: " + imp.description);

        Exec.Result down = rig.ns.sh(TRANSFER_TIMEOUT, "curl -sS --fail http://" + Gateway.HOST + ":" + webPort
                + "/blob50.bin | sha256sum").expectOk("impaired GET");
        Exec.Result up = rig.ns.exec(TRANSFER_TIMEOUT, "curl", "-sS", "--fail", "-H", "Expect:", "--data-binary",
                "@" + blob.path(), "http://" + Gateway.HOST + ":" + sinkPort + "/").expectOk("impaired POST");
        imp.close();
        System.out.printf("impaired GET %d ms, POST %d ms; impairer: %s%n", down.took().toMillis(),
                up.took().toMillis(), imp.stats());

        assertEquals(blob.sha256(), down.out().split(" ")[0], "sha256 of the impaired download");
        assertEquals(blob.sha256() + " " + SIZE, up.out().strip(), "sha256 and length of the impaired upload");
        assertTrue(imp.acted(), "the impairer lost, duplicated and reordered packets: " + imp.stats());
    }
}
