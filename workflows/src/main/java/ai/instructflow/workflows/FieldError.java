package ai.instructflow.workflows;

/** One thing wrong with a request: the field's JSON path (snake_case, dotted) and why. */
public record FieldError(String field, String reason) {}
