package dev.tungate.gateway.cli;

import dev.tungate.gateway.Gateway;
import dev.tungate.gateway.config.GatewayConfig;
import dev.tungate.tun.Netns;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code tungate exec [options] -- CMD ARGS...}: like {@code pasta -- CMD}. A fresh anonymous
 * namespace, the gateway on it, CMD run inside through {@code nsenter --net=PATH} (util-linux)
 * with this process's stdin/stdout/stderr; exits with CMD's status and leaves nothing behind
 * (the namespace dies with its last reference, the device with its queues). Ctrl-C is the
 * command's to handle (SIGINT is ignored here; the terminal sends it to both); SIGTERM or SIGHUP
 * stop the command and then the gateway.
 */
@Command(name = "exec", mixinStandardHelpOptions = true,
        footer = {
                "  tungate exec -- curl http://10.0.2.2:8080/       # 10.0.2.2 is the host's 127.0.0.1",
                "  tungate exec -v --mtu 1500 -- iperf3 -c 10.0.2.2  # log start and stop too",
                "  tungate exec -- bash                              # a shell with its own network",
                "",
                "Default network (slirp4netns's plan), MTU 65520:",
                "  10.0.2.100/24, gateway 10.0.2.2 (= host 127.0.0.1), DNS 10.0.2.3",
                "  fd00::100/64, gateway fd00::2 (= host ::1), DNS fd00::3",
                "A SYN is answered only after the real destination answered: refused -> RST",
                "(ECONNREFUSED), unreachable or timed out -> ICMP host unreachable."},
        description = {"Run CMD in a fresh network namespace served by tungate; exit with CMD's status.",
                "Silent on success (only errors are logged; -v for more), as pasta runs a command."})
final class ExecCommand implements Callable<Integer> {
    private static final Logger log = LogManager.getLogger();

    @Mixin
    NetworkOptions net;

    @Parameters(arity = "1..*", paramLabel = "CMD", description = "command and arguments to run inside (after --)")
    List<String> command;

    @Override
    public Integer call() throws Exception {
        GatewayConfig cfg = net.toConfig();
        Signals signals = Signals.install("TERM", "HUP");
        Signals.ignoreInterrupt();
        Netns ns = Netns.create(null);
        cfg.netns = ns.path();
        Gateway gw;
        try {
            gw = Gateway.start(cfg, ns, true);
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        Serving serving = Serving.of(gw, cfg);
        gw.warmUp();
        Process child;
        try {
            List<String> argv = new ArrayList<>();
            argv.add("nsenter");
            argv.add("--net=" + ns.path());
            argv.add("--");
            argv.addAll(command);
            child = new ProcessBuilder(argv).inheritIO().start();
        } catch (Exception e) {
            serving.close();
            throw new UsageError("cannot start " + command.get(0) + " inside the namespace: " + e.getMessage()
                    + " (expected nsenter from util-linux on PATH)");
        }
        // After the child started: it is the user's command, run as they asked, not confined like the gateway.
        serving.confine(!net.noSeccomp);
        child.onExit().thenRun(() -> signals.trigger("child exited"));
        gw.deviceLost().thenAccept(signals::fail);
        String why = signals.await();
        int status;
        if (signals.failed()) {
            log.error("{}; stopping {}", why, command.get(0));
            child.destroy();
            child.waitFor();
            status = Main.EXIT_FAILURE;
        } else if (child.isAlive()) {
            log.info("{}: stopping {}", why, command.get(0));
            child.destroy();
            status = child.waitFor();
        } else {
            status = child.exitValue();
        }
        Signals.watchdog(RunCommand.EXIT_DEADLINE_MILLIS, status);
        serving.close();
        return status;
    }
}
