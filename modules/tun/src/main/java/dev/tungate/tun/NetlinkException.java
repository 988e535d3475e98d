package dev.tungate.tun;

/**
 * The kernel refused an rtnetlink request, e.g. {@code netlink RTM_NEWADDR 10.0.2.100/24 on tun0: File exists}.
 * {@link #errno()} is the positive errno from the NLMSG_ERROR answer (0 when the failure was local).
 */
public final class NetlinkException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    public NetlinkException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
