package dev.tungate.gateway.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** {@code tungate ctl stats} parsed by name, and the gateway process's RSS from /proc. */
final class Stats {
    private Stats() {
    }

    static Map<String, Long> of(Gateway gw) {
        Map<String, Long> m = new HashMap<>();
        for (String line : gw.ctl("stats").expectOk("tungate ctl stats").out().lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2 && f[1].matches("-?[0-9]+")) {
                m.put(f[0], Long.parseLong(f[1]));
            }
        }
        return m;
    }

    /** VmRSS of the gateway in bytes. */
    static long rss(Gateway gw) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(gw.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }
}
