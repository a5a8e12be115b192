package ai.instructflow.api.runs;

import ai.instructflow.api.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A run's per-step metrics from object storage, for admins and operators: what the run page charts. A root
 * resource of its own because JAX-RS settles on the root with the longest matching path before it looks at
 * methods, so a method under RunResource's /api/v1/runs would never be reached for this URL.
 */
@Path("/api/v1/runs/{id}/metrics")
@Tag(name = "runs")
@RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
public class RunMetricsResource {

    @Inject
    RunService runs;

    @GET
    @Operation(operationId = "getRunMetrics", summary = "Each stage's per-step metrics, as stored with the run",
            description = "{\"sft\": [{\"step\": 1, \"loss\": 2.1, ...}, ...], \"rm\": [...], \"ppo\": [...]}: one row per "
                    + "step from runs/<id>/<stage>/metrics.jsonl, steps increasing. Read from object storage, so it "
                    + "needs no metrics server and outlives the run. A stage without history is absent; a running "
                    + "stage's history is as of its latest checkpoint (and complete once the stage ends). Values "
                    + "that are not finite (a skipped step's grad_norm) are left out of their row.")
    public Map<String, List<Map<String, Double>>> metrics(
            @PathParam("id") String id,
            @Parameter(description = "only this stage (collect-demonstrations, sft, collect-comparisons, rm, ppo, evaluate)")
            @QueryParam("stage") String stage) {
        return runs.metrics(id, stage);
    }
}
