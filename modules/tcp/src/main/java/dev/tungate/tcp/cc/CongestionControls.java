package dev.tungate.tcp.cc;

/** Picks a congestion controller by its configured name ({@code TcpConfig.congestionControl}). */
public final class CongestionControls {
    private CongestionControls() { }

    /**
     * A fresh controller for one connection.
     *
     * @param name "cubic" (RFC 9438) or "newreno" (RFC 5681 + RFC 6582), case-insensitive
     * @param smss the sender maximum segment size in bytes, as negotiated (RFC 5681 §2)
     * @throws IllegalArgumentException for an unknown name or a non-positive SMSS (configuration errors)
     */
    public static CongestionControl create(String name, int smss) {
        if (smss <= 0) {
            throw new IllegalArgumentException("smss must be positive, was " + smss);
        }
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "cubic" -> new Cubic(smss);
            case "newreno" -> new NewReno(smss);
            default -> throw new IllegalArgumentException(
                    "congestion control: expected \"cubic\" or \"newreno\", got \"" + name + "\"");
        };
    }
}
