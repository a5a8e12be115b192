package ai.instructflow.workflows;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * How every request body and run spec is bound: a value is taken only in its own JSON shape. Jackson
 * by default reads {@code "5"} as 5, {@code 1.5} as 1 and {@code 123} as "123", which turns a
 * caller's mistake into a setting they did not ask for (a fraction of steps quietly truncated, a
 * number stored as a name).
 */
public final class StrictJson {

    private StrictJson() {}

    public static <M extends ObjectMapper> M apply(M mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        // an enum is its name: Jackson would otherwise take 0 or 1 as the first or second constant
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        // Jackson also reads "" (and [] or {}) as null for a number or a flag, quietly dropping what was meant
        refuse(mapper, LogicalType.Textual, CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean,
                CoercionInputShape.EmptyArray, CoercionInputShape.EmptyObject);
        refuse(mapper, LogicalType.Integer, CoercionInputShape.String, CoercionInputShape.Float, CoercionInputShape.Boolean,
                CoercionInputShape.EmptyString, CoercionInputShape.EmptyArray, CoercionInputShape.EmptyObject);
        refuse(mapper, LogicalType.Float, CoercionInputShape.String, CoercionInputShape.Boolean,
                CoercionInputShape.EmptyString, CoercionInputShape.EmptyArray, CoercionInputShape.EmptyObject);
        refuse(mapper, LogicalType.Boolean, CoercionInputShape.String, CoercionInputShape.Integer, CoercionInputShape.Float,
                CoercionInputShape.EmptyString, CoercionInputShape.EmptyArray, CoercionInputShape.EmptyObject);
        return mapper;
    }

    private static void refuse(ObjectMapper mapper, LogicalType type, CoercionInputShape... shapes) {
        for (CoercionInputShape shape : shapes) {
            mapper.coercionConfigFor(type).setCoercion(shape, CoercionAction.Fail);
        }
    }
}
