package ai.instructflow.api.error;

import ai.instructflow.activities.labeling.LabelingException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A refused labeling call: 400 with the fields at fault, 404 without a queue, 409 when closed or not leased. */
public class LabelingErrorMapper {

    @ServerExceptionMapper
    public Response toResponse(LabelingException e) {
        return switch (e.reason()) {
            case INVALID -> (e.fields().isEmpty() ? ApiError.of(e.getMessage()) : new ApiError(e.getMessage(), e.fields(), null))
                    .response(400);
            case NO_QUEUE -> ApiError.of(e.getMessage()).response(404);
            case CLOSED, NOT_LEASED -> ApiError.of(e.getMessage()).response(409);
            case NOT_ELIGIBLE -> ApiError.of(e.getMessage()).response(403);
        };
    }
}
