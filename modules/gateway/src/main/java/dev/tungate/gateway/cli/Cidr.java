package dev.tungate.gateway.cli;

import dev.tungate.gateway.config.AddressText;
import dev.tungate.gateway.config.GatewayConfig;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** An interface address with its prefix length, as in {@code ip addr add 10.0.2.100/24}. */
public record Cidr(InetAddress address, int prefixLength) {

    /**
     * Parses {@code ADDRESS/PREFIX} of the given family (4 or 6). Only literals are accepted:
     * nothing is looked up in DNS.
     */
    public static Cidr parse(String text, int family) {
        String example = family == 4 ? "10.0.2.100/24" : "fd00::100/64";
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new TypeConversionException("'" + text + "' has no prefix length: expected ADDRESS/PREFIX, e.g. " + example);
        }
        InetAddress a = ipLiteral(text.substring(0, slash), family);
        int max = family == 4 ? 32 : 128;
        int p;
        try {
            p = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            p = -1;
        }
        if (p < 1 || p > max - 1) {
            throw new TypeConversionException("'" + text + "' has a bad prefix length: expected 1.." + (max - 1) + ", e.g. " + example);
        }
        return new Cidr(a, p);
    }

    /** An IPv4 (family 4) or IPv6 (family 6) literal; never a host name. */
    public static InetAddress ipLiteral(String text, int family) {
        String s = text.trim();
        boolean looksV4 = !s.isEmpty() && s.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9') && s.split("\\.", -1).length == 4;
        boolean looksV6 = s.indexOf(':') >= 0 && s.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0);
        InetAddress a = null;
        if (family == 4 ? looksV4 : looksV6) {
            try {
                a = InetAddress.getByName(s);   // a literal: parsed, never resolved
            } catch (UnknownHostException e) {
                a = null;
            }
        }
        boolean ok = family == 4 ? a instanceof Inet4Address : a instanceof Inet6Address;
        if (!ok) {
            throw new TypeConversionException("'" + text + "' is not an IPv" + family + " address: expected e.g. "
                    + (family == 4 ? "10.0.2.2" : "fd00::2"));
        }
        return a;
    }

    /** True when {@code other} lies inside this prefix. */
    public boolean contains(InetAddress other) {
        byte[] a = address.getAddress();
        byte[] b = other.getAddress();
        if (a.length != b.length) {
            return false;
        }
        for (int bit = 0; bit < prefixLength; bit++) {
            int mask = 0x80 >>> (bit & 7);
            if ((a[bit >>> 3] & mask) != (b[bit >>> 3] & mask)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return AddressText.of(address) + "/" + prefixLength;
    }

    /** picocli converter for IPv4 CIDRs. */
    public static final class V4 implements ITypeConverter<Cidr> {
        @Override
        public Cidr convert(String value) {
            return parse(value, 4);
        }
    }

    /** picocli converter for IPv6 CIDRs. */
    public static final class V6 implements ITypeConverter<Cidr> {
        @Override
        public Cidr convert(String value) {
            return parse(value, 6);
        }
    }

    /** picocli converter for IPv4 literals. */
    public static final class Ip4 implements ITypeConverter<InetAddress> {
        @Override
        public InetAddress convert(String value) {
            return ipLiteral(value, 4);
        }
    }

    /** picocli converter for IPv6 literals. */
    public static final class Ip6 implements ITypeConverter<InetAddress> {
        @Override
        public InetAddress convert(String value) {
            return ipLiteral(value, 6);
        }
    }
}
