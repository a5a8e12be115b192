package ai.instructflow.infra;

import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * Temporal's in-memory service serving the real gRPC API on a port: the embedded default for a laptop
 * and for tests. It keeps no history across restarts, which is why the run registry lives in object
 * storage, not here.
 */
public final class EmbeddedTemporal implements AutoCloseable {

    private final TestServer.PortBoundTestServer server;
    private final int port;

    private EmbeddedTemporal(TestServer.PortBoundTestServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Starts on {@code port}, or on a free port when it is 0. */
    public static EmbeddedTemporal start(int port) {
        int bound = port == 0 ? freePort() : port;
        // Time skipping locked: timers and timeouts run on the wall clock, as in a real cluster.
        return new EmbeddedTemporal(TestServer.createPortBoundServer(bound, true), bound);
    }

    /** The gRPC target clients and workers connect to. */
    public String target() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.close();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for the embedded Temporal service", e);
        }
    }
}
