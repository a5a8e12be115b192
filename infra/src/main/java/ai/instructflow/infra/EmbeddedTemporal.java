package ai.instructflow.infra;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.InProcessGRPCServer;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Temporal's in-memory service serving the real gRPC API on a loopback port: the embedded default
 * for a laptop and for tests. It keeps no history across restarts, which is why the run registry
 * lives in object storage, not here.
 *
 * <p>Assembled as {@code TestServer.createPortBoundServer} does, but bound to one address: that
 * method listens on every interface, and an unauthenticated Temporal frontend must not be reachable
 * from the network unless someone asks for it.
 *
 * <p>Clients in this process (the API and its worker) reach the same service through an in-process
 * channel instead: no socket, no HTTP/2 framing, and messages handed over as objects rather than
 * serialized, which is most of what a labeling queue's update costs beyond its own work.
 *
 * <p>Both serve through a {@link CrossedCancelGuard}, which mends how this service handles a cancel
 * that crosses an activity's completion.
 */
public final class EmbeddedTemporal implements AutoCloseable {

    private final TestServicesStarter services;
    private final Server server;
    private final InProcessGRPCServer inProcess;
    private final String host;

    private EmbeddedTemporal(TestServicesStarter services, Server server, InProcessGRPCServer inProcess, String host) {
        this.services = services;
        this.server = server;
        this.inProcess = inProcess;
        this.host = host;
    }

    /** Starts on {@code host}:{@code port}; port 0 takes a free one. */
    public static EmbeddedTemporal start(String host, int port) {
        // time skipping locked: timers and timeouts run on the wall clock, as in a real cluster
        TestServicesStarter services = new TestServicesStarter(true, 0);
        CrossedCancelGuard guard = new CrossedCancelGuard();
        List<BindableService> guarded = services.getServices().stream()
                .<BindableService>map(s -> () -> ServerInterceptors.intercept(s, guard))
                .toList();
        ServerBuilder<?> builder = NettyServerBuilder.forAddress(new InetSocketAddress(host, port));
        GRPCServerHelper.registerServicesAndHealthChecks(guarded, builder);
        InProcessGRPCServer inProcess = new InProcessGRPCServer(guarded);
        guard.connect(inProcess.getChannel());
        try {
            return new EmbeddedTemporal(services, builder.build().start(), inProcess, host);
        } catch (IOException e) {
            inProcess.shutdownNow();
            services.close();
            throw new UncheckedIOException("cannot start the embedded Temporal service on " + host + ":" + port, e);
        }
    }

    /** The gRPC target clients and workers connect to. */
    public String target() {
        return host + ":" + port();
    }

    /** The channel for clients in this process; closed with the service. */
    public ManagedChannel channel() {
        return inProcess.getChannel();
    }

    /** The port actually bound (a free one when started with 0). */
    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        inProcess.shutdownNow();
        server.shutdownNow();
        try {
            inProcess.awaitTermination(5, TimeUnit.SECONDS);
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        services.close();
    }
}
