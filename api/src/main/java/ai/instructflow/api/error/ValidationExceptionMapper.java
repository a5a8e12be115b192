package ai.instructflow.api.error;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** 400 listing the fields at fault. */
public class ValidationExceptionMapper {

    @ServerExceptionMapper
    public Response toResponse(ValidationException e) {
        return ApiError.invalid(e.fields()).response(400);
    }
}
