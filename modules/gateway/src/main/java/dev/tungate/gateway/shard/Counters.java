package dev.tungate.gateway.shard;

import dev.tungate.wire.Drop;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One shard's event counts: plain longs written only by the shard's event loop. {@code ctl stats}
 * sums them with a task on each loop ({@link #addTo}), so no field is volatile or atomic.
 * RSTs, refusals and unreachables are behaviour, not errors, and are counted like drops.
 */
public final class Counters {
    /** Frames dropped by the parsers, indexed by {@link Drop#ordinal()}. */
    public final long[] drops = new long[Drop.values().length];
    /** IP frames read from / written to the TUN device, and their bytes (super-segments count once). */
    public long framesIn, framesOut, bytesIn, bytesOut;
    /** Frames the TUN queue refused because the kernel queue was full. */
    public long tunWriteDrops;
    /** Frames that arrived on a queue other than their flow's owner and were handed to the owner loop. */
    public long handoffs;
    /** SYNs that opened a pending flow (an upstream connect was started). */
    public long tcpSyns;
    /** SYNs dropped because the shard already held {@code TcpRelay.MAX_HELD_SYNS} of them. */
    public long tcpSynOverflow;
    /** Flows whose upstream connect succeeded and whose SYN was answered with SYN-ACK. */
    public long tcpConnections;
    /** Upstream connects refused (answered RST) and unreachable or timed out (answered ICMP). */
    public long tcpRefused, tcpUnreachable;
    /** Flows ended by a reset from either side, or by the engine's retransmission limit. */
    public long tcpResets;
    /** Segments for no known flow, answered per RFC 9293 §3.10.7.1 (RST unless they were RST). */
    public long tcpStray;
    /** Destinations refused by policy or --disable-host-loopback. */
    public long blocked;
    /** UDP flows opened, UDP datagrams relayed, DNS queries forwarded (services). */
    public long udpFlows, udpDatagrams, dnsQueries;
    /** ICMP/ICMPv6 echo requests relayed (services). */
    public long icmpEchoes;
    /** Packets of protocols tungate does not relay, answered protocol unreachable. */
    public long protoUnreachable;
    /** ICMPv6 neighbour/router discovery packets ignored (a TUN device has no link layer). */
    public long ndpIgnored;
    /** First datagrams of new UDP flows dropped at the UDP flow limit (services). */
    public long udpFlowLimitDrops;
    /** Resolver timeouts that caused a failover or a give-up (services). */
    public long dnsTimeouts;
    /** ICMP errors the services sent into the namespace; ICMP from the namespace that is not an echo request. */
    public long icmpErrors, icmpIgnored;

    /** Adds every field of this shard's counters into {@code sum}. */
    public void addTo(Counters sum) {
        for (int i = 0; i < drops.length; i++) {
            sum.drops[i] += drops[i];
        }
        sum.framesIn += framesIn;
        sum.framesOut += framesOut;
        sum.bytesIn += bytesIn;
        sum.bytesOut += bytesOut;
        sum.tunWriteDrops += tunWriteDrops;
        sum.handoffs += handoffs;
        sum.tcpSyns += tcpSyns;
        sum.tcpSynOverflow += tcpSynOverflow;
        sum.tcpConnections += tcpConnections;
        sum.tcpRefused += tcpRefused;
        sum.tcpUnreachable += tcpUnreachable;
        sum.tcpResets += tcpResets;
        sum.tcpStray += tcpStray;
        sum.blocked += blocked;
        sum.udpFlows += udpFlows;
        sum.udpDatagrams += udpDatagrams;
        sum.dnsQueries += dnsQueries;
        sum.icmpEchoes += icmpEchoes;
        sum.protoUnreachable += protoUnreachable;
        sum.ndpIgnored += ndpIgnored;
        sum.udpFlowLimitDrops += udpFlowLimitDrops;
        sum.dnsTimeouts += dnsTimeouts;
        sum.icmpErrors += icmpErrors;
        sum.icmpIgnored += icmpIgnored;
    }

    /** A copy taken on the owning loop. */
    public Counters copy() {
        Counters c = new Counters();
        addTo(c);
        return c;
    }

    /** Every counter by name, in declaration order; drops as {@code drop.<REASON>}, only when non-zero. */
    public Map<String, Long> asMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("framesIn", framesIn);
        m.put("framesOut", framesOut);
        m.put("bytesIn", bytesIn);
        m.put("bytesOut", bytesOut);
        m.put("tunWriteDrops", tunWriteDrops);
        m.put("handoffs", handoffs);
        m.put("tcpSyns", tcpSyns);
        m.put("tcpSynOverflow", tcpSynOverflow);
        m.put("tcpConnections", tcpConnections);
        m.put("tcpRefused", tcpRefused);
        m.put("tcpUnreachable", tcpUnreachable);
        m.put("tcpResets", tcpResets);
        m.put("tcpStray", tcpStray);
        m.put("blocked", blocked);
        m.put("udpFlows", udpFlows);
        m.put("udpDatagrams", udpDatagrams);
        m.put("dnsQueries", dnsQueries);
        m.put("icmpEchoes", icmpEchoes);
        m.put("protoUnreachable", protoUnreachable);
        m.put("ndpIgnored", ndpIgnored);
        m.put("udpFlowLimitDrops", udpFlowLimitDrops);
        m.put("dnsTimeouts", dnsTimeouts);
        m.put("icmpErrors", icmpErrors);
        m.put("icmpIgnored", icmpIgnored);
        Drop[] reasons = Drop.values();
        for (int i = 1; i < drops.length; i++) {
            if (drops[i] != 0) {
                m.put("drop." + reasons[i].name(), drops[i]);
            }
        }
        return m;
    }
}
