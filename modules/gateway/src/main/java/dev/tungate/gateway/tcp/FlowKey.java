package dev.tungate.gateway.tcp;

import dev.tungate.gateway.config.AddressText;
import dev.tungate.gateway.config.Addresses;
import dev.tungate.tcp.table.ConnectionTable;
import java.net.InetAddress;

/**
 * A TCP 4-tuple as the connection table keys it: 128-bit addresses with IPv4 mapped into IPv6
 * (::ffff:a.b.c.d). The "ns" side is the client in the namespace; the "remote" side is the
 * destination it dialled, which tungate impersonates. Mutable only while a shard fills its
 * scratch key; a flow's own key is never changed after the flow is made.
 */
public final class FlowKey {
    public boolean v4;
    public long nsHi, nsLo, remoteHi, remoteLo;
    public int nsPort, remotePort;

    /** Sets an IPv4 tuple from raw addresses. */
    public FlowKey v4(int ns, int nsPort, int remote, int remotePort) {
        return set(true, 0, ConnectionTable.mappedV4Lo(ns), nsPort, 0, ConnectionTable.mappedV4Lo(remote), remotePort);
    }

    public FlowKey v6(long nsHi, long nsLo, int nsPort, long remoteHi, long remoteLo, int remotePort) {
        return set(false, nsHi, nsLo, nsPort, remoteHi, remoteLo, remotePort);
    }

    public FlowKey set(boolean v4, long nsHi, long nsLo, int nsPort, long remoteHi, long remoteLo, int remotePort) {
        this.v4 = v4;
        this.nsHi = nsHi;
        this.nsLo = nsLo;
        this.nsPort = nsPort;
        this.remoteHi = remoteHi;
        this.remoteLo = remoteLo;
        this.remotePort = remotePort;
        return this;
    }

    public FlowKey copy() {
        return new FlowKey().set(v4, nsHi, nsLo, nsPort, remoteHi, remoteLo, remotePort);
    }

    /** The IPv4 address of the namespace side; meaningful when {@link #v4}. */
    public int ns4() {
        return (int) nsLo;
    }

    public int remote4() {
        return (int) remoteLo;
    }

    public InetAddress nsAddress() {
        return address(nsHi, nsLo);
    }

    public InetAddress remoteAddress() {
        return address(remoteHi, remoteLo);
    }

    private InetAddress address(long hi, long lo) {
        return Addresses.of(v4, hi, lo);
    }

    /** "10.0.2.100:40312 > 10.0.2.2:80", the namespace side first. */
    @Override
    public String toString() {
        return endpoint(nsAddress(), nsPort) + " > " + endpoint(remoteAddress(), remotePort);
    }

    static String endpoint(InetAddress a, int port) {
        return v6Bracket(a) + ":" + port;
    }

    private static String v6Bracket(InetAddress a) {
        String s = AddressText.of(a);
        return s.indexOf(':') >= 0 ? "[" + s + "]" : s;
    }
}
