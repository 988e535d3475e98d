package dev.tungate.gateway.emu;

/**
 * A parsed impairment SPEC such as {@code "delay=25ms down.rate=20mbit loss=1% seed=7"}: the
 * packet impairments of each direction ({@link #up()} = namespace → outside, {@link #down()} =
 * outside → namespace), the stream impairments, the PRNG seed and the sharing scope. Immutable;
 * see {@link SpecParser} for the grammar and the package documentation for the keys.
 */
public final class ImpairProfile {
    /** The empty profile: every frame passes at once. */
    public static final ImpairProfile NONE = new ImpairProfile(DirectionProfile.EMPTY, DirectionProfile.EMPTY,
            StreamImpairments.NONE, 0, Scope.FLOW, "");

    private final DirectionProfile up, down;
    private final StreamImpairments stream;
    private final long seed;
    private final Scope scope;
    private final String spec;

    ImpairProfile(DirectionProfile up, DirectionProfile down, StreamImpairments stream, long seed, Scope scope,
            String spec) {
        this.up = up;
        this.down = down;
        this.stream = stream;
        this.seed = seed;
        this.scope = scope;
        this.spec = spec;
    }

    /** Parses a SPEC; a bad key or value throws with one line {@code KEY: found 'X', expected Y}. */
    public static ImpairProfile parse(String spec) throws SpecException {
        return SpecParser.parse(spec);
    }

    /** Namespace → outside. */
    public DirectionProfile up() { return up; }

    /** Outside → namespace. */
    public DirectionProfile down() { return down; }

    /** {@code seed=N}, 0 when not given: fates are reproducible by default. */
    public long seed() { return seed; }

    public Scope scope() { return scope; }

    public StreamImpairments stream() { return stream; }

    /** True when neither direction impairs a packet or a stream (seed and scope do not count). */
    public boolean isEmpty() {
        return up.isEmpty() && down.isEmpty() && stream.isEmpty();
    }

    /** The canonical SPEC: fixed key order, a key given the same way both directions without prefix, units normalised. */
    public String spec() { return spec; }

    @Override
    public String toString() {
        return spec;
    }
}
