/**
 * What the OpenAPI document at /q/openapi says beyond the routes' own annotations: the tags' descriptions, the
 * server (relative, so the document holds behind any host or proxy), and the error answers, each with the
 * {@link ai.instructflow.api.error.ApiError} body the error mappers write. The shared ones are response
 * components here; {@link ai.instructflow.api.openapi.ErrorResponses} puts them and each route's own on the
 * operations. Title and description are in application.properties. The smallrye scanner reads
 * {@code @OpenAPIDefinition} from a package-info or a JAX-RS Application class; a package-info leaves JAX-RS as it is.
 */
@OpenAPIDefinition(
        // application.properties sets title, description and version (quarkus.smallrye-openapi.info-*)
        info = @Info(title = "InstructFlow API", version = "v1"),
        servers = @Server(url = "/", description = "The InstructFlow server that serves this document"),
        tags = {
            @Tag(name = "runs", description = "Start, inspect, cancel and resume runs; their reports, metrics, "
                    + "artifacts and trained models, and completions from them (admins and operators)"),
            @Tag(name = "datasets", description = "JSON-lines datasets in (uploads a run spec names) and out (what a "
                    + "run collected), for admins and operators"),
            @Tag(name = "models", description = "Base models: Hugging Face GPT-2-family folders a run spec names as "
                    + "base_model (admins and operators)"),
            @Tag(name = "labeling", description = "Labeling queues of running runs: lease a task, submit a label, "
                    + "close a queue (labelers; admins and operators too)"),
            @Tag(name = "stages", description = "The recipe's stages and the metrics each reports (any role)"),
            @Tag(name = "auth", description = "Tokens (embedded mode) and who the caller is")
        },
        components = @Components(responses = {
            @APIResponse(name = ErrorResponses.BAD_REQUEST, responseCode = "400",
                    description = "Invalid request: the body is not the JSON expected, or says something invalid; "
                            + "fields names every field at fault",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ApiError.class))),
            @APIResponse(name = ErrorResponses.UNAUTHORIZED, responseCode = "401",
                    description = "No bearer token, or an invalid or expired one (WWW-Authenticate: Bearer)",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ApiError.class))),
            @APIResponse(name = ErrorResponses.FORBIDDEN, responseCode = "403",
                    description = "The token's role does not allow this call",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ApiError.class))),
            @APIResponse(name = ErrorResponses.UNSUPPORTED_MEDIA_TYPE, responseCode = "415",
                    description = "The request's Content-Type is not one this call reads",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ApiError.class))),
            @APIResponse(name = ErrorResponses.UNAVAILABLE, responseCode = "503",
                    description = "The object store cannot be reached right now: send the same request again after "
                            + "Retry-After seconds (every call that writes is safe to repeat)",
                    headers = @Header(name = HttpHeaders.RETRY_AFTER, description = "Seconds to wait before trying again",
                            schema = @Schema(type = SchemaType.INTEGER)),
                    content = @Content(mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = ApiError.class)))
        }))
package ai.instructflow.api.openapi;

import ai.instructflow.api.error.ApiError;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.servers.Server;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
