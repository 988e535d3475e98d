package dev.tungate.gateway.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The {@code nameserver} lines of resolv.conf(5), in order, on port 53. */
public final class ResolvConf {
    public static final Path SYSTEM = Path.of("/etc/resolv.conf");
    static final int DNS_PORT = 53;

    private ResolvConf() { }

    /**
     * Reads {@code file}. A scoped IPv6 address ({@code fe80::1%eth0}) keeps its scope; lines that
     * are not an address literal are skipped, as the resolver does. Throws when the file cannot be
     * read or names no server, with the file in the message.
     */
    public static List<InetSocketAddress> read(Path file) throws IOException {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 2 && f[0].equals("nameserver")) {
                InetAddress a = literal(f[1]);
                if (a != null) {
                    out.add(new InetSocketAddress(a, DNS_PORT));
                }
            }
        }
        if (out.isEmpty()) {
            throw new IOException(file + ": no 'nameserver' line with an IP address; set the resolvers in the config (resolver = IP[:PORT])");
        }
        return out;
    }

    /** An IPv4 or IPv6 literal, or null: never a name to look up. */
    static InetAddress literal(String s) {
        boolean v4 = s.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        boolean v6 = s.matches("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]+)?");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
