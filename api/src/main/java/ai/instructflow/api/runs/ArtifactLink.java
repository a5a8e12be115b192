package ai.instructflow.api.runs;

/** An artifact with a presigned URL a plain HTTP GET downloads (valid for an hour). */
public record ArtifactLink(String stage, String name, String key, String sha256, long size, long count, String url) {}
