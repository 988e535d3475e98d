package dev.tungate.gateway.cli;

import dev.tungate.gateway.Gateway;
import dev.tungate.gateway.config.GatewayConfig;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tungate run --netns NS}: serve an existing namespace until SIGTERM/SIGINT. Prints exactly
 * one line, {@code ready}, on stdout once the device is up and every queue is read, so scripts
 * can wait for it. Default network (slirp4netns's): 10.0.2.100/24 via 10.0.2.2, DNS 10.0.2.3;
 * IPv6 fd00::100/64 via fd00::2, DNS fd00::3; MTU 65520. Before {@code ready} a few warm-up
 * connections run through the gateway ({@link Gateway#warmUp}). If the device disappears while
 * serving (deleted from outside, namespace destroyed) it logs one ERROR line, cleans up and exits 1.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        footer = {
                "  ip netns add box && tungate run --netns box &",
                "  ip netns exec box curl http://10.0.2.2:8080/      # the host's 127.0.0.1:8080",
                "  tungate run --netns box --ready-fd 3 3>ready      # '1' in ready once serving",
                "  systemctl start tungate@box                       # as a service: man tungate-run",
                "",
                "Default network (slirp4netns's plan), MTU 65520:",
                "  10.0.2.100/24, gateway 10.0.2.2 (= host 127.0.0.1), DNS 10.0.2.3",
                "  fd00::100/64, gateway fd00::2 (= host ::1), DNS fd00::3",
                "A SYN is answered only after the real destination answered: refused -> RST",
                "(ECONNREFUSED), unreachable or timed out -> ICMP host unreachable."},
        description = {"Give an existing network namespace its network through a TUN device until SIGTERM/SIGINT.",
                "Prints 'ready' on stdout once serving (and tells systemd, --ready-fd and --pid-file). "
                        + "Logs one line at start and one at stop. The gateway address is the host's loopback."})
final class RunCommand implements Callable<Integer> {
    private static final Logger log = LogManager.getLogger();
    /** Cleanup must end within the promised 2 s. */
    static final long EXIT_DEADLINE_MILLIS = 1800;

    @Option(names = "--netns", required = true, paramLabel = "NS",
            description = "target namespace: NAME (/run/netns/NAME), /run/netns/NAME, /proc/PID/ns/net, or PID")
    String netns;

    @Mixin
    NetworkOptions net;

    @Mixin
    Readiness readiness;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        GatewayConfig cfg = net.toConfig();
        cfg.netns = netns;
        readiness.check();
        Signals signals = Signals.install();
        Gateway gw = Gateway.start(cfg);
        Serving serving = Serving.of(gw, cfg);
        gw.warmUp();
        serving.confine(!net.noSeccomp);
        gw.deviceLost().thenAccept(signals::fail);
        // The one INFO line of the start: the effective config, once, as Netty logs its -D settings.
        log.info("tungate ready: {}, control socket {}", cfg.describe(), serving.controlSocket());
        PrintWriter out = spec.commandLine().getOut();
        out.println("ready");
        out.flush();
        try {
            readiness.ready("serving " + cfg.tunName + " in " + netns);
        } catch (RuntimeException e) {
            serving.close();
            throw e;
        }
        String why = signals.await();
        readiness.stopping();
        int status = signals.failed() ? Main.EXIT_FAILURE : 0;
        if (signals.failed()) {
            log.error("{}; stopping", why);
        }
        Signals.watchdog(EXIT_DEADLINE_MILLIS, status);
        serving.close();
        readiness.stopped();
        // The one INFO line of the stop.
        log.info("tungate stopped ({}): {} removed", why, cfg.tunName);
        return status;
    }
}
