package dev.tungate.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/** 100 MB each way through the gateway between curl in the namespace and servers on host loopback, checked by hash. */
@Isolated
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class HttpTransferIT {
    private static final long SIZE = 100L << 20;
    private static final Duration TRANSFER_TIMEOUT = Duration.ofMinutes(3);
    private static Rig rig;
    private static Blob blob;

    @BeforeAll
    static void up() {
        rig = Rig.open("nginx", "curl", "python3", "sha256sum");
        blob = rig.own(Blob.create(ItEnv.tempDir("www-"), "blob.bin", SIZE, 42));
    }

    @AfterAll
    static void down() {
        if (rig != null) rig.close();
    }

    @Test
    @DisplayName("curl GETs 100 MB from nginx on host loopback, byte-identical")
    void get() {
        int port = ItEnv.freePort();
        try (Background nginx = Servers.nginx(blob.path().getParent(), port)) {
            Exec.Result r = rig.ns.sh(TRANSFER_TIMEOUT, "curl -sS --fail http://"
                    + Gateway.HOST + ":" + port + "/blob.bin | sha256sum").expectOk("curl GET");
            System.out.printf("GET %d MB in %d ms%n", SIZE >> 20, r.took().toMillis());
            assertEquals(blob.sha256(), r.out().split(" ")[0], "sha256 of the downloaded body");
        }
    }

    @Test
    @DisplayName("curl POSTs 100 MB to an upload sink on host loopback, byte-identical")
    void post() {
        int port = ItEnv.freePort();
        try (Background sink = Servers.python("upload_sink.py", "127.0.0.1", Integer.toString(port))) {
            Exec.Result r = rig.ns.exec(TRANSFER_TIMEOUT, "curl", "-sS", "--fail", "-H", "Expect:",
                    "-H", "Content-Type: application/octet-stream", "--data-binary", "@" + blob.path(),
                    "http://" + Gateway.HOST + ":" + port + "/").expectOk("curl POST");
            System.out.printf("POST %d MB in %d ms%n", SIZE >> 20, r.took().toMillis());
            assertEquals(blob.sha256() + " " + SIZE, r.out().strip(), "sha256 and length the sink received");
        }
    }
}
