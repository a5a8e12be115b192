package ai.instructflow.api.error;

import ai.instructflow.workflows.FieldError;

import java.util.List;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of every error response: a human message, and for bad requests the fields at fault, for server
 * errors an id to find the stack trace in the log.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, List<FieldError> fields, String id) {

    public static ApiError of(String error) {
        return new ApiError(error, null, null);
    }

    public static ApiError invalid(List<FieldError> fields) {
        return new ApiError("invalid request", fields, null);
    }

    /** As JSON whatever the client's Accept header, so no error ever turns into a 406 instead. */
    public Response response(int status) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(this).build();
    }
}
