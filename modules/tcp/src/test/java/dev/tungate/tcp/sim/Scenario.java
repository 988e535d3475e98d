package dev.tungate.tcp.sim;

import dev.tungate.tcp.TcpConfig;
import java.util.SplittableRandom;

/**
 * Everything one simulation run varies, drawn from its seed: the link impairments in each
 * direction, both engines' configurations, the transfer sizes, the applications' pacing, and who
 * closes when. The same seed always yields the same scenario, hence the same run.
 */
final class Scenario {
    static final long MS = 1_000_000L;

    /** Who closes, and when (RFC 9293 §3.6). */
    enum ClosePolicy {
        /** Each side closes as soon as its own bytes are queued: FINs often cross. */
        EACH_WHEN_DONE,
        /** The client closes after sending; the server closes after the client's FIN and its own bytes (half-close). */
        CLIENT_FIRST,
        /** Mirrored: the server closes first, the client keeps sending in CLOSE-WAIT. */
        SERVER_FIRST,
        /** Both close at the same instant once both have queued everything (simultaneous close, §3.6 Fig. 13). */
        SIMULTANEOUS
    }

    /** One direction of the emulated path. */
    record Link(long delayNanos, long jitterNanos, double loss, double duplicate, double reorder, double corrupt,
            double ceMark, long bytesPerSecond, int queueBytes) {
        static Link draw(SplittableRandom r, boolean large, double severity) {
            long delay = r.nextLong(100_000, 60 * MS);
            long jitter = r.nextInt(4) == 0 ? 0 : r.nextLong(0, delay / 2 + 1);
            double loss = r.nextInt(5) == 0 ? 0 : r.nextDouble() * (large ? 0.02 : 0.08) * severity;
            double duplicate = r.nextInt(3) == 0 ? 0 : r.nextDouble() * 0.03 * severity;
            double reorder = r.nextInt(3) == 0 ? 0 : r.nextDouble() * 0.05 * severity;
            double corrupt = r.nextInt(3) == 0 ? 0 : r.nextDouble() * 0.02 * severity;
            double ceMark = r.nextInt(2) == 0 ? 0 : r.nextDouble() * 0.05;
            boolean bottleneck = r.nextBoolean();
            long rate = bottleneck ? r.nextLong(200_000, 50_000_000) : 0;
            int queue = bottleneck ? r.nextInt(8_000, 512_000) : 0;
            return new Link(delay, jitter, loss, duplicate, reorder, corrupt, ceMark, rate, queue);
        }

    }

    /** The applications on one side: how much they send, in what chunks, how fast they read. */
    record App(int bytesToSend, int maxChunk, long writeGapNanos, long readDelayNanos, double readStall) {
        static App draw(SplittableRandom r, boolean large) {
            int bytes = large ? r.nextInt(1 << 20, 4 << 20) : (r.nextInt(8) == 0 ? 0 : r.nextInt(1, 64 << 10));
            int chunk = r.nextInt(4) == 0 ? r.nextInt(1, 200) : r.nextInt(1, 64 << 10);
            // Pauses between writes only for small transfers: megabytes in tiny paced chunks would take hours.
            long writeGap = !large && r.nextInt(3) == 0 ? r.nextLong(0, 50 * MS) : 0;
            long readDelay = r.nextInt(2) == 0 ? 0 : r.nextLong(0, 20 * MS);
            double stall = r.nextInt(4) == 0 ? r.nextDouble() * 0.02 : 0;
            return new App(bytes, chunk, writeGap, readDelay, large ? stall / 10 : stall);
        }
    }

    final long seed;
    final boolean large;
    final Link clientToServer;
    final Link serverToClient;
    final TcpConfig clientConfig;
    final TcpConfig serverConfig;
    final App client;
    final App server;
    final int clientIss;
    final int serverIss;
    final ClosePolicy close;
    /** Super-segments reach the peer whole (GSO to a vnet_hdr TUN reader), not cut into MSS pieces. */
    final boolean superSegmentsWhole;
    /** Seed of the random stream that decides each packet's fate, separate from the scenario's. */
    final long linkSeed;

    private Scenario(long seed, boolean large, Link c2s, Link s2c, TcpConfig cc, TcpConfig sc, App client, App server,
            int clientIss, int serverIss, ClosePolicy close, boolean superSegmentsWhole, long linkSeed) {
        this.seed = seed;
        this.large = large;
        this.clientToServer = c2s;
        this.serverToClient = s2c;
        this.clientConfig = cc;
        this.serverConfig = sc;
        this.client = client;
        this.server = server;
        this.clientIss = clientIss;
        this.serverIss = serverIss;
        this.close = close;
        this.superSegmentsWhole = superSegmentsWhole;
        this.linkSeed = linkSeed;
    }

    /** Seeds divisible by {@code largeEvery} move megabytes; the rest tens of kilobytes. */
    static Scenario fromSeed(long seed, int largeEvery) {
        return fromSeed(seed, largeEvery, 1.0);
    }

    /** As {@link #fromSeed(long, int)}, with loss, duplication, reordering and corruption rates scaled by {@code severity}. */
    static Scenario fromSeed(long seed, int largeEvery, double severity) {
        SplittableRandom r = new SplittableRandom(seed);
        boolean large = largeEvery > 0 && seed % largeEvery == 0;
        Link c2s = Link.draw(r, large, severity);
        Link s2c = r.nextInt(3) == 0 ? c2s : Link.draw(r, large, severity);
        TcpConfig cc = config(r);
        TcpConfig sc = r.nextInt(3) == 0 ? cc : config(r);
        App client = App.draw(r, large);
        App server = App.draw(r, large && r.nextBoolean());
        ClosePolicy close = ClosePolicy.values()[r.nextInt(ClosePolicy.values().length)];
        return new Scenario(seed, large, c2s, s2c, cc, sc, client, server, iss(r), iss(r), close, r.nextBoolean(),
                r.nextLong());
    }

    /** Half the ISNs sit just below the wrap, so sequence numbers cross 2^32 during the transfer. */
    private static int iss(SplittableRandom r) {
        return r.nextBoolean() ? -1 - r.nextInt(70_000) : r.nextInt();
    }

    private static TcpConfig config(SplittableRandom r) {
        TcpConfig c = new TcpConfig();
        int[] mss = {536, 1000, 1460, 1460};
        c.mss = mss[r.nextInt(mss.length)];
        c.sack = r.nextInt(5) != 0;
        c.timestamps = r.nextInt(5) != 0;
        c.windowScaling = r.nextInt(5) != 0;
        c.congestionControl = r.nextBoolean() ? "cubic" : "newreno";
        c.ecn = r.nextInt(3) == 0;
        c.gsoMaxBytes = r.nextInt(4) == 0 ? 64 << 10 : 0;
        c.nagle = r.nextInt(4) != 0;
        if (r.nextInt(4) == 0) {
            // Keepalive probes during idle periods (paced writes, stalled readers, half-closed waits).
            c.keepaliveIdleNanos = r.nextLong(100 * MS, 2_000 * MS);
            c.keepaliveIntervalNanos = r.nextLong(100 * MS, 1_000 * MS);
            // Enough probes that losing every probe or its answer (a legitimate TIMED_OUT) stays
            // improbable even at the harsh seeds' loss rates: about 0.5^20 per idle period.
            c.keepaliveProbes = 20;
        }
        int[] buffers = {8 << 10, 64 << 10, 256 << 10, 1 << 20};
        c.receiveBufferBytes = Math.max(4 * c.mss, buffers[r.nextInt(buffers.length)]);
        c.sendBufferBytes = Math.max(4 * c.mss, buffers[r.nextInt(buffers.length)]);
        return c;
    }

    private static String describe(TcpConfig c) {
        return "mss=" + c.mss + " sack=" + c.sack + " ts=" + c.timestamps + " ws=" + c.windowScaling + " ecn=" + c.ecn
                + " nagle=" + c.nagle + " keepalive=" + c.keepaliveIdleNanos / MS + "ms gso=" + c.gsoMaxBytes + " cc=" + c.congestionControl + " rcvbuf=" + c.receiveBufferBytes + " sndbuf="
                + c.sendBufferBytes;
    }

    @Override
    public String toString() {
        return "seed " + seed + (large ? " (large)" : "") + "\n  client->server " + clientToServer
                + "\n  server->client " + serverToClient + "\n  client config " + describe(clientConfig)
                + "\n  server config " + describe(serverConfig) + "\n  client app " + client + "\n  server app " + server
                + "\n  iss client=" + Integer.toUnsignedString(clientIss) + " server="
                + Integer.toUnsignedString(serverIss) + "\n  close " + close + (superSegmentsWhole
                ? ", super-segments arrive whole" : ", super-segments cut to MSS");
    }
}
