package dev.tungate.gateway.it;

import dev.tungate.gateway.RootGate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the integration tests need from the machine, and where things are.
 * A missing requirement skips the test with the reason, except under {@code CI=true}, where it fails.
 */
final class ItEnv {
    /** Test logs (gateway output, servers) survive the run here for a post-mortem. */
    static final Path LOGS = Path.of("target", "it-logs").toAbsolutePath();

    private ItEnv() { }

    /**
     * The repo root holding bin/tungate. TUNGATE_HOME wins over the tungate.home system property that failsafe
     * sets, so tests in one checkout can drive the build of another.
     */
    static Path home() {
        String env = System.getenv("TUNGATE_HOME");
        String home = env != null && !env.isBlank() ? env : System.getProperty("tungate.home", "");
        return Path.of(home.isBlank() ? "." : home).toAbsolutePath().normalize();
    }

    static Path launcher() {
        return home().resolve("bin/tungate");
    }

    /** Root, a TUN device, the launcher with its jar, and each tool on the PATH; skips, or fails under CI=true. */
    static void require(String... tools) {
        List<String> missing = new ArrayList<>();
        if (!RootGate.isRoot()) missing.add("root (namespaces and TUN need CAP_NET_ADMIN)");
        if (!Files.exists(Path.of("/dev/net/tun"))) missing.add("/dev/net/tun");
        if (!Files.isExecutable(launcher())) missing.add(launcher() + " (set -Dtungate.home or TUNGATE_HOME)");
        if (!Files.exists(home().resolve("modules/gateway/target/tungate.jar"))) missing.add("tungate.jar under " + home());
        for (String tool : tools) if (which(tool) == null) missing.add("command " + tool);
        if (!missing.isEmpty()) RootGate.unmet("needs " + String.join(", ", missing));
    }

    static Path which(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) return p;
        }
        for (String dir : List.of("/usr/sbin", "/sbin")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    /** A fixture under src/test/resources/it, as a file on disk (test-classes). */
    static Path fixture(String name) {
        try {
            var url = ItEnv.class.getResource("/it/" + name);
            if (url == null) throw new IllegalStateException("no fixture it/" + name + " on the test classpath");
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path tempFile(String suffix) {
        try {
            Files.createDirectories(LOGS);
            return Files.createTempFile(LOGS, "tmp-", "." + suffix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A tungate config file holding {@code lines} under a comment naming the test that wrote it. */
    static Path configFile(String writer, String lines) {
        Path conf = tempFile("conf");
        try {
            Files.writeString(conf, "# written by " + writer + "\n" + lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return conf;
    }

    static Path tempDir(String prefix) {
        try {
            Files.createDirectories(LOGS);
            return Files.createTempDirectory(LOGS, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path log(String name) {
        try {
            Files.createDirectories(LOGS);
            return LOGS.resolve(name + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A TCP port free on host loopback right now (the server that takes it binds moments later). */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
