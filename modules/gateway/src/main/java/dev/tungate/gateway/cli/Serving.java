package dev.tungate.gateway.cli;

import dev.tungate.gateway.Gateway;
import dev.tungate.gateway.config.GatewayConfig;
import dev.tungate.gateway.ctl.ControlTarget;
import dev.tungate.gateway.ctl.CtlServer;
import dev.tungate.gateway.confine.Confinement;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
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
        Path path = cfg.controlSocket != null ? cfg.controlSocket : CtlServer.defaultPath(cfg.netns);
        try {
            cfg.forwards.forEach(gw.forwards()::add);   // before confinement: a port below 1024 needs the capability
        } catch (IllegalArgumentException e) {
            gw.close();
            throw new UsageError(e.getMessage());
        }
        try {
            return new Serving(gw, CtlServer.start(ControlTarget.of(gw), path));
        } catch (IOException e) {
            gw.close();
            // A FileSystemException's message is often just the path; its reason is the news.
            String why = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
            throw new UsageError("control socket " + path + ": " + why);
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
