package ai.instructflow.api.labeling;

import ai.instructflow.api.auth.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Where a labeler starts: every queue that takes labels now. */
@Path("/api/v1/labeling")
@Tag(name = "labeling")
@RolesAllowed({Roles.LABELER, Roles.ADMIN, Roles.OPERATOR})
public class OpenQueuesResource {

    @Inject
    LabelingService labeling;

    @Inject
    SecurityIdentity identity;

    @GET
    @Operation(operationId = "listOpenLabelingQueues", summary = "Open labeling queues of running runs")
    public List<OpenQueue> open() {
        return labeling.open(Roles.viewer(identity));
    }
}
