package dev.tungate.gateway.ctl;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The standard requests a gateway answers: {@code conns}, {@code stats}, {@code capture SECONDS PATH},
 * {@code impair list|set NAME SPEC|clear NAME|flow FLOW SPEC}.
 * Other parts add theirs to the map before {@link CtlServer#start(Map, Path, CtlServer.Limits)}.
 */
public final class CtlRequests {
    private CtlRequests() { }

    /** conns, stats and capture of {@code target}, in the order an error message lists them. */
    public static Map<String, CtlRequest> standard(ControlTarget target) {
        Map<String, CtlRequest> m = new LinkedHashMap<>();
        m.put("conns", (x, args) -> x.finish(CtlFormat.conns(target.connections())));
        m.put("stats", (x, args) -> x.finish(CtlFormat.stats(target.stats())));
        m.put("capture", (x, args) -> capture(target, x, args));
        m.put("impair", (x, args) -> x.finish(impair(target, args)));
        m.put("forward", (x, args) -> x.finish(forward(target, args)));
        return m;
    }

    /** A bad request or SPEC answers one {@code error:} line; the running profiles stay as they were. */
    private static String impair(ControlTarget target, String args) {
        try {
            return target.impair(args);
        } catch (Exception e) {
            return "error: " + e.getMessage() + "\n";
        }
    }

    private static String forward(ControlTarget target, String args) {
        try {
            return target.forward(args);
        } catch (RuntimeException e) {
            return "error: " + e.getMessage() + "\n";
        }
    }

    /** "capturing to PATH ..." at once; after SECONDS (-1: when the client hangs up) "capture stopped: PATH". */
    private static void capture(ControlTarget target, CtlExchange x, String args) throws IOException {
        String[] f = args.split(" ", 2);
        long seconds;
        try {
            seconds = f.length == 2 ? Long.parseLong(f[0]) : Long.MIN_VALUE;
        } catch (NumberFormatException e) {
            seconds = Long.MIN_VALUE;
        }
        if (seconds < -1) {
            x.finish("error: bad capture request; expected 'capture SECONDS PATH'\n");
            return;
        }
        Path file = Path.of(f[1]);
        Closeable capture = target.capture(file);
        x.reply("capturing to " + file + (seconds >= 0 ? " for " + seconds + " s" : " until interrupted") + "\n");
        x.hold(seconds, () -> {
            try {
                capture.close();
                return "capture stopped: " + file + "\n";
            } catch (IOException e) {
                return "error: " + file + ": " + e.getMessage() + "\n";
            }
        });
    }
}
