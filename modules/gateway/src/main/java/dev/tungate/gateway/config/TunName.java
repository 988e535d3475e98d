package dev.tungate.gateway.config;

import java.util.regex.Pattern;

/** A TUN device name the kernel takes: IFNAMSIZ is 16 with the NUL, and no '/', ':' or blanks. */
public final class TunName {
    private TunName() { }

    /** What a good name looks like, for "expected ..." in errors. */
    public static final String EXPECTED = "an interface name of 1..15 letters, digits, '_', '.', '-'";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,15}");

    /** The name when valid; else IllegalArgumentException with {@link #EXPECTED}. */
    public static String check(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(EXPECTED);
        }
        return name;
    }
}
