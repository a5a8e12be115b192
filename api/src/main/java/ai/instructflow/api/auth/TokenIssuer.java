package ai.instructflow.api.auth;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.runtime.Startup;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import ai.instructflow.workflows.labeling.LabelerGroup;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.jwt.config.JWTAuthContextInfoProvider;

/**
 * Owns the key that verifies bearer JWTs and, in embedded mode, the key that signs them.
 *
 * <p>Embedded mode generates a fresh RSA key pair at every start, so tokens minted by one process are
 * worthless to the next; nothing secret is ever written to disk or config. The verification settings are
 * handed to smallrye-jwt as a CDI alternative rather than through a ConfigSource, because Quarkus records
 * config at build time and would bake a build-time key into the jar.
 *
 * <p>With {@code instructflow.auth.embedded=false} verification is plain MP-JWT
 * ({@code mp.jwt.verify.publickey.location}, {@code mp.jwt.verify.issuer}) so tokens from any OIDC provider work,
 * and this class refuses to mint.
 */
@Startup
@ApplicationScoped
public class TokenIssuer {

    public static final String ISSUER = "instructflow";

    @Inject
    @ConfigProperty(name = "instructflow.auth.embedded")
    boolean embedded;

    @Inject
    Instance<JWTAuthContextInfoProvider> standardVerification;

    private KeyPair keyPair;
    private JWTAuthContextInfo verification;

    @PostConstruct
    void init() {
        if (embedded) {
            keyPair = generateKeyPair();
            verification = new JWTAuthContextInfo(keyPair.getPublic(), ISSUER);
        } else {
            verification = configuredVerification();
        }
    }

    /** Whether this process signs its own tokens (and so can mint them). */
    public boolean embedded() {
        return embedded;
    }

    /**
     * Signs a token for {@code subject} carrying {@code roles} in the {@code groups} claim.
     *
     * @throws IllegalStateException outside embedded mode, where tokens come from the identity provider
     */
    public String mint(String subject, Set<String> roles, Duration ttl) {
        return issue(subject, roles, null, ttl).token();
    }

    /** As {@link #mint}, with a labeler group (null for none), also telling the instant the token expires. */
    public MintedToken issue(String subject, Set<String> roles, String labelerGroup, Duration ttl) {
        if (!embedded) {
            throw new IllegalStateException("token minting is disabled: instructflow.auth.embedded=false");
        }
        // whole seconds, so the expiry reported to the caller is exactly the exp claim
        Instant issuedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = issuedAt.plus(ttl);
        JwtClaimsBuilder claims = Jwt.issuer(ISSUER)
                .subject(subject)
                .groups(roles)
                .issuedAt(issuedAt)
                .expiresAt(expiresAt);
        if (labelerGroup != null) {
            claims.claim(LabelerGroup.CLAIM, labelerGroup);
        }
        String token = claims.sign(keyPair.getPrivate());
        return new MintedToken(token, expiresAt);
    }

    @Produces
    @Alternative
    @Priority(1)
    @ApplicationScoped
    JWTAuthContextInfo verification() {
        return verification;
    }

    private JWTAuthContextInfo configuredVerification() {
        JWTAuthContextInfo info = standardVerification.get().getContextInfo();
        // smallrye-jwt starts happily without a key and then rejects every token; fail at start instead
        boolean hasKey = info.getPublicKeyContent() != null || info.getPublicKeyLocation() != null
                || info.getPublicVerificationKey() != null || info.getSecretKeyContent() != null
                || info.getSecretVerificationKey() != null;
        if (!hasKey) {
            throw new IllegalStateException("instructflow.auth.embedded=false needs a verification key: set "
                    + "mp.jwt.verify.publickey.location (and mp.jwt.verify.issuer) to your identity provider's");
        }
        return info;
    }

    private static KeyPair generateKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM offers no RSA key generator", e);
        }
    }

    /** The labeler group the caller's token carries: null for none, or for a caller without a JWT (the admin token). */
    public static String labelerGroup(SecurityIdentity identity) {
        return identity.getPrincipal() instanceof JsonWebToken jwt ? jwt.getClaim(LabelerGroup.CLAIM) : null;
    }

    /** A signed token and the instant its {@code exp} claim names. */
    public record MintedToken(String token, Instant expiresAt) {
    }
}
