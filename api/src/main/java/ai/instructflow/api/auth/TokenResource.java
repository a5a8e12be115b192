package ai.instructflow.api.auth;

import ai.instructflow.workflows.FieldError;
import ai.instructflow.workflows.WellFormedText;
import ai.instructflow.workflows.labeling.LabelerGroup;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

import ai.instructflow.api.error.ApiError;
import ai.instructflow.api.error.ValidationException;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;

/** Minting tokens for people and scripts (embedded mode), and telling a caller who the platform thinks they are. */
@Path("/api/v1")
@Tag(name = "auth")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TokenResource {

    private static final int DEFAULT_TTL_HOURS = 24;
    /** A year: the embedded key dies with the process anyway, this only bounds a leaked token's life. */
    private static final int MAX_TTL_HOURS = 24 * 365;
    private static final int MAX_SUBJECT_LENGTH = 200;

    @Inject
    TokenIssuer issuer;

    @Inject
    SecurityIdentity identity;

    @POST
    @Path("/tokens")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "mintToken",
            summary = "Mint a token", description = "Embedded mode only; with an external identity provider, "
            + "get tokens from it instead (409).")
    @ResponseStatus(201)
    @APIResponse(responseCode = "201", description = "Minted",
            content = @Content(schema = @Schema(implementation = TokenResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid fields, each named",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "409", description = "Not in embedded mode",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public TokenResponse mint(TokenRequest request) {
        if (!issuer.embedded()) {
            throw new ClientErrorException("tokens are issued by the identity provider, not by InstructFlow "
                    + "(instructflow.auth.embedded=false)", Response.Status.CONFLICT);
        }
        int ttlHours = validate(request);
        TokenIssuer.MintedToken minted = issuer.issue(request.subject().strip(), Set.of(request.role()), request.group(),
                Duration.ofHours(ttlHours));
        return new TokenResponse(minted.token(), request.subject().strip(), request.role(), request.group(),
                minted.expiresAt());
    }

    @GET
    @Path("/whoami")
    @Authenticated
    @Operation(operationId = "whoami", summary = "The caller's subject and roles")
    public Whoami whoami() {
        return new Whoami(identity.getPrincipal().getName(), identity.getRoles().stream().sorted().toList(),
                TokenIssuer.labelerGroup(identity));
    }

    /** @return the token's lifetime in hours */
    private static int validate(TokenRequest request) {
        if (request == null) {
            throw new ValidationException(List.of(new FieldError("$", "a JSON object is required")));
        }
        List<FieldError> errors = new ArrayList<>();
        if (request.subject() == null || request.subject().isBlank()) {
            errors.add(new FieldError("subject", "must not be blank"));
        } else if (request.subject().length() > MAX_SUBJECT_LENGTH) {
            errors.add(new FieldError("subject", "must be at most " + MAX_SUBJECT_LENGTH + " characters"));
        } else if (!WellFormedText.check(request.subject())) {
            errors.add(new FieldError("subject", WellFormedText.REASON));
        }
        if (request.role() == null || !Roles.ALL.contains(request.role())) {
            errors.add(new FieldError("role", "must be one of: admin, operator, labeler"));
        }
        if (request.group() != null && LabelerGroup.problem(request.group()) != null) {
            errors.add(new FieldError("group", LabelerGroup.problem(request.group())));
        }
        int ttlHours = request.ttlHours() == null ? DEFAULT_TTL_HOURS : request.ttlHours();
        if (ttlHours < 1 || ttlHours > MAX_TTL_HOURS) {
            errors.add(new FieldError("ttl_hours", "must be between 1 and " + MAX_TTL_HOURS));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return ttlHours;
    }

    public record TokenRequest(
            @Schema(required = true, examples = "ci-bot") String subject,
            @Schema(required = true, enumeration = {Roles.ADMIN, Roles.OPERATOR, Roles.LABELER}) String role,
            @Schema(description = "lifetime in hours, 1 to 8760", defaultValue = "24") Integer ttlHours,
            @Schema(description = "the labeler's group, e.g. held-out: a run's human judges come from "
                    + "evaluation.group", examples = "held-out") String group) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TokenResponse(String token, String subject, String role, String group, Instant expiresAt) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Whoami(String subject, List<String> roles, String group) {
    }
}
