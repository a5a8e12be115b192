package ai.instructflow.api.auth;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The bearer-token parser the JWT mechanism uses, remembering the tokens it verified: a labeler's page
 * sends the same token with every lease and submit, and parsing and checking its RSA signature again
 * each time was a tenth of the API's work under load. A remembered token is the very string that
 * verified (signature included, so no other string can match it), and it is verified again once it
 * expires or after {@link #REVERIFY_AFTER_MS} at the latest, so a new verification key applies within
 * that time. Everything else goes to smallrye-jwt's parser as it is.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifiedTokens implements JWTParser {

    static final long REVERIFY_AFTER_MS = 5 * 60_000;
    static final int MAX_REMEMBERED = 10_000;

    private record Verified(JsonWebToken token, long until) {}

    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    @Inject
    DefaultJWTParser parser;

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        long now = System.currentTimeMillis();
        Verified known = verified.get(token);
        if (known != null && now < known.until()) {
            return known.token();
        }
        JsonWebToken jwt = parser.parse(token);
        // the expiry claim is in seconds; a token without one is verified again after the longest wait
        long expires = jwt.getExpirationTime() > 0 ? jwt.getExpirationTime() * 1000 : Long.MAX_VALUE;
        if (verified.size() >= MAX_REMEMBERED) {
            verified.values().removeIf(v -> v.until() <= now);
            if (verified.size() >= MAX_REMEMBERED) {
                verified.clear();
            }
        }
        verified.put(token, new Verified(jwt, Math.min(expires, now + REVERIFY_AFTER_MS)));
        return jwt;
    }

    @Override
    public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
        return parser.parse(token, context);
    }

    @Override
    public JsonWebToken verify(String token, PublicKey key) throws ParseException {
        return parser.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, SecretKey key) throws ParseException {
        return parser.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, String secret) throws ParseException {
        return parser.verify(token, secret);
    }

    @Override
    public JsonWebToken decrypt(String token, PrivateKey key) throws ParseException {
        return parser.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
        return parser.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, String secret) throws ParseException {
        return parser.decrypt(token, secret);
    }

    @Override
    public JsonWebToken parseOnly(String token) throws ParseException {
        return parser.parseOnly(token);
    }
}
