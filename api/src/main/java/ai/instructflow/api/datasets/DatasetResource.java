package ai.instructflow.api.datasets;

import ai.instructflow.api.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

/** Datasets in: uploads a run spec can then name, for admins and operators. */
@Path("/api/v1/datasets")
@Tag(name = "datasets")
@RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
public class DatasetResource {

    @Inject
    DatasetService datasets;

    @POST
    @Path("/{kind}")
    @Consumes({DatasetService.JSONL, "application/jsonl", MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM})
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    @Operation(operationId = "uploadDataset",
            summary = "Upload a JSON-lines dataset of demonstrations, comparisons or prompts",
            description = "demonstrations: {\"prompt\", \"completion\"} per line; comparisons: {\"prompt\", \"responses\", "
                    + "\"ranks\"} (rank 0 best) or {\"prompt\", \"chosen\", \"rejected\"}; prompts: {\"prompt\", \"split\"?: "
                    + "\"train\" | \"held_out\", \"tags\"?: [...]} (repeats count once; with no split named, a tenth is "
                    + "held out). A file with any bad line is refused "
                    + "whole (400, one field per line); a good one is stored at datasets/<kind>/<sha256>.jsonl, the key a "
                    + "run spec names.")
    public StoredDataset upload(@PathParam("kind") String kind, InputStream body) throws IOException {
        return datasets.upload(kind, body);
    }
}
