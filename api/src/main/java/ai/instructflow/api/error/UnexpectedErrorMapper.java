package ai.instructflow.api.error;

import java.util.UUID;

import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * 500 for anything no other mapper claims. The client gets only an id; the stack trace, which may name
 * internals, goes to the server log under that id.
 */
public class UnexpectedErrorMapper {

    private static final Logger LOG = Logger.getLogger(UnexpectedErrorMapper.class);

    @ServerExceptionMapper
    public Response toResponse(Throwable e) {
        String id = UUID.randomUUID().toString();
        LOG.errorf(e, "internal error %s", id);
        return new ApiError("internal error", null, id).response(500);
    }
}
