package ai.instructflow.api.datasets;

/** An uploaded dataset as stored: the key a run spec names it by, its kind, rows, sha256 and size in bytes. */
public record StoredDataset(String key, String kind, int count, String sha256, long bytes) {}
