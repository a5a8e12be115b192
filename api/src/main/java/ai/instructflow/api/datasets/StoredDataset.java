package ai.instructflow.api.datasets;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An uploaded dataset as stored: the key a run spec names it by, its kind, rows, sha256 and size in
 * bytes; for prompts also how many train and held out, and how many repeats were dropped.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StoredDataset(String key, String kind, int count, String sha256, long bytes, Integer train, Integer heldOut,
                            Integer duplicates) {}
