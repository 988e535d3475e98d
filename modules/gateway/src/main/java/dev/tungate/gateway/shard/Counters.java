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
    /** Frames dropped instead of handed off: the owner loop already had {@code Shard.MAX_HANDOFF_BYTES} waiting. */
    public long handoffDrops;
    /** SYNs that opened a pending flow (an upstream connect was started). */
    public long tcpSyns;
    /** Flows whose upstream connect succeeded and whose SYN was answered with SYN-ACK. */
    public long tcpConnections;
    /** Upstream connects refused (answered RST) and unreachable or timed out (answered ICMP). */
    public long tcpRefused, tcpUnreachable;
    /** Flows ended by a reset from either side, or by the engine's retransmission limit. */
    public long tcpResets;
    /** Segments for no known flow, answered per RFC 9293 §3.10.7.1 (RST unless they were RST). */
    public long tcpStray;
    /** Destinations refused, all reasons (policy, host loopback, --disable-host-loopback): the sum of {@link #refused}. */
    public long blocked;
    /** Refused destinations by reason, indexed by {@link Refusal#ordinal()}; counted through {@link #refuse}. */
    public final long[] refused = new long[Refusal.values().length];
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
    /** Datagrams the UDP relay dropped because the upstream socket was not writable (bounded queue). */
    public long udpSendDrops;
    /** Datagrams of a new UDP flow dropped because its set-up queue was full (bytes, while the upstream connects). */
    public long udpSetupDrops;
    /** Resolver timeouts that caused a failover or a give-up (services). */
    public long dnsTimeouts;
    /** ICMP errors the services sent into the namespace; ICMP from the namespace that is not an echo request. */
    public long icmpErrors, icmpIgnored;
    /**
     * IP fragments from the namespace (frag.Reassembler): taken in, datagrams made whole; fragments
     * dropped as exact duplicates, as overlaps (datagram discarded, RFC 5722), as invalid (bad
     * length, over 64 KiB, too many pieces); datagrams discarded unfinished by timeout or evicted at a bound.
     */
    public long fragmentsIn, datagramsReassembled, fragmentDuplicates, fragmentOverlaps, fragmentsInvalid,
            reassemblyTimeouts, reassemblyEvictions;

    /** Flows reset because an allocation found the direct memory exhausted (OutOfMemoryError). */
    public long tcpMemoryResets;
    /** Text segments dropped under memory pressure (a flow holding more than its floor while the budget is spent). */
    public long tcpMemoryDrops;
    /** SYNs refused (RST) because the memory budget was spent. */
    public long tcpMemoryRefusals;
    /** Half-open flows evicted to admit a new SYN (oldest first, the SYN's own source first) or aged out under pressure. */
    public long tcpHalfOpenEvictions;
    /** SYNs refused (RST) because a new upstream socket would eat into the fd reserve. */
    public long tcpFdRefusals;
    /** Frames dropped because no buffer could be had for them (OutOfMemoryError), the loop going on. */
    public long frameMemoryDrops;
    /** ICMP errors from the real path relayed to the namespace; time exceeded at the gateway (TTL 1); TCP flows whose MSS an ICMP too-big lowered. */
    public long icmpPathErrors, icmpTimeExceeded, tcpPathMtuLowered;
    /** Emulation stage: new flows passed unimpaired because the shard's flow table was full; deliveries that threw. */
    public long stageUntracked, stageDeliveryFailures;
    /** Gauge: flows half-open now (SYN held or SYN-RECEIVED). */
    public long tcpHalfOpen;
    /** Gauge: real bytes the TCP flows hold (filled in by a stats request). */
    public long tcpPinnedBytes;
    /** Gauge, gateway-wide: pooled direct memory in use and the budget it is held to (filled in by a stats request). */
    public long directMemoryUsed, memoryBudget;
    /** Gauge, gateway-wide: file descriptors open and the limit (filled in by a stats request). */
    public long openFds, fdLimit;

    /** One new flow refused for {@code why}: counted under its reason and in {@link #blocked}. */
    public void refuse(Refusal why) {
        blocked++;
        refused[why.ordinal()]++;
    }

    /** Adds every field of this shard's counters into {@code sum}. */
    public void addTo(Counters sum) {
        addTo(sum, 1);
    }

    /** Takes every field of these counters (an earlier snapshot, e.g. the start-up warm-up's) off {@code total}. */
    public void subtractFrom(Counters total) {
        addTo(total, -1);
    }

    private void addTo(Counters sum, long sign) {
        for (int i = 0; i < drops.length; i++) {
            sum.drops[i] += sign * drops[i];
        }
        for (int i = 0; i < refused.length; i++) {
            sum.refused[i] += sign * refused[i];
        }
        sum.framesIn += sign * framesIn;
        sum.framesOut += sign * framesOut;
        sum.bytesIn += sign * bytesIn;
        sum.bytesOut += sign * bytesOut;
        sum.tunWriteDrops += sign * tunWriteDrops;
        sum.handoffs += sign * handoffs;
        sum.handoffDrops += sign * handoffDrops;
        sum.tcpSyns += sign * tcpSyns;
        sum.tcpConnections += sign * tcpConnections;
        sum.tcpRefused += sign * tcpRefused;
        sum.tcpUnreachable += sign * tcpUnreachable;
        sum.tcpResets += sign * tcpResets;
        sum.tcpStray += sign * tcpStray;
        sum.blocked += sign * blocked;
        sum.udpFlows += sign * udpFlows;
        sum.udpDatagrams += sign * udpDatagrams;
        sum.dnsQueries += sign * dnsQueries;
        sum.icmpEchoes += sign * icmpEchoes;
        sum.protoUnreachable += sign * protoUnreachable;
        sum.ndpIgnored += sign * ndpIgnored;
        sum.udpFlowLimitDrops += sign * udpFlowLimitDrops;
        sum.udpSendDrops += sign * udpSendDrops;
        sum.udpSetupDrops += sign * udpSetupDrops;
        sum.dnsTimeouts += sign * dnsTimeouts;
        sum.icmpErrors += sign * icmpErrors;
        sum.icmpIgnored += sign * icmpIgnored;
        sum.stageUntracked += sign * stageUntracked;
        sum.stageDeliveryFailures += sign * stageDeliveryFailures;
        sum.tcpMemoryResets += sign * tcpMemoryResets;
        sum.tcpMemoryDrops += sign * tcpMemoryDrops;
        sum.tcpMemoryRefusals += sign * tcpMemoryRefusals;
        sum.tcpHalfOpenEvictions += sign * tcpHalfOpenEvictions;
        sum.tcpFdRefusals += sign * tcpFdRefusals;
        sum.frameMemoryDrops += sign * frameMemoryDrops;
        sum.icmpPathErrors += sign * icmpPathErrors;
        sum.icmpTimeExceeded += sign * icmpTimeExceeded;
        sum.tcpPathMtuLowered += sign * tcpPathMtuLowered;
        sum.tcpHalfOpen += sign * tcpHalfOpen;
        sum.tcpPinnedBytes += sign * tcpPinnedBytes;
        sum.directMemoryUsed += sign * directMemoryUsed;
        sum.memoryBudget += sign * memoryBudget;
        sum.openFds += sign * openFds;
        sum.fdLimit += sign * fdLimit;
        sum.fragmentsIn += sign * fragmentsIn;
        sum.datagramsReassembled += sign * datagramsReassembled;
        sum.fragmentDuplicates += sign * fragmentDuplicates;
        sum.fragmentOverlaps += sign * fragmentOverlaps;
        sum.fragmentsInvalid += sign * fragmentsInvalid;
        sum.reassemblyTimeouts += sign * reassemblyTimeouts;
        sum.reassemblyEvictions += sign * reassemblyEvictions;
    }

    /** A copy taken on the owning loop. */
    public Counters copy() {
        Counters c = new Counters();
        addTo(c);
        return c;
    }

    /** Every counter by name, in declaration order; drops as {@code drop.<REASON>} and refusals as {@code refused.<REASON>}, only when non-zero. */
    public Map<String, Long> asMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("framesIn", framesIn);
        m.put("framesOut", framesOut);
        m.put("bytesIn", bytesIn);
        m.put("bytesOut", bytesOut);
        m.put("tunWriteDrops", tunWriteDrops);
        m.put("handoffs", handoffs);
        m.put("handoffDrops", handoffDrops);
        m.put("tcpSyns", tcpSyns);
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
        m.put("udpSendDrops", udpSendDrops);
        m.put("udpSetupDrops", udpSetupDrops);
        m.put("dnsTimeouts", dnsTimeouts);
        m.put("icmpErrors", icmpErrors);
        m.put("icmpIgnored", icmpIgnored);
        m.put("stageUntracked", stageUntracked);
        m.put("stageDeliveryFailures", stageDeliveryFailures);
        m.put("tcpMemoryResets", tcpMemoryResets);
        m.put("tcpMemoryDrops", tcpMemoryDrops);
        m.put("tcpMemoryRefusals", tcpMemoryRefusals);
        m.put("tcpHalfOpenEvictions", tcpHalfOpenEvictions);
        m.put("tcpFdRefusals", tcpFdRefusals);
        m.put("frameMemoryDrops", frameMemoryDrops);
        m.put("icmpPathErrors", icmpPathErrors);
        m.put("icmpTimeExceeded", icmpTimeExceeded);
        m.put("tcpPathMtuLowered", tcpPathMtuLowered);
        m.put("tcpHalfOpen", tcpHalfOpen);
        m.put("tcpPinnedBytes", tcpPinnedBytes);
        m.put("directMemoryUsed", directMemoryUsed);
        m.put("memoryBudget", memoryBudget);
        m.put("openFds", openFds);
        m.put("fdLimit", fdLimit);
        m.put("fragmentsIn", fragmentsIn);
        m.put("datagramsReassembled", datagramsReassembled);
        m.put("fragmentDuplicates", fragmentDuplicates);
        m.put("fragmentOverlaps", fragmentOverlaps);
        m.put("fragmentsInvalid", fragmentsInvalid);
        m.put("reassemblyTimeouts", reassemblyTimeouts);
        m.put("reassemblyEvictions", reassemblyEvictions);
        Refusal[] why = Refusal.values();
        for (int i = 0; i < refused.length; i++) {
            if (refused[i] != 0) {
                m.put("refused." + why[i].name(), refused[i]);
            }
        }
        Drop[] reasons = Drop.values();
        for (int i = 1; i < drops.length; i++) {
            if (drops[i] != 0) {
                m.put("drop." + reasons[i].name(), drops[i]);
            }
        }
        return m;
    }
}
