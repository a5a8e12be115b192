package ai.instructflow.api.datasets;

import ai.instructflow.api.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Datasets out: what a run collected, for admins and operators. A root resource of its own because
 * JAX-RS settles on the root with the longest matching path before it looks at methods, so a method
 * under RunResource's /api/v1/runs would never be reached from another class.
 */
@Path("/api/v1/runs/{id}/datasets")
@Tag(name = "datasets")
@RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
public class RunDatasetResource {

    @Inject
    DatasetService datasets;

    @GET
    @Path("/{kind}")
    @Produces(DatasetService.JSONL)
    @Operation(operationId = "exportRunDataset", summary = "Download the dataset a run collected, as JSON lines",
            description = "kind demonstrations (format jsonl) or comparisons (format rankings, the default, or pairs: "
                    + "chosen/rejected); split train, held_out or all (the default).")
    public Response export(@PathParam("id") String id, @PathParam("kind") String kind, @QueryParam("format") String format,
                           @QueryParam("split") @DefaultValue("all") String split) {
        DatasetService.Download download = datasets.export(id, kind, format, split);
        return Response.ok(download.body(), DatasetService.JSONL)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + download.filename() + "\"")
                .build();
    }
}
