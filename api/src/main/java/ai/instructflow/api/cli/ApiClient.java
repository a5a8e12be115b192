package ai.instructflow.api.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The launcher's HTTP client for the platform's REST API: JSON in and out, errors as the API words them. */
final class ApiClient {

    static final ObjectMapper JSON = new ObjectMapper();

    /** A call the API refused, with its status and the API's own message. */
    static final class ApiException extends RuntimeException {
        final int status;

        ApiException(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private final HttpClient http;
    private final String base;
    private final String token;

    ApiClient(String base, String token) {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), base, token);
    }

    private ApiClient(HttpClient http, String base, String token) {
        this.http = http;
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token;
    }

    /** The same platform as another caller, over this client's connections (one HTTP client for many callers). */
    ApiClient as(String otherToken) {
        return new ApiClient(http, base, otherToken);
    }

    /** This platform over plain HTTP/1.1 keep-alive connections, as a browser talks to it. */
    ApiClient overHttp11() {
        return new ApiClient(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build(), base, token);
    }

    /** INSTRUCTFLOW_URL and INSTRUCTFLOW_TOKEN, else the local platform and the admin token it wrote for its CLI. */
    static ApiClient fromEnvironment() {
        String url = System.getenv().getOrDefault("INSTRUCTFLOW_URL", "http://127.0.0.1:8080");
        String token = System.getenv("INSTRUCTFLOW_TOKEN");
        if (token == null) {
            Path file = Path.of(System.getenv().getOrDefault("INSTRUCTFLOW_DATA_DIR",
                    System.getProperty("user.home") + "/.instructflow"), "admin-token");
            try {
                token = Files.readString(file).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("no token: set INSTRUCTFLOW_TOKEN, or start the platform on this "
                        + "machine ('instructflow serve'), which writes " + file);
            }
        }
        return new ApiClient(url, token);
    }

    String base() {
        return base;
    }

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    JsonNode post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A body that is not JSON (a dataset's JSON lines), as text. */
    String text(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofMinutes(2)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 400) {
                JsonNode body = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
                throw new ApiException(response.statusCode(), describe(body));
            }
            return response.body();
        } catch (IOException e) {
            throw new ApiException(0, "talking to " + base + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, "interrupted");
        }
    }

    byte[] download(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    private JsonNode send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.header("Authorization", "Bearer " + token)
                    .header("Accept", "application/json").timeout(Duration.ofMinutes(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
            if (response.statusCode() >= 400) {
                throw new ApiException(response.statusCode(), describe(body));
            }
            return body;
        } catch (ConnectException e) {
            throw new ApiException(0, "cannot reach the platform at " + base + " (is 'instructflow serve' running?)");
        } catch (IOException e) {
            throw new ApiException(0, "talking to " + base + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, "interrupted");
        }
    }

    /** "invalid request: name is required; sft.steps must be ..." from the API's error body. */
    private static String describe(JsonNode error) {
        StringBuilder s = new StringBuilder(error.path("error").asText("request failed"));
        for (JsonNode f : error.path("fields")) {
            s.append(s.indexOf(":") < 0 ? ": " : "; ").append(f.path("field").asText()).append(' ').append(f.path("reason").asText());
        }
        return s.toString();
    }
}
