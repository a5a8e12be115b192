package ai.instructflow.api.error;

import ai.instructflow.activities.storage.ObjectStore;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The object store could not be reached or refused a call (a MinIO pod restarting, a network
 * partition): 503 with Retry-After, so clients try the same request again, which every call that
 * writes is safe to do (labels are keyed by their submission, uploads by their content). A key
 * missing where a result depends on it is no outage, and stays a 500.
 */
public class StorageErrorMapper {

    private static final Logger LOG = Logger.getLogger(StorageErrorMapper.class);
    static final int RETRY_AFTER_SECONDS = 5;

    @ServerExceptionMapper
    public Response toResponse(ObjectStore.StorageException e) {
        if (e instanceof ObjectStore.NotFound) {
            return new UnexpectedErrorMapper().toResponse(e);
        }
        String id = UUID.randomUUID().toString();
        LOG.warnf(e, "object storage unavailable %s", id);
        return Response.fromResponse(new ApiError("object storage is unavailable; try again shortly", null, id).response(503))
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS).build();
    }
}
