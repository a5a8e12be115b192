package ai.instructflow.api.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A body declared larger than {@code quarkus.http.limits.max-body-size} is refused with 413 and a JSON
 * error naming the limit. Quarkus's own check, which runs just after this one, answers with no body
 * at all; this one runs first and answers the same status the way every other error reads.
 */
@ApplicationScoped
public class BodyTooLarge {

    @Inject
    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize limit;

    @Inject
    ObjectMapper json;

    void route(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::check);
    }

    private void check(RoutingContext context) {
        String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long length;
        try {
            length = declared == null ? -1 : Long.parseLong(declared);
        } catch (NumberFormatException e) {
            // a malformed header is Vert.x's to refuse
            context.next();
            return;
        }
        if (length <= limit.asLongValue()) {
            context.next();
            return;
        }
        String body;
        try {
            body = json.writeValueAsString(ApiError.of("the request body is " + length + " bytes, more than the "
                    + limit.asLongValue() + " this server takes (instructflow.datasets.max-bytes)"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an ApiError always serializes", e);
        }
        // the unread body would otherwise be taken for the next request on this connection
        context.response().endHandler(done -> context.request().connection().close());
        context.response().putHeader(HttpHeaders.CONNECTION, "close")
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .setStatusCode(413)
                .end(body);
    }
}
