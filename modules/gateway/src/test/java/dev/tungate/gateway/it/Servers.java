package dev.tungate.gateway.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Servers the tests start on the host (loopback or a TestHost address), each a Background killed by PID. */
final class Servers {
    static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private Servers() { }

    /** nginx serving root on 127.0.0.1:port and [::1]:port, from a conf rendered into a temp prefix. */
    static Background nginx(Path root, int port) {
        Path prefix = ItEnv.tempDir("nginx-");
        try {
            String conf = Files.readString(ItEnv.fixture("nginx.conf.template"))
                    .replace("@PREFIX@", prefix.toString()).replace("@ROOT@", root.toString())
                    .replace("@PORT@", Integer.toString(port));
            Files.writeString(prefix.resolve("nginx.conf"), conf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Background nginx = Exec.start(ItEnv.log("nginx"), List.of("nginx", "-p", prefix.toString(), "-e",
                prefix.resolve("error.log").toString(), "-c", prefix.resolve("nginx.conf").toString()));
        awaitListening(nginx, "127.0.0.1", port);
        return nginx;
    }

    /** One of the python fixtures, started on the host; waits for its "ready" line. */
    static Background python(String script, String... args) {
        List<String> cmd = new ArrayList<>(List.of("python3", "-u", ItEnv.fixture(script).toString()));
        cmd.addAll(List.of(args));
        return Exec.start(ItEnv.log(script), cmd).awaitLine("ready", START_TIMEOUT);
    }

    /** Waits until host:port accepts a TCP connection. */
    static void awaitListening(Background server, String host, int port) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 500);
                return;
            } catch (IOException notYet) {
                if (!server.alive() || System.nanoTime() > deadline) {
                    server.close();
                    fail(server + " is not listening on " + host + ":" + port + "\n" + Exec.tail(server.log()));
                }
                Gateway.sleepMillis(20);
            }
        }
    }

    /** socat binds a moment after it starts; wait until the UDP port shows up in ss. */
    static void awaitUdpBound(Background server, int port) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Exec.run(Duration.ofSeconds(5), List.of("ss", "-Hunl", "sport = :" + port)).out().contains(":" + port)) {
            assertTrue(server.alive() && System.nanoTime() < deadline, "socat never bound UDP " + port + "\n" + server.log());
            Gateway.sleepMillis(20);
        }
    }
}
