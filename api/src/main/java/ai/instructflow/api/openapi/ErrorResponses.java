package ai.instructflow.api.openapi;

import ai.instructflow.api.error.ApiError;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.parameters.RequestBody;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;

/**
 * Every operation's error answers in the OpenAPI document, in one place, with the {@link ApiError} body the error
 * mappers (ai.instructflow.api.error) write. From an operation's shape: 401 on every /api call (all need a token), 403
 * where it is for some roles only ({@code @RolesAllowed}, not {@code @Authenticated}), and where it reads a body 400
 * for JSON that is not what is expected and 415 for another Content-Type, and 503 with Retry-After where it needs the
 * object store (all but {@link #WITHOUT_STORAGE}); these refer to the shared responses of
 * package-info. From {@link #ROUTES}, by operationId: what the route's service refuses beyond that (404, 409, 413, a
 * 400 for a parameter), and 201 where the route answers that ({@code @ResponseStatus} is not read by the scanner,
 * which documents 200). They are kept here rather than as {@code @APIResponse} on each method because the scanner
 * stops generating a method's success response (schema from its return type) once the method declares any.
 *
 * <p>Runs at build time. An /api operation missing from {@link #ROUTES}, or an entry naming no operation, fails the
 * build: no route is published without its errors.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class ErrorResponses implements OASFilter {

    static final String BAD_REQUEST = "BadRequest";
    static final String UNAUTHORIZED = "Unauthorized";
    static final String FORBIDDEN = "Forbidden";
    static final String UNSUPPORTED_MEDIA_TYPE = "UnsupportedMediaType";
    static final String UNAVAILABLE = "Unavailable";

    /** The operations that never reach the object store, and so never answer 503 (every other /api one may). */
    static final Set<String> WITHOUT_STORAGE = Set.of("listStages", "mintToken", "whoami");

    private static final String API_ERROR = "#/components/schemas/" + ApiError.class.getSimpleName();

    private static final String NO_RUN = "No such run";
    private static final String NO_MODEL = "The stage has not produced a model yet";
    private static final String NO_QUEUE = "No such run, or it has no queue for the stage (not started yet, or the "
            + "stage needs no labels)";
    private static final String TOO_LARGE = "The body is larger than instructflow.datasets.max-bytes (256M by default), "
            + "by its Content-Length or as it is read";
    private static final String NOT_A_LABELING_STAGE = "stage is not a labeling stage (collect-demonstrations, "
            + "collect-comparisons, evaluate)";

    /** Each operation's success status and its own error answers, as its service gives them. */
    static final Map<String, Route> ROUTES = Map.ofEntries(
            route("startRun", 201),
            route("listRuns", 200, error(400, "page is not an integer >= 0, size not one from 1 to 200, or status "
                    + "not a run's status")),
            route("getRun", 200, error(404, NO_RUN)),
            route("cancelRun", 200, error(404, NO_RUN), error(409, "The run is not running")),
            route("resumeRun", 200, error(404, NO_RUN), error(409, "The run is not failed, cancelled or interrupted")),
            route("listRunArtifacts", 200, error(404, NO_RUN)),
            route("getRunReport", 200, error(404, "No such run, or its evaluation has not succeeded yet")),
            route("getRunMetrics", 200, error(400, "stage is not a stage of the recipe"), error(404, NO_RUN)),
            route("exportRunModel", 200, error(400, "stage is not sft, ppo, dpo or rm, or format is not hf"),
                    error(404, NO_RUN), error(409, NO_MODEL)),
            route("generateCompletions", 200, error(404, NO_RUN), error(409, NO_MODEL)),
            route("uploadDataset", 201, error(400, "kind is not demonstrations, comparisons or prompts, or the file is "
                    + "refused: fields names each bad line"),
                    error(413, TOO_LARGE)),
            route("exportRunDataset", 200, error(400, "kind, format or split is not one of those"),
                    error(404, "No such run, or the stage that collects the dataset has not succeeded")),
            route("addModel", 201, error(400, "The zip or folder is refused (fields names every problem, by file or "
                    + "tensor), or the JSON body is not {\"folder\": ...}"),
                    error(413, TOO_LARGE)),
            route("listModels", 200),
            route("listOpenLabelingQueues", 200),
            route("getLabelingQueue", 200, error(400, NOT_A_LABELING_STAGE), error(404, NO_QUEUE)),
            route("leaseLabelingTask", 200, error(400, NOT_A_LABELING_STAGE + ", or the queue refused the request"),
                    error(403, "The token's role does not allow this call, or the caller may not take this queue's "
                            + "tasks (a verdict queue takes only its judges' group, and no one who labeled the run's "
                            + "training data)"),
                    error(404, NO_QUEUE), error(409, "The queue has closed")),
            route("submitLabel", 200, error(404, NO_QUEUE),
                    error(409, "The queue has closed, or the caller does not hold the task's lease (lease it again)")),
            route("closeLabelingQueue", 200, error(400, NOT_A_LABELING_STAGE), error(404, NO_QUEUE),
                    error(409, "The queue has closed already")),
            route("listStages", 200),
            route("mintToken", 201, error(409, "Not in embedded mode: tokens come from the identity provider")),
            route("whoami", 200));

    /** The status a route answers on success, and its own error answers. */
    record Route(int success, List<Answer> errors) {
    }

    /** An error answer: its status and why; its body is an ApiError. */
    record Answer(int status, String why) {
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        TreeSet<String> unlisted = new TreeSet<>();
        TreeSet<String> unused = new TreeSet<>(ROUTES.keySet());
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            for (Map.Entry<PathItem.HttpMethod, Operation> entry : item.getOperations().entrySet()) {
                Operation operation = entry.getValue();
                Route route = operation.getOperationId() == null ? null : ROUTES.get(operation.getOperationId());
                if (path.startsWith("/api/") && route == null) {
                    unlisted.add(entry.getKey() + " " + path + " (operationId " + operation.getOperationId() + ")");
                }
                if (route != null) {
                    unused.remove(operation.getOperationId());
                }
                describe(path, operation, route);
            }
        });
        if (!unlisted.isEmpty() || !unused.isEmpty()) {
            throw new IllegalStateException("the OpenAPI error answers (" + ErrorResponses.class.getName() + ".ROUTES) "
                    + "do not match the routes: operations without an entry " + unlisted + ", entries without an "
                    + "operation " + unused);
        }
    }

    private static void describe(String path, Operation operation, Route route) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        APIResponses responses = operation.getResponses();
        boolean created = route != null && route.success() == 201;
        if (created && responses.hasAPIResponse("200") && !responses.hasAPIResponse("201")) {
            APIResponse generated = responses.getAPIResponse("200");
            responses.removeAPIResponse("200");
            responses.addAPIResponse("201", generated.description("Created"));
        }
        if (path.startsWith("/api/")) {
            responses.addAPIResponse("401", shared(UNAUTHORIZED));
            if (forSomeRoles(operation.getSecurity())) {
                responses.addAPIResponse("403", shared(FORBIDDEN));
            } else {
                responses.removeAPIResponse("403");
            }
            if (!WITHOUT_STORAGE.contains(operation.getOperationId())) {
                responses.addAPIResponse("503", shared(UNAVAILABLE));
            }
        }
        RequestBody body = operation.getRequestBody();
        if (body != null && body.getContent() != null && body.getContent().getMediaTypes() != null) {
            if (body.getContent().getMediaTypes().containsKey(MediaType.APPLICATION_JSON)) {
                responses.addAPIResponse("400", shared(BAD_REQUEST));
            }
            responses.addAPIResponse("415", shared(UNSUPPORTED_MEDIA_TYPE));
        }
        if (route != null) {
            // the route's own reasons win over the shared ones: they name what it refuses
            for (Answer answer : route.errors()) {
                responses.addAPIResponse(String.valueOf(answer.status()),
                        OASFactory.createAPIResponse().description(answer.why()).content(apiError()));
            }
        }
        responses.setAPIResponses(new TreeMap<>(responses.getAPIResponses()));
    }

    /** Whether some role is required: {@code @RolesAllowed} lists its roles, {@code @Authenticated} none. */
    private static boolean forSomeRoles(List<SecurityRequirement> security) {
        return security != null && security.stream().anyMatch(requirement -> requirement.getSchemes() != null
                && requirement.getSchemes().values().stream().anyMatch(roles -> roles != null && !roles.isEmpty()));
    }

    private static APIResponse shared(String name) {
        return OASFactory.createAPIResponse().ref(name);
    }

    private static Content apiError() {
        return OASFactory.createContent().addMediaType(MediaType.APPLICATION_JSON,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(API_ERROR)));
    }

    private static Map.Entry<String, Route> route(String operationId, int success, Answer... errors) {
        return Map.entry(operationId, new Route(success, List.of(errors)));
    }

    private static Answer error(int status, String why) {
        return new Answer(status, why);
    }
}
