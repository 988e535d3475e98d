package dev.tungate.gateway.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * 2% loss, 1% duplication, 25% reordering and 1 ms delay on the namespace's side of the gateway.
 * With sch_netem, a netem qdisc on the namespace's default-route device (its egress: namespace to gateway).
 * Without it (this kernel), the fixture nfq_impair.py on NFQUEUE, fed by iptables with the namespace's TCP in both
 * directions, seeded; its counters prove it acted.
 */
final class Impairment implements AutoCloseable {
    static final double LOSS = 0.02, DUPLICATE = 0.01, REORDER = 0.25, DELAY_MS = 1;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int QUEUE = 7;
    private static final String MARK = "0x7e1";
    private static final Pattern STATS = Pattern.compile("seen=(\\d+) lost=(\\d+) delayed=(\\d+) reordered=(\\d+) "
            + "duplicated=(\\d+) overruns=(\\d+)");

    final String description;
    private final Background impairer;
    private String stats = "";

    private Impairment(String description, Background impairer) {
        this.description = description;
        this.impairer = impairer;
    }

    static Impairment apply(Netns ns, long seed) {
        String dev = defaultDevice(ns);
        if (kernelHasNetem()) {
            ns.exec(TIMEOUT, "tc", "qdisc", "add", "dev", dev, "root", "netem", "delay", DELAY_MS + "ms",
                    "reorder", pct(REORDER), "loss", pct(LOSS), "duplicate", pct(DUPLICATE)).expectOk("netem");
            return new Impairment("tc netem on " + dev + " egress (namespace to gateway)", null);
        }
        String q = Integer.toString(QUEUE);
        for (String chain : List.of("OUTPUT -o", "INPUT -i")) {
            String[] c = chain.split(" ");
            if (c[0].equals("OUTPUT")) {
                iptables(ns, "-A", "OUTPUT", "-o", dev, "-p", "tcp", "-m", "mark", "--mark", MARK, "-j", "ACCEPT");
            }
            iptables(ns, "-A", c[0], c[1], dev, "-p", "tcp", "-j", "NFQUEUE", "--queue-num", q, "--queue-bypass");
        }
        Background imp = ns.start("nfq-impair", "python3", "-u", ItEnv.fixture("nfq_impair.py").toString(),
                "--queue", q, "--loss", Double.toString(LOSS), "--dup", Double.toString(DUPLICATE),
                "--reorder", Double.toString(REORDER), "--delay-ms", Double.toString(DELAY_MS), "--mark", MARK,
                "--seed", Long.toString(seed)).awaitLine("ready", Servers.START_TIMEOUT);
        return new Impairment("NFQUEUE impairer (nfq_impair.py, seed " + seed + ") on " + dev + ", both directions",
                imp);
    }

    /** True when the impairer saw traffic and lost, duplicated and reordered some of it (or netem did the job). */
    boolean acted() {
        Matcher m = STATS.matcher(stats);
        return impairer == null || m.find() && Long.parseLong(m.group(2)) > 0 && Long.parseLong(m.group(4)) > 0
                && Long.parseLong(m.group(5)) > 0;
    }

    String stats() {
        return stats;
    }

    /** Stops the impairer (it accepts what it holds first) and keeps its counters. */
    @Override
    public void close() {
        if (impairer == null || !impairer.alive()) return;
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

    private static boolean kernelHasNetem() {
        try (Netns scratch = Netns.create()) {
            return scratch.exec(TIMEOUT, "tc", "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms").exit() == 0;
        }
    }

    private static void iptables(Netns ns, String... rule) {
        List<String> cmd = new java.util.ArrayList<>(List.of("iptables"));
        cmd.addAll(List.of(rule));
        ns.exec(TIMEOUT, cmd.toArray(String[]::new)).expectOk(String.join(" ", cmd));
    }

    private static String pct(double p) {
        return (p * 100) + "%";
    }
}
