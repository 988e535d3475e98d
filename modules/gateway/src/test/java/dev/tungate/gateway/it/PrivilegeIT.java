package dev.tungate.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 8, item 6: a serving gateway holds no effective capability (but CAP_NET_RAW on shard loops), has no_new_privs and a seccomp filter. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PrivilegeIT {
    private static final long CAP_NET_RAW = 1L << 13;

    @Test
    @DisplayName("/proc/PID/status of a serving gateway: CapEff 0, NoNewPrivs 1, Seccomp 2 on every thread; it still serves")
    void confined() throws IOException {
        try (Rig rig = Rig.open("ping")) {
            rig.gw.requireTungate("confinement");
            String status = Files.readString(Path.of("/proc", Long.toString(rig.gw.pid()), "status"));
            System.out.println(status.lines().filter(l -> l.matches("(Uid|Cap|NoNewPrivs|Seccomp).*")).toList());
            assertEquals("0", field(status, "CapEff").replaceAll("^0+", "0").replaceAll("^0(?=.)", ""), status);
            assertEquals("1", field(status, "NoNewPrivs"));
            assertEquals("2", field(status, "Seccomp"));
            try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(rig.gw.pid()), "task"))) {
                for (Path t : tasks.toList()) {
                    String s;
                    try {
                        s = Files.readString(t.resolve("status"));
                    } catch (IOException gone) {
                        continue;
                    }
                    long eff = Long.parseUnsignedLong(field(s, "CapEff"), 16);
                    assertTrue(eff == 0 || eff == CAP_NET_RAW && field(s, "Name").startsWith("tungate-shard"), t + ": " + s);
                    assertEquals("2", field(s, "Seccomp"), t.toString());
                    assertEquals("1", field(s, "NoNewPrivs"), t.toString());
                }
            }
            rig.ns.exec(Duration.ofSeconds(20), "ping", "-c", "1", "-W", "5", Gateway.HOST).expectOk("ping through the confined gateway");
            assertEquals(0, rig.gw.ctl("stats").exit(), "ctl answers while confined");
        }
    }

    private static String field(String status, String name) {
        return status.lines().filter(l -> l.startsWith(name + ":")).findFirst().orElseThrow().substring(name.length() + 1).strip();
    }
}
