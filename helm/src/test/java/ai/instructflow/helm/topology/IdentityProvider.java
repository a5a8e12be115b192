package ai.instructflow.helm.topology;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * What a cluster's identity provider is to the API, in a few lines: an RSA key pair whose public key is served over
 * HTTP (the chart's {@code auth.publicKey.location}), and signed tokens whose {@code groups} claim carries the role.
 */
final class IdentityProvider implements AutoCloseable {

    static final String KEY_PATH = "/public-key.pem";

    private final KeyPair keys;
    private final HttpServer server;

    /** Serves the public key on every interface at {@code port}: the pods reach it through the host's address. */
    IdentityProvider(int port) throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
        byte[] pem = ("-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n").getBytes(StandardCharsets.US_ASCII);
        server = HttpServer.create(new InetSocketAddress("0.0.0.0", port), 0);
        server.createContext(KEY_PATH, exchange -> {
            exchange.sendResponseHeaders(200, pem.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(pem);
            }
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** An RS256 token for {@code subject} in {@code role}, valid for {@code ttl}. */
    String token(String subject, String role, Duration ttl) throws GeneralSecurityException {
        long now = Instant.now().getEpochSecond();
        String header = base64Url("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
        String claims = base64Url("{\"sub\":\"%s\",\"upn\":\"%s\",\"groups\":[\"%s\"],\"iat\":%d,\"exp\":%d}"
                .formatted(subject, subject, role, now, now + ttl.toSeconds()));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(keys.getPrivate());
        rsa.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
        return header + "." + claims + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
