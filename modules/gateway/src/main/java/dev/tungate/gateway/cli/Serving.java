package dev.tungate.gateway.cli;

import dev.tungate.gateway.Gateway;
import dev.tungate.gateway.config.GatewayConfig;
import dev.tungate.gateway.ctl.ControlTarget;
import dev.tungate.gateway.ctl.CtlServer;
import dev.tungate.gateway.confine.Confinement;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;

/** A started gateway with its control socket, stopped in the reverse order. Shared by run and exec. */
final class Serving implements AutoCloseable {
    private final Gateway gateway;
    private final CtlServer ctl;

    private Serving(Gateway gateway, CtlServer ctl) {
        this.gateway = gateway;
        this.ctl = ctl;
    }

    /** Opens the control socket for a started gateway; on failure the gateway is closed and the user told why. */
    static Serving of(Gateway gw, GatewayConfig cfg) {
        try {
            return new Serving(gw, CtlServer.start(ControlTarget.of(gw),
                    cfg.controlSocket != null ? cfg.controlSocket : CtlServer.defaultPath(cfg.netns)));
        } catch (IOException e) {
            gw.close();
            throw new UsageError(e.getMessage());
        }
    }

    /**
     * After set-up, before serving untrusted traffic: drops capabilities on every thread we own, sets
     * no_new_privs and installs the seccomp filter unless {@code seccomp} is false ({@code --no-seccomp}).
     */
    void confine(boolean seccomp) {
        List<ExecutorService> ours = new ArrayList<>(ctl.threads());
        Confinement.apply(gateway.loops(), ours, seccomp);
    }

    @Override
    public void close() {
        ctl.close();
        gateway.close();
    }
}
