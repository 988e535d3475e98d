package dev.tungate.gateway.ctl;

import java.io.IOException;

/**
 * One kind of control request, named by the first word of the request line. {@link #serve} runs on
 * the control server's worker thread (never a shard's loop, never the control socket's loop), so it
 * may block briefly on the gateway; it answers through the exchange and must end it (finish, or hold
 * until a deadline or the client's hang-up). A thrown exception answers {@code error: MESSAGE}.
 */
@FunctionalInterface
public interface CtlRequest {
    /** {@code args}: the rest of the request line after the name and one space ("" when none). */
    void serve(CtlExchange exchange, String args) throws IOException;
}
