package dev.tungate.gateway.cli;

import dev.tungate.gateway.demo.Demo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tungate demo}: fetch a page from host loopback through tungate and narrate every segment. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Fetch a page through tungate and show every TCP segment of it.",
                "A fresh namespace fetches a page served on the host's loopback; every segment both ways is "
                        + "printed with each side's TCP state. Needs root and /dev/net/tun."},
        footer = {
                "  tungate demo                  # the handshake, the request, the close",
                "  tungate demo --msl 2000       # a longer TIME-WAIT (2 x MSL)"})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--msl", paramLabel = "MILLIS", defaultValue = "500",
            description = "maximum segment lifetime for the demo (TIME-WAIT lasts 2 x MSL), default ${DEFAULT-VALUE}")
    long mslMillis;

    @Override
    public Integer call() throws Exception {
        if (mslMillis < 1 || mslMillis > 60_000) {
            throw new UsageError("invalid --msl " + mslMillis + ": expected 1..60000 milliseconds");
        }
        return new Demo(System.out, mslMillis).run();
    }
}
