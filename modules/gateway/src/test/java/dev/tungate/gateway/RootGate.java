package dev.tungate.gateway;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The one skip-or-fail gate for the gateway's tests that need root, TUN devices or network namespaces (unit tests
 * and the *IT tests alike): an unmet requirement skips the test with the reason, except under {@code CI=true},
 * where these tests must run and the requirement fails the test instead.
 */
public final class RootGate {
    public static final boolean CI = "true".equals(System.getenv("CI"));

    private RootGate() { }

    /** Root (effective uid 0): namespaces need CAP_NET_ADMIN. */
    public static void requireRoot() {
        if (!isRoot()) unmet("needs root (namespaces and TUN need CAP_NET_ADMIN)");
    }

    /** Root and /dev/net/tun. */
    public static void requireRootAndTun() {
        requireRoot();
        if (!Files.exists(Path.of("/dev/net/tun"))) unmet("needs /dev/net/tun");
    }

    /** Skips with the reason, or fails under CI=true. */
    public static void unmet(String why) {
        if (CI) fail("CI=true but the environment is incomplete: " + why);
        // A class-level abort shows in the surefire/failsafe summary only as a count; say why in the test output too.
        System.err.println("SKIPPED: " + why);
        Assumptions.abort(why);
    }

    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                // Uid: real effective saved fs
                if (line.startsWith("Uid:")) return line.split("\\s+")[2].equals("0");
            }
        } catch (IOException ignored) {
            // Not Linux: not root for our purposes.
        }
        return false;
    }
}
