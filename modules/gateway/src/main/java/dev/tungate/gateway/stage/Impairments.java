package dev.tungate.gateway.stage;

import dev.tungate.gateway.config.GatewayConfig;
import dev.tungate.gateway.config.PolicyRule;
import dev.tungate.gateway.emu.ImpairProfile;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway's impairment profiles by name, shared by every shard: {@code impair.NAME} lines,
 * {@code --impair} (named {@link #ALL}), and runtime changes from ctl. Read by the shards' loops,
 * written by ctl threads: a copy-on-write map behind a volatile, so a loop never locks.
 */
public final class Impairments {
    /** The name of {@code --impair SPEC} / {@code impair = SPEC}: every flow no rule names a profile for. */
    public static final String ALL = "all";

    private final List<PolicyRule> rules;
    private volatile Map<String, ImpairProfile> profiles;

    public Impairments(GatewayConfig cfg) {
        this.rules = List.copyOf(cfg.rules);
        Map<String, ImpairProfile> m = new LinkedHashMap<>(cfg.impairProfiles);
        if (cfg.impairAll != null) {
            m.put(ALL, cfg.impairAll);
        }
        profiles = Map.copyOf(m);
        ordered = List.copyOf(m.keySet());
    }

    private volatile List<String> ordered;

    /** True when any profile exists (the stage is installed only then). */
    public boolean any() {
        return !profiles.isEmpty();
    }

    /** The profile name for a destination (first matching rule's impair=, else ALL when defined), or null. */
    public String nameFor(InetAddress dst, int port) {
        PolicyRule r = PolicyRule.first(rules, dst, port);
        if (r != null && r.impair() != null) {
            return r.impair();
        }
        return profiles.containsKey(ALL) ? ALL : null;
    }

    public ImpairProfile profile(String name) {
        return profiles.get(name);
    }

    /** Names in definition order. */
    public List<String> names() {
        return ordered;
    }

    /** Adds or replaces a profile (ctl impair set); the caller then tells each shard. */
    public synchronized void put(String name, ImpairProfile p) {
        Map<String, ImpairProfile> m = new LinkedHashMap<>();
        for (String n : ordered) {
            m.put(n, profiles.get(n));
        }
        m.put(name, p);
        ordered = List.copyOf(m.keySet());
        profiles = Map.copyOf(m);
    }
}
