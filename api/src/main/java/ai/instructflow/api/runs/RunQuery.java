package ai.instructflow.api.runs;

import ai.instructflow.api.error.ValidationException;
import ai.instructflow.workflows.FieldError;
import ai.instructflow.workflows.RunStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * Which runs a list asks for: a status (null for all) and a page. Read from the query string here
 * rather than by JAX-RS, which answers a parameter it cannot convert ({@code ?size=abc}) with a bare
 * 404 instead of naming it.
 */
public record RunQuery(String status, int page, int size) {

    static final int DEFAULT_SIZE = 20;
    static final int MAX_SIZE = 200;

    static RunQuery parse(String status, String page, String size) {
        List<FieldError> errors = new ArrayList<>();
        if (status != null && !RunStatus.OF_RUNS.contains(status)) {
            errors.add(new FieldError("status", "must be one of " + String.join(", ", RunStatus.OF_RUNS) + ", got '"
                    + status + "'"));
        }
        int p = integer("page", page, 0, 0, Integer.MAX_VALUE, errors);
        int s = integer("size", size, DEFAULT_SIZE, 1, MAX_SIZE, errors);
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return new RunQuery(status, p, s);
    }

    private static int integer(String name, String value, int fallback, int min, int max, List<FieldError> errors) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // named below with the range it must be in
        }
        errors.add(new FieldError(name, (max == Integer.MAX_VALUE ? "must be an integer >= " + min
                : "must be an integer between " + min + " and " + max) + ", got '" + value + "'"));
        return fallback;
    }
}
