package dev.tungate.gateway.cli;

import dev.tungate.gateway.Gateway;
import dev.tungate.gateway.config.GatewayConfig;
import dev.tungate.gateway.ctl.ControlTarget;
import dev.tungate.gateway.ctl.CtlServer;
import java.io.IOException;

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

    /** The control socket 'tungate ctl' reaches this gateway through. */
    java.nio.file.Path controlSocket() {
        return ctl.path();
    }

    @Override
    public void close() {
        ctl.close();
        gateway.close();
    }
}
