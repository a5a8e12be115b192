package ai.instructflow.api.stages;

import ai.instructflow.activities.stages.PipelineStages;
import ai.instructflow.api.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The recipe's stages in run order with the metrics each reports: what the run pages draw their
 * charts, highlights and summary from, so a new stage or metric needs no change to them.
 */
@Path("/api/v1/stages")
@Tag(name = "stages")
@RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.LABELER})
public class StagesResource {

    @GET
    @Operation(operationId = "listStages", summary = "The stages in run order, each with the metrics it reports",
            description = "Each metric: key (in a stage's metrics and metrics.jsonl), label, format (number, percent, "
                    + "count), gauge (its Prometheus name, if exported) and help, chart (id and title of the run-page "
                    + "chart it is drawn in), highlighted (shown beside the stage), summary and summary_label (its key "
                    + "and name in a run's summary).")
    public List<StageInfo> stages() {
        return PipelineStages.all().stream().map(StageInfo::of).toList();
    }
}
