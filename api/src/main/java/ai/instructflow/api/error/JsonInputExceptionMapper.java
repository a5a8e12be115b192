package ai.instructflow.api.error;

import java.util.List;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * 400 for a body Jackson could not read. Quarkus REST rethrows {@link MismatchedInputException} (wrong types,
 * unknown properties) as is, and has a built-in mapper for it that this one overrides; other parse errors
 * arrive wrapped, see {@link HttpErrorMapper}.
 */
public class JsonInputExceptionMapper {

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return badJson(e);
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e) {
        return badJson(e);
    }

    static Response badJson(JsonProcessingException e) {
        return ApiError.invalid(List.of(JsonInputErrors.describe(e))).response(400);
    }
}
