package ai.instructflow.api.error;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * Errors that already carry an HTTP status (404, 405, 409, 415 ...) keep it and its headers (Allow, Retry-After)
 * and get a JSON body. Quarkus REST also wraps malformed JSON into a 400 of this type; those are reported like
 * any other bad body.
 */
public class HttpErrorMapper {

    @ServerExceptionMapper
    public Response toResponse(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return JsonInputExceptionMapper.badJson(json);
        }
        Response original = e.getResponse();
        // without an explicit message JAX-RS uses "HTTP 404 Not Found"; the reason phrase alone reads better
        String message = e.getMessage() == null || e.getMessage().startsWith("HTTP ")
                ? original.getStatusInfo().getReasonPhrase().toLowerCase()
                : e.getMessage();
        Response.ResponseBuilder response = Response.status(original.getStatus());
        original.getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE) && !name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
                values.forEach(value -> response.header(name, value));
            }
        });
        return response.type(MediaType.APPLICATION_JSON_TYPE).entity(ApiError.of(message)).build();
    }
}
