package dev.tungate.gateway;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The host's DNS resolvers, from resolv.conf(5) {@code nameserver} lines, in file order. */
public final class HostResolvers {
    public static final Path RESOLV_CONF = Path.of("/etc/resolv.conf");
    private static final int DNS_PORT = 53;

    private HostResolvers() { }

    /** Every {@code nameserver ADDRESS} of {@code file} (port 53); empty when the file is missing. */
    public static List<InetSocketAddress> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
        return parse(lines);
    }

    static List<InetSocketAddress> parse(List<String> lines) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String line : lines) {
            String[] w = line.trim().split("\\s+");
            if (w.length >= 2 && w[0].equals("nameserver") && isLiteral(w[1])) {
                try {
                    out.add(new InetSocketAddress(InetAddress.getByName(w[1]), DNS_PORT));
                } catch (UnknownHostException e) {
                    // not an address after all: resolv.conf(5) allows only addresses here, skip it
                }
            }
        }
        return out;
    }

    /** An IPv4 or IPv6 literal (optionally with %scope), so getByName never queries DNS. */
    private static boolean isLiteral(String s) {
        String a = s.indexOf('%') >= 0 ? s.substring(0, s.indexOf('%')) : s;
        return a.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") || a.indexOf(':') >= 0 && a.matches("[0-9A-Fa-f:.]+");
    }
}
