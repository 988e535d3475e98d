package dev.tungate.gateway;

import dev.tungate.tun.Netns;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Start-up pre-touch: a few real TCP connections from inside the namespace to the gateway address,
 * relayed by the gateway to a throw-away echo socket on host loopback, before {@code ready}. The
 * first connection through a fresh JVM pays class loading and first-call costs on the whole path
 * (TUN read, SYN hold, upstream connect, engine, TUN write): about 100 ms to connect. Paying it
 * here keeps it off the user's first connection.
 *
 * <p>Each connection is connect, one byte each way, close with RST (SO_LINGER 0), so nothing is
 * left in TIME-WAIT, neither in the namespace nor in the gateway's tables. Several connections,
 * so that every shard is likely to see one. Best effort and bounded: any failure (host loopback
 * disabled, a policy rule, a slow box) just ends the warm-up.
 */
final class WarmUp {
    private static final Logger log = LogManager.getLogger();
    static final int CONNECTIONS = 4;
    private static final int TIMEOUT_MILLIS = 1000;

    private WarmUp() {
    }

    /**
     * Runs the warm-up connections from {@code ns} to {@code gatewayAddress}:port, where port is an
     * echo socket bound on {@code hostSide}'s address; {@code hostSide} is null when the gateway address
     * does not reach the host (then nothing is done). Returns how many connections completed.
     */
    static int run(Netns ns, InetAddress gatewayAddress, InetAddress hostSide) {
        if (hostSide == null) {
            return 0;
        }
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(hostSide, 0), CONNECTIONS);
            server.setSoTimeout(TIMEOUT_MILLIS);
            Thread echo = new Thread(() -> echo(server), "tungate-warmup-echo");
            echo.setDaemon(true);
            echo.start();
            int done = ns.call(() -> connect(new InetSocketAddress(gatewayAddress, server.getLocalPort())));
            echo.join(TIMEOUT_MILLIS);
            return done;
        } catch (IOException | RuntimeException e) {
            log.debug("warm-up ended early: {}", e.toString());
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** Inside the namespace: the client side of each connection. */
    private static int connect(InetSocketAddress to) {
        int done = 0;
        for (int i = 0; i < CONNECTIONS; i++) {
            try (Socket s = new Socket()) {
                s.setTcpNoDelay(true);
                s.setSoTimeout(TIMEOUT_MILLIS);
                s.connect(to, TIMEOUT_MILLIS);
                s.getOutputStream().write('w');
                if (s.getInputStream().read() != 'w') {
                    break;
                }
                s.setSoLinger(true, 0);
                done++;
            } catch (IOException e) {
                log.debug("warm-up connection {} failed: {}", i, e.toString());
                break;
            }
        }
        return done;
    }

    /** Host side: echo one byte per connection, then wait for the client's RST (or EOF). */
    private static void echo(ServerSocket server) {
        for (int i = 0; i < CONNECTIONS; i++) {
            try (Socket c = server.accept()) {
                c.setSoTimeout(TIMEOUT_MILLIS);
                InputStream in = c.getInputStream();
                int b = in.read();
                if (b < 0) {
                    return;
                }
                c.getOutputStream().write(b);
                in.read();
            } catch (IOException e) {
                if (!(e instanceof java.net.SocketException)) {  // a reset is the normal end of a connection
                    return;
                }
            }
        }
    }
}
