package ai.instructflow.api.error;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * JSON bodies for 401 and 403. These reach REST exception mappers only because authentication is lazy
 * ({@code quarkus.http.auth.proactive=false}) and the /api permission applies at the JAX-RS level.
 */
public class SecurityErrorMapper {

    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e) {
        return unauthorized("authentication required: send \"Authorization: Bearer <token>\"");
    }

    @ServerExceptionMapper
    public Response badCredentials(AuthenticationFailedException e) {
        return unauthorized("invalid or expired token");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return ApiError.of("forbidden: your role does not allow this").response(403);
    }

    private static Response unauthorized(String message) {
        Response body = ApiError.of(message).response(401);
        return Response.fromResponse(body).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }
}
