package ai.instructflow.api.models;

import ai.instructflow.activities.models.ModelStore;
import ai.instructflow.api.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

/** Base models in: a team's Hugging Face GPT-2-family folder, which a run spec then names as {@code base_model}. */
@Path("/api/v1/models")
@Tag(name = "models")
@RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

    /**
     * Both POSTs below are one OpenAPI operation (one path and method), told apart by Content-Type, so each says
     * it all, whichever the scanner keeps; its operationId (addModel) is on the first only, as the scanner would
     * warn of it twice.
     */
    private static final String ADD_SUMMARY = "Add a base model: a zip of its folder, or a folder already in the bucket";
    private static final String ADD_DESCRIPTION = "application/zip (or application/octet-stream): the folder as a zip. "
            + "application/json {\"folder\": \"uploads/gpt2/\"}: the objects under that prefix of the bucket, as `aws "
            + "s3 sync` leaves a snapshot. The folder: config.json (model_type gpt2), model.safetensors or shards with "
            + "their index, and the tokenizer (tokenizer.json, or vocab.json + merges.txt). Checked whole: 400 names "
            + "every problem by file or tensor. Stored content-addressed; the key is what a run spec's base_model names.";

    @Inject
    ModelService models;

    @POST
    @Consumes({ModelService.ZIP, MediaType.APPLICATION_OCTET_STREAM})
    @ResponseStatus(201)
    @Operation(operationId = "addModel", summary = ADD_SUMMARY, description = ADD_DESCRIPTION)
    public ModelStore.StoredModel upload(InputStream zip) throws IOException {
        return models.upload(zip);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    @Operation(summary = ADD_SUMMARY, description = ADD_DESCRIPTION)
    public ModelStore.StoredModel register(ModelService.Register request) throws IOException {
        return models.register(request);
    }

    @GET
    @Operation(operationId = "listModels",
            summary = "The stored models, each with its shape, parameter count, tokenizer and files")
    public List<ModelStore.StoredModel> list() {
        return models.list();
    }
}
