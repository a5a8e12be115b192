package ai.instructflow.api.error;

import ai.instructflow.workflows.FieldError;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.Temporal;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.PropertyBindingException;

/**
 * Turns Jackson's complaints about a request body into a {@link FieldError} a client can act
 * on: the JSON path of the bad field and a reason in the API's terms. Jackson's own messages name Java classes
 * and quote source snippets, so they are never passed through.
 */
final class JsonInputErrors {

    static final String WHOLE_BODY = "$";

    private JsonInputErrors() {
    }

    static FieldError describe(JsonProcessingException e) {
        if (e instanceof PropertyBindingException unknown) {
            String known = unknown.getKnownPropertyIds() == null ? "" : unknown.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", ", " (known: ", ")"));
            return new FieldError(path(unknown), "unknown property" + known);
        }
        if (e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            return new FieldError(path(mismatch), "expected " + describe(elementType(mismatch)));
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return new FieldError(path(mapping), "invalid value");
        }
        if (e instanceof MismatchedInputException mismatch) {
            return new FieldError(WHOLE_BODY, "expected " + describe(mismatch.getTargetType()));
        }
        return new FieldError(WHOLE_BODY, "malformed JSON" + at(e.getLocation()));
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference step : e.getPath()) {
            if (step.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(step.getFieldName());
            } else if (step.getIndex() >= 0) {
                path.append('[').append(step.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? WHOLE_BODY : path.toString();
    }

    /** An array's deserializer reports the array as the target even when one of its elements is at fault. */
    private static Class<?> elementType(MismatchedInputException e) {
        Class<?> type = e.getTargetType();
        List<JsonMappingException.Reference> path = e.getPath();
        boolean inElement = path.get(path.size() - 1).getIndex() >= 0;
        return inElement && type != null && type.isArray() ? type.getComponentType() : type;
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** The JSON shape a Java type is read from, in the words of the API docs rather than of Java. */
    private static String describe(Class<?> type) {
        if (type == null) {
            return "a different value";
        }
        if (type == String.class || type == char.class || type == Character.class) {
            return "a string";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == int.class || type == long.class || type == short.class || type == byte.class
                || type == Integer.class || type == Long.class || type == Short.class || type == Byte.class
                || type == BigInteger.class) {
            return "an integer";
        }
        if (type.isPrimitive() || Number.class.isAssignableFrom(type) || type == BigDecimal.class) {
            return "a number";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "an ISO-8601 date-time string";
        }
        if (type.isEnum()) {
            return "one of the allowed values";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || !type.getName().startsWith("java.")) {
            return "an object";
        }
        return "a different value";
    }
}
