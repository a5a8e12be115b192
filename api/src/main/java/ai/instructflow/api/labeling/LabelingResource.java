package ai.instructflow.api.labeling;

import ai.instructflow.api.auth.Roles;
import ai.instructflow.api.auth.TokenIssuer;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A run's labeling queue, for the people who label (the caller's token subject is the labeler). */
@Path("/api/v1/runs/{id}/labeling/{stage}")
@Tag(name = "labeling")
@RolesAllowed({Roles.LABELER, Roles.ADMIN, Roles.OPERATOR})
public class LabelingResource {

    @Inject
    LabelingService labeling;

    @Inject
    SecurityIdentity identity;

    @GET
    @Operation(operationId = "getLabelingQueue",
            summary = "The queue: counts, quota, pace, deadline and each labeler's labels")
    public QueueView queue(@PathParam("id") String id, @PathParam("stage") String stage) {
        return labeling.queue(id, stage, Roles.viewer(identity));
    }

    @POST
    @Path("/lease")
    @Operation(operationId = "leaseLabelingTask",
            summary = "Lease the next task; the same task again while the lease lasts, or none with the reason; "
            + "403 where the caller may not take this queue's tasks (a verdict queue takes only its judges' group)")
    public LeaseView lease(@PathParam("id") String id, @PathParam("stage") String stage) {
        return labeling.lease(id, stage, identity.getPrincipal().getName(), TokenIssuer.labelerGroup(identity));
    }

    @POST
    @Path("/submissions")
    @Operation(operationId = "submitLabel",
            summary = "Submit a label for a leased task: a completion, ranks (0 best), or a choice (left, right, tie) "
            + "with optional 1-7 ratings; a retried submission_id counts once")
    public SubmitView submit(@PathParam("id") String id, @PathParam("stage") String stage, SubmitRequest request) {
        return labeling.submit(id, stage, identity.getPrincipal().getName(), request);
    }

    @POST
    @Path("/close")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    @Operation(operationId = "closeLabelingQueue",
            summary = "End collection now, keeping every label so far; the run goes on with them")
    public QueueView close(@PathParam("id") String id, @PathParam("stage") String stage) {
        return labeling.close(id, stage);
    }
}
