package ai.instructflow.api.auth;

import io.quarkus.security.identity.SecurityIdentity;
import java.util.Set;

/** The roles a token can carry in its {@code groups} claim; the names are what identity providers must emit. */
public final class Roles {

    /** Mints tokens and does everything an operator can. */
    public static final String ADMIN = "admin";
    /** Starts, inspects and stops runs. */
    public static final String OPERATOR = "operator";
    /** Leases and answers labeling tasks, nothing else. */
    public static final String LABELER = "labeler";

    public static final Set<String> ALL = Set.of(ADMIN, OPERATOR, LABELER);

    private Roles() {
    }

    /**
     * Whose labeling counts the caller may see: null (everyone's) for admins and operators, else
     * only the caller's own.
     */
    public static String viewer(SecurityIdentity identity) {
        return identity.hasRole(ADMIN) || identity.hasRole(OPERATOR) ? null : identity.getPrincipal().getName();
    }
}
