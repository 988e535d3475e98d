package dev.tungate.gateway.emu;

/** Who shares a profile's links: each flow its own pair ({@code scope=flow}), or one pair per rule. */
public enum Scope {
    /** Each flow gets its own up and down {@link Link}, its own PRNG seeded from its 4-tuple. */
    FLOW,
    /** Everything a policy rule matches shares one up and one down {@link Link}: one bottleneck. */
    RULE
}
