package ai.instructflow.api.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Accepts the configured opaque admin token ({@code instructflow.admin-token}) as a bearer credential.
 *
 * <p>It runs before the JWT mechanism (higher priority) because the opaque string is not a JWT and the JWT
 * mechanism would reject it outright. Any other bearer value yields no identity here, so the JWT mechanism
 * gets its turn and sends the challenge.
 */
@ApplicationScoped
public class AdminTokenAuthMechanism implements HttpAuthenticationMechanism {

    private static final String BEARER_PREFIX = "Bearer ";

    @Inject
    AdminToken adminToken;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String header = context.request().getHeader(HttpHeaderNames.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER_PREFIX, 0, BEARER_PREFIX.length())) {
            return Uni.createFrom().nullItem();
        }
        String presented = header.substring(BEARER_PREFIX.length()).strip();
        if (!adminToken.matchesConfigured(presented)) {
            return Uni.createFrom().nullItem();
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(AdminToken.SUBJECT))
                .addRole(Roles.ADMIN)
                .build());
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        // the JWT mechanism's "WWW-Authenticate: Bearer" challenge covers this credential too
        return Uni.createFrom().nullItem();
    }

    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 1000;
    }
}
