package dev.tungate.gateway.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tungate.gateway.ConnectionInfo;
import dev.tungate.gateway.shard.Counters;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The control socket outlives fd exhaustion (issue 8, item 3): with every fd of the process taken, its accept
 * fails with EMFILE; it must pause and retry, not give up, and answer once fds are free again. Isolated: the test
 * lowers this JVM's soft fd limit (prlimit) and fills it, which nothing else may share.
 */
@Isolated
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class CtlServerFdExhaustionTest {
    @TempDir
    Path dir;

    private final ControlTarget target = new ControlTarget() {
        @Override
        public List<ConnectionInfo> connections() {
            return List.of();
        }

        @Override
        public Counters stats() {
            return new Counters();
        }

        @Override
        public Closeable capture(Path pcap) throws IOException {
            throw new IOException("no capture here");
        }
    };

    @Test
    @DisplayName("EMFILE on accept pauses the control socket; it answers once fds are free again")
    void survivesEmfile() throws Exception {
        long pid = ProcessHandle.current().pid();
        String soft = prlimit("--pid", String.valueOf(pid), "--nofile", "--output=SOFT", "--noheadings").strip();
        List<FileChannel> filler = new ArrayList<>();
        try (CtlServer server = CtlServer.start(target, dir.resolve("gw.sock"));
             SocketChannel client = SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            long open = openFds();
            prlimit("--pid", String.valueOf(pid), "--nofile=" + (open + 200) + ":");
            try {
                try {
                    for (int i = 0; i < 1000; i++) {
                        filler.add(FileChannel.open(Path.of("/dev/null"), StandardOpenOption.READ));
                    }
                } catch (IOException full) {
                    // EMFILE: every fd is taken
                }
                client.connect(UnixDomainSocketAddress.of(server.path()));   // queued; the server cannot accept it
                client.write(ByteBuffer.wrap("stats\n".getBytes(StandardCharsets.UTF_8)));
                for (int i = 0; i < 500 && server.acceptErrors() == 0; i++) {
                    Thread.sleep(10);
                }
                assertTrue(server.acceptErrors() > 0, "accept never failed; the test did not exhaust the fds");
            } finally {
                for (FileChannel f : filler) {
                    f.close();
                }
                prlimit("--pid", String.valueOf(pid), "--nofile=" + soft + ":");
            }
            String answer = CtlServerTest.readAll(client);
            assertTrue(answer.contains("udpFlows"), answer);
            StringWriter out = new StringWriter();
            assertEquals(0, CtlCommand.exchange(server.path(), "stats", new PrintWriter(out, true), new PrintWriter(new StringWriter(), true)));
        }
    }

    private static long openFds() throws IOException {
        try (var s = java.nio.file.Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    private static String prlimit(String... args) {
        List<String> cmd = new ArrayList<>(List.of("prlimit"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), cmd + ": " + out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
