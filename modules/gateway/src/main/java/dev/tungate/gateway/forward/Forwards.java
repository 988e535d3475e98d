package dev.tungate.gateway.forward;

import dev.tungate.gateway.config.Addresses;
import dev.tungate.gateway.config.GatewayConfig;
import dev.tungate.gateway.shard.Shard;
import dev.tungate.gateway.tcp.TcpRelay;
import dev.tungate.gateway.udp.ForwardedUdp;
import io.netty.channel.ChannelException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The gateway's port forwards (host → namespace), changed at runtime by {@code ctl forward add|remove}
 * without pausing traffic: adding binds new sockets on the shards' loops, removing closes the listening
 * sockets only, so connections already forwarded keep going and new ones are refused by the host kernel.
 * Methods block briefly (bind, close) and must not run on a shard's loop; they are synchronized.
 */
public final class Forwards implements AutoCloseable {
    private static final Logger log = LogManager.getLogger();
    private static final InetAddress ANY6 = Addresses.of(new byte[16]);
    private static final InetAddress ANY4 = Addresses.of(new byte[4]);

    private final Shard[] shards;
    private final TcpRelay[] tcp;
    private final ClientKeys keys;
    private final UdpClients udpClients = new UdpClients();
    private final long udpIdleNanos;
    /** By canonical spec text, in the order added. */
    private final Map<String, List<Listener>> forwards = new LinkedHashMap<>();

    public Forwards(Shard[] shards, TcpRelay[] tcp, GatewayConfig config) {
        this.shards = shards;
        this.tcp = tcp;
        this.keys = new ClientKeys(config);
        this.udpIdleNanos = TimeUnit.MILLISECONDS.toNanos(config.udpIdleTimeoutMillis);
    }

    /** What the shards' UDP relays ask before opening a binding for a namespace datagram. */
    public ForwardedUdp udpReplies() {
        return udpClients;
    }

    /** Binds every port of {@code s}; all or nothing: a taken port closes those already bound and throws one line. */
    public synchronized String add(ForwardSpec s) {
        String name = s.toString();
        if (forwards.containsKey(name)) {
            throw new IllegalArgumentException("forward " + name + ": already forwarded; expected a new SPEC (see ctl forward list)");
        }
        List<Listener> bound = new ArrayList<>();
        try {
            for (int i = 0; i < s.count(); i++) {
                bound.add(listen(s, s.hostPort() + i, s.nsPort() + i, name));
            }
        } catch (RuntimeException e) {
            bound.forEach(Listener::close);
            throw e;
        }
        forwards.put(name, bound);
        log.info("forwarding {}", name);
        return "forwarding " + name + "\n";
    }

    private Listener listen(ForwardSpec s, int hostPort, int nsPort, String name) {
        InetAddress host = s.hostAddress();
        if (host == null) {
            // Every host address, both families, as pasta -t and docker -p: one dual-stack socket on ::,
            // or 0.0.0.0 where the host has no IPv6.
            try {
                return listen(s, new InetSocketAddress(ANY6, hostPort), nsPort, name);
            } catch (ChannelException e) {
                host = ANY4;
            }
        }
        return listen(s, new InetSocketAddress(host, hostPort), nsPort, name);
    }

    private Listener listen(ForwardSpec s, InetSocketAddress at, int nsPort, String name) {
        if (s.protocol() == ForwardSpec.Protocol.TCP) {
            TcpListener l = new TcpListener(shards, tcp, keys, s.nsAddress(), nsPort);
            l.listen(at, name);
            return l;
        }
        UdpListener l = new UdpListener(shards[at.getPort() % shards.length], keys, udpClients, s.nsAddress(), nsPort, udpIdleNanos);
        l.listen(at, name);
        return l;
    }

    /** Stops accepting for {@code s}; its connections keep going. */
    public synchronized String remove(ForwardSpec s) {
        String name = s.toString();
        List<Listener> ls = forwards.remove(name);
        if (ls == null) {
            throw new IllegalArgumentException("forward " + name + ": not forwarded; expected one of: "
                    + (forwards.isEmpty() ? "(none)" : String.join(", ", forwards.keySet())));
        }
        ls.forEach(Listener::close);
        log.info("forward {} removed", name);
        return "removed " + name + " (" + ls.stream().mapToInt(l -> l.active.get()).sum() + " connection(s) keep going)\n";
    }

    /** One line per forward: its SPEC, clients being forwarded now, and since it was added. */
    public synchronized String list() {
        if (forwards.isEmpty()) {
            return "no forwards\n";
        }
        StringBuilder b = new StringBuilder();
        forwards.forEach((name, ls) -> b.append(name).append("  active ").append(ls.stream().mapToInt(l -> l.active.get()).sum())
                .append("  total ").append(ls.stream().mapToLong(l -> l.total.get()).sum()).append('\n'));
        return b.toString();
    }

    /** {@code ctl forward add SPEC | list | remove SPEC}: the answer text; a bad request or SPEC throws one line. */
    public String request(String args) {
        String[] f = args.trim().split("\\s+", 2);
        return switch (f[0]) {
            case "list" -> list();
            case "add", "remove" -> {
                if (f.length < 2) {
                    throw new IllegalArgumentException("forward " + f[0] + ": found no SPEC, expected " + ForwardSpec.EXPECTED);
                }
                ForwardSpec s;
                try {
                    s = ForwardSpec.parse(f[1]);
                } catch (ForwardSpec.BadSpec e) {
                    throw new IllegalArgumentException("forward: " + e.getMessage());
                }
                yield f[0].equals("add") ? add(s) : remove(s);
            }
            default -> throw new IllegalArgumentException("forward: found '" + f[0] + "', expected add SPEC, list or remove SPEC");
        };
    }

    /** Gateway stop: every listening socket closed (the flows are reset by their relays). */
    @Override
    public synchronized void close() {
        forwards.values().forEach(ls -> ls.forEach(Listener::close));
        forwards.clear();
    }
}
