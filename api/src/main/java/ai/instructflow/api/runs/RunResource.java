package ai.instructflow.api.runs;

import ai.instructflow.api.auth.Roles;
import ai.instructflow.api.models.ModelService;
import ai.instructflow.workflows.RunSpec;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

/** Run control for admins and operators. */
@Path("/api/v1/runs")
@Tag(name = "runs")
@RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
public class RunResource {

    @Inject
    RunService runs;

    @Inject
    Playground playground;

    @Inject
    ModelExport export;

    @POST
    @ResponseStatus(201)
    @Operation(operationId = "startRun",
            summary = "Start a run", description = "Every field but name is optional; {\"name\": \"x\"} is a tiny run "
            + "on CPU. What is given is laid over the defaults field by field, and the run's spec is stored with every "
            + "setting filled in.")
    @RequestBody(content = @Content(schema = @Schema(implementation = RunSpec.class)))
    public RunView submit(JsonNode spec) throws JsonProcessingException {
        return runs.submit(spec);
    }

    @GET
    @Operation(operationId = "listRuns", summary = "List runs, newest first, optionally only those with a status")
    public RunPage list(@QueryParam("status") @Parameter(description = "running, succeeded, failed, cancelled or interrupted")
                        String status,
                        @QueryParam("page") @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "0",
                                defaultValue = "0")) String page,
                        @QueryParam("size") @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                                maximum = "200", defaultValue = "20")) String size) {
        return runs.list(RunQuery.parse(status, page, size));
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getRun",
            summary = "A run: status, each stage's status, attempts, timings, metrics and artifacts")
    public RunView get(@PathParam("id") String id) {
        return runs.view(id);
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(operationId = "cancelRun", summary = "Cancel a running run; its stage checkpoints before it stops")
    public RunView cancel(@PathParam("id") String id) {
        return runs.cancel(id);
    }

    @POST
    @Path("/{id}/resume")
    @Operation(operationId = "resumeRun",
            summary = "Resume a failed, cancelled or interrupted run; completed, verified stages are reused")
    public RunView resume(@PathParam("id") String id) {
        return runs.resume(id);
    }

    @GET
    @Path("/{id}/artifacts")
    @Operation(operationId = "listRunArtifacts",
            summary = "Every artifact of the run with its sha256 and a download URL valid for an hour")
    public List<ArtifactLink> artifacts(@PathParam("id") String id) {
        return runs.artifacts(id);
    }

    @GET
    @Path("/{id}/report")
    @Operation(operationId = "getRunReport",
            summary = "The held-out evaluation: PPO vs SFT win rate, RM accuracy vs agreement, per-task table")
    public Map<String, Object> report(@PathParam("id") String id) {
        return runs.report(id);
    }

    @GET
    @Path("/{id}/models/{stage}")
    @Produces(ModelService.ZIP)
    @Operation(operationId = "exportRunModel",
            summary = "A trained model (sft, ppo, dpo or rm) as a zip of a Hugging Face GPT-2 folder (?format=hf)",
            description = "Policies as GPT2LMHeadModel, the reward model as GPT2ForSequenceClassification with one "
                    + "label; config.json, model.safetensors and, for a run from a BPE base model, its tokenizer files.")
    public Response model(@PathParam("id") String id, @PathParam("stage") String stage, @QueryParam("format") String format) {
        return Response.ok(export.export(id, stage, format))
                .header("Content-Disposition", "attachment; filename=\"" + id + "-" + stage + "-hf.zip\"").build();
    }

    @POST
    @Path("/{id}/generate")
    @Operation(operationId = "generateCompletions",
            summary = "Completions from the run's SFT or PPO model (temperature 0 is greedy)")
    public GenerateResponse generate(@PathParam("id") String id, GenerateRequest request) {
        return playground.generate(id, request);
    }
}
