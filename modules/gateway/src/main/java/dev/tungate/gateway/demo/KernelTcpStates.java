package dev.tungate.gateway.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The Linux kernel's state of one TCP socket, read from {@code /proc/PID/task/TID/net/tcp} and
 * {@code tcp6} of a thread inside the namespace (the files show the sockets of that thread's
 * namespace; a Java socket is an IPv6 socket even when it talks IPv4, so it is listed in tcp6).
 * Lines look like {@code 0: 6402000A:A2C4 0202000A:1F90 01 ...}: local and remote address:port in
 * hex (the address in host byte order), then the state as the kernel's tcp_states.h number.
 */
final class KernelTcpStates {
    /** include/net/tcp_states.h, TCP_ESTABLISHED = 1 ... TCP_CLOSING = 11. */
    private static final String[] NAMES = {"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
            "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING"};

    private final Path[] files;

    KernelTcpStates(String pidTaskTid) {
        this.files = new Path[] {Path.of("/proc", pidTaskTid, "net", "tcp"), Path.of("/proc", pidTaskTid, "net", "tcp6")};
    }

    /** The state of the socket bound to {@code localPort} talking to {@code remotePort}, or "CLOSED (gone)". */
    String state(int localPort, int remotePort) {
        String local = String.format(":%04X", localPort);
        String remote = String.format(":%04X", remotePort);
        for (Path file : files) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file);
            } catch (IOException e) {
                return "? (" + file + " unreadable)";
            }
            for (String line : lines) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[1].endsWith(local) && f[2].endsWith(remote)) {
                    int st = Integer.parseInt(f[3], 16);
                    return st > 0 && st < NAMES.length ? NAMES[st] : "state " + st;
                }
            }
        }
        return "CLOSED (gone)";
    }
}
