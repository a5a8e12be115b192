package ai.instructflow.api.error;

import ai.instructflow.workflows.FieldError;

import java.util.List;

/**
 * A request that is well-formed JSON but says something invalid; answered 400 with every field at fault, so a
 * client fixes them all in one round trip.
 */
public class ValidationException extends RuntimeException {

    private final transient List<FieldError> fields;

    public ValidationException(List<FieldError> fields) {
        super("invalid request: " + fields);
        this.fields = List.copyOf(fields);
    }

    public List<FieldError> fields() {
        return fields;
    }
}
