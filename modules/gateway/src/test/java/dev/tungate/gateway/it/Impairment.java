package dev.tungate.gateway.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * 2% loss, 1% duplication, 25% reordering and 1 ms delay on the namespace's side of the gateway.
 * Both directions are impaired: the gateway's receiver and its sender must each recover.
 * With sch_netem: netem on the namespace's default-route device for its egress, and for its ingress netem on an ifb
 * device the ingress is redirected to (u32 match-all + mirred). Without sch_netem (the development kernel): the
 * fixture nfq_impair.py on NFQUEUE, fed by iptables with the namespace's TCP, seeded; its counters prove it acted.
 */
final class Impairment implements AutoCloseable {
    static final double LOSS = 0.02, DUPLICATE = 0.01, REORDER = 0.25, DELAY_MS = 1;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int QUEUE = 7;
    private static final String MARK = "0x7e1";
    private static final Pattern STATS = Pattern.compile("seen=(\\d+) lost=(\\d+) delayed=(\\d+) reordered=(\\d+) "
            + "duplicated=(\\d+) overruns=(\\d+)");

    private static final Pattern NETEM_DROPPED = Pattern.compile("qdisc netem .*\\n.*\\(dropped (\\d+)");

    final String description;
    private final Netns ns;
    /** The nfq_impair.py process, or null when netem does the job on these devices. */
    private final Background impairer;
    private final List<String> netemDevices;
    private String stats = "";

    private Impairment(String description, Netns ns, Background impairer, List<String> netemDevices) {
        this.description = description;
        this.ns = ns;
        this.impairer = impairer;
        this.netemDevices = netemDevices;
    }

    static Impairment apply(Netns ns, long seed) {
        return apply(ns, seed, LOSS, DUPLICATE, REORDER, "tcp");
    }

    /** Loss, duplication and reordering as given, on the namespace's packets of {@code protocols} (iptables names). */
    static Impairment apply(Netns ns, long seed, double loss, double duplicate, double reorder, String... protocols) {
        String dev = defaultDevice(ns);
        if (kernelHasNetem()) {
            String ifb = "tgimp";
            run(ns, "ip", "link", "add", ifb, "type", "ifb");
            run(ns, "ip", "link", "set", ifb, "up");
            run(ns, "tc", "qdisc", "add", "dev", dev, "handle", "ffff:", "ingress");
            run(ns, "tc", "filter", "add", "dev", dev, "parent", "ffff:", "protocol", "all", "u32", "match", "u32", "0",
                    "0", "action", "mirred", "egress", "redirect", "dev", ifb);
            for (String d : List.of(dev, ifb)) {
                run(ns, "tc", "qdisc", "add", "dev", d, "root", "netem", "delay", DELAY_MS + "ms", "reorder",
                        pct(reorder), "loss", pct(loss), "duplicate", pct(duplicate));
            }
            return new Impairment("tc netem on " + dev + " egress and, through ifb " + ifb + ", its ingress", ns, null,
                    List.of(dev, ifb));
        }
        String q = Integer.toString(QUEUE);
        // Duplicates the impairer writes carry MARK and pass; everything else of the namespace's TCP is queued.
        for (String p : protocols) {
            iptables(ns, "-A", "OUTPUT", "-o", dev, "-p", p, "-m", "mark", "--mark", MARK, "-j", "ACCEPT");
            iptables(ns, "-A", "OUTPUT", "-o", dev, "-p", p, "-j", "NFQUEUE", "--queue-num", q, "--queue-bypass");
            iptables(ns, "-A", "INPUT", "-i", dev, "-p", p, "-j", "NFQUEUE", "--queue-num", q, "--queue-bypass");
        }
        Background imp = ns.start("nfq-impair", "python3", "-u", ItEnv.fixture("nfq_impair.py").toString(),
                "--queue", q, "--loss", Double.toString(loss), "--dup", Double.toString(duplicate),
                "--reorder", Double.toString(reorder), "--delay-ms", Double.toString(DELAY_MS), "--mark", MARK,
                "--seed", Long.toString(seed)).awaitLine("ready", Servers.START_TIMEOUT);
        return new Impairment("NFQUEUE impairer (nfq_impair.py, seed " + seed + ", loss " + pct(loss) + ", duplicate "
                + pct(duplicate) + ", reorder " + pct(reorder) + ", " + String.join("/", protocols) + ") on " + dev
                + ", both directions",
                ns, imp, List.of());
    }

    /** True when the impairer lost, duplicated and reordered packets, or each netem qdisc dropped some. */
    boolean acted() {
        if (impairer == null) {
            Matcher m = NETEM_DROPPED.matcher(stats);
            int droppingQdiscs = 0;
            while (m.find()) if (Long.parseLong(m.group(1)) > 0) droppingQdiscs++;
            return droppingQdiscs == netemDevices.size();
        }
        Matcher m = STATS.matcher(stats);
        return m.find() && Long.parseLong(m.group(2)) > 0 && Long.parseLong(m.group(4)) > 0
                && Long.parseLong(m.group(5)) > 0;
    }

    String stats() {
        return stats;
    }

    /** Stops the impairer (it accepts what it holds first) and keeps its counters, or keeps netem's. */
    @Override
    public void close() {
        if (impairer == null) {
            if (stats.isEmpty()) {
                StringBuilder all = new StringBuilder();
                for (String d : netemDevices) all.append(ns.exec(TIMEOUT, "tc", "-s", "qdisc", "show", "dev", d).out());
                stats = all.toString();
            }
            return;
        }
        if (!impairer.alive()) return;
        impairer.process().destroy();
        impairer.waitFor(TIMEOUT);
        impairer.close();
        stats = impairer.log().lines().filter(l -> l.startsWith("seen=")).findFirst().orElse("(no stats)");
    }

    private static String defaultDevice(Netns ns) {
        Matcher m = Pattern.compile("\\bdev (\\S+)").matcher(
                ns.exec(TIMEOUT, "ip", "route", "show", "default").expectOk("ip route").out());
        if (!m.find()) fail("no default route in " + ns);
        return m.group(1);
    }

    /** The netem path needs both sch_netem and ifb (for the ingress); without either, the NFQUEUE impairer does it all. */
    private static boolean kernelHasNetem() {
        try (Netns scratch = Netns.create()) {
            return scratch.exec(TIMEOUT, "tc", "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms").exit() == 0
                    && scratch.exec(TIMEOUT, "ip", "link", "add", "tgprobe", "type", "ifb").exit() == 0;
        }
    }

    private static void iptables(Netns ns, String... rule) {
        List<String> cmd = new java.util.ArrayList<>(List.of("iptables"));
        cmd.addAll(List.of(rule));
        run(ns, cmd.toArray(String[]::new));
    }

    private static void run(Netns ns, String... cmd) {
        ns.exec(TIMEOUT, cmd).expectOk(String.join(" ", cmd));
    }

    private static String pct(double p) {
        return (p * 100) + "%";
    }
}
