package dev.tungate.gateway.ctl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tungate ctl [--socket PATH] conns|stats|capture FILE [--seconds N]}: asks a running
 * gateway through its control socket and prints the answer. Exit codes: 0 answered, 1 the gateway
 * reported an error or could not be reached, 2 bad usage (picocli's).
 */
@Command(name = "ctl", mixinStandardHelpOptions = true,
        description = "Ask a running gateway: its connections, counters, or a packet capture.",
        footer = {
                "  tungate ctl conns                           # the only gateway running",
                "  tungate ctl --socket /run/tungate/box.sock stats",
                "  tungate ctl capture /tmp/box.pcap --seconds 10"})
public final class CtlCommand {
    @Spec
    CommandSpec spec;

    @Option(names = "--socket", paramLabel = "PATH",
            description = "control socket (default: the only socket in /run/tungate)")
    Path socket;

    @Command(name = "conns", description = "TCP connections, like ss -tan: state, addresses, seq/ack, windows, RTT, retransmits, bytes.",
            footer = {"  tungate ctl conns | grep ESTAB"})
    int conns() {
        return request("conns");
    }

    @Command(name = "stats", description = "Counters summed over the shards, drop reasons included.",
            footer = {"  watch -n1 tungate ctl stats"})
    int stats() {
        return request("stats");
    }

    @Command(name = "impair", description = "Impairment profiles: 'impair list', 'impair set NAME SPEC', 'impair clear NAME', 'impair flow FLOW SPEC' (FLOW: Peer-Local of ctl conns, e.g. 10.0.2.100:40312-10.0.2.2:80).",
            footer = {"  tungate ctl impair set all 'delay=25ms loss=1%% seed=7'",
                      "  tungate ctl impair flow 10.0.2.100:40312-10.0.2.2:80 'delay=200ms'"})
    int impair(@Parameters(paramLabel = "ARGS", arity = "1..*", description = "list | set NAME SPEC | clear NAME | flow FLOW SPEC") List<String> args) {
        return request("impair " + String.join(" ", args));
    }

    @Command(name = "forward", description = "Port forwards host -> namespace: 'forward list' (active and total connections), "
            + "'forward add SPEC', 'forward remove SPEC' (connections already forwarded keep going). SPEC as --forward.",
            footer = {"  tungate ctl forward add tcp:8080:80", "  tungate ctl forward list", "  tungate ctl forward remove tcp:8080:80"})
    int forward(@Parameters(paramLabel = "ARGS", arity = "1..*", description = "list | add SPEC | remove SPEC") List<String> args) {
        return request("forward " + String.join(" ", args));
    }

    @Command(name = "capture", description = "Write every packet through the TUN device to a pcap file (tshark -r FILE reads it).",
            footer = {"  tungate ctl capture /tmp/box.pcap --seconds 10 && tshark -r /tmp/box.pcap"})
    int capture(@Parameters(paramLabel = "FILE", description = "pcap file to write (on this host)") Path file,
            @Option(names = "--seconds", paramLabel = "N", description = "stop after N seconds (default: at Ctrl-C)") Long seconds) {
        if (seconds != null && seconds < 0) {
            spec.commandLine().getErr().println("tungate ctl: bad --seconds " + seconds + "; expected 0 or more");
            return 2;
        }
        return request("capture " + (seconds == null ? -1 : seconds) + " " + file.toAbsolutePath());
    }

    private int request(String line) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path path;
        try {
            path = socket != null ? socket : onlySocket(CtlServer.RUN_DIR);
        } catch (IOException e) {
            err.println("tungate ctl: " + e.getMessage());
            return 1;
        }
        return exchange(path, line, out, err);
    }

    /** Sends one request and copies the answer to out line by line as it arrives; an "error: " line goes to err. */
    static int exchange(Path path, String request, PrintWriter out, PrintWriter err) {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(path));
            ByteBuffer b = ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                c.write(b);
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
            int exit = 1;
            boolean answered = false;
            for (String l; (l = in.readLine()) != null; ) {
                if (!answered) {
                    answered = true;
                    exit = 0;
                }
                if (l.startsWith("error: ")) {
                    err.println("tungate ctl: " + l.substring("error: ".length()));
                    exit = 1;
                } else {
                    out.println(l);
                }
                out.flush();
            }
            if (!answered) {
                err.println("tungate ctl: the gateway at " + path + " closed without answering; expected a reply to '" + request + "'");
            }
            return exit;
        } catch (IOException e) {
            err.println("tungate ctl: cannot reach the gateway at " + path + ": " + e.getMessage()
                    + "; expected a running tungate (see --socket)");
            return 1;
        }
    }

    /**
     * The single live *.sock in dir (files left by a gateway that was killed are skipped); an error
     * naming the choices when there are none or several.
     */
    static Path onlySocket(Path dir) throws IOException {
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.sock")) {
                for (Path p : ds) {
                    if (CtlServer.listening(p)) {
                        found.add(p);
                    }
                }
            }
        }
        if (found.size() == 1) {
            return found.get(0);
        }
        if (found.isEmpty()) {
            throw new IOException("no control socket in " + dir + "; expected a running tungate, or --socket PATH");
        }
        found.sort(null);
        throw new IOException(found.size() + " gateways are running; expected --socket with one of " + found);
    }
}
