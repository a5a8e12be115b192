package ai.instructflow.activities;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * What a fuzzer sends: a valid document with a few of its values replaced by hostile ones (strings
 * with NUL, lone surrogates or ten thousand characters, numbers past every range, fractions,
 * wrong types, deep nesting), fields removed or unknown ones added; or text that is not JSON at all.
 * Mutating a valid document reaches far deeper into a binder than random text does.
 */
public final class HostileJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private HostileJson() {}

    /** {@code valid} with one to three mutations, or, one time in ten, arbitrary text. */
    public static Arbitrary<String> mutationsOf(String valid) {
        JsonNode document = parse(valid);
        List<String> paths = new ArrayList<>();
        collect(document, "", paths);
        Arbitrary<Mutation> mutation = Combinators.combine(Arbitraries.of(paths), Arbitraries.of(Op.values()), values())
                .as(Mutation::new);
        Arbitrary<String> mutated = mutation.list().ofMinSize(1).ofMaxSize(3).map(ms -> {
            JsonNode copy = document.deepCopy();
            ms.forEach(m -> m.apply(copy));
            return copy.toString();
        });
        return Arbitraries.frequencyOf(
                Tuple.of(9, mutated),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(200)));
    }

    /**
     * Values no field should take quietly, each a node of its own: the empty array and object below
     * are single instances, and a document holding one that a later mutation writes into would
     * change every document after it, or hold itself and so never serialize.
     */
    public static Arbitrary<JsonNode> values() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(30).map(NODES::textNode),
                Arbitraries.of("\u0000", "\ud800", "a\udc00b", "../..", "/etc/passwd", "", " ", "x".repeat(10_000))
                        .map(NODES::textNode),
                Arbitraries.longs().map(NODES::numberNode),
                Arbitraries.of(0L, -1L, 1L, Integer.MAX_VALUE + 1L, Long.MIN_VALUE).map(NODES::numberNode),
                Arbitraries.of(new BigInteger("1" + "0".repeat(40))).map(NODES::numberNode),
                Arbitraries.doubles().map(NODES::numberNode),
                Arbitraries.of(new BigDecimal("1e400"), new BigDecimal("0.5")).map(NODES::numberNode),
                Arbitraries.of(NODES.booleanNode(true), NODES.nullNode(), NODES.arrayNode(), NODES.objectNode()),
                Arbitraries.integers().between(1, 2_000).map(HostileJson::nested))
                .map(JsonNode::deepCopy);
    }

    /** Arrays in arrays, as raw text: deeper than Jackson would write a tree, as a caller may send it. */
    private static JsonNode nested(int depth) {
        return NODES.rawValueNode(new RawValue("[".repeat(depth) + "]".repeat(depth)));
    }

    private enum Op { REPLACE, REMOVE, ADD_UNKNOWN, REPEAT }

    private record Mutation(String path, Op op, JsonNode value) {

        void apply(JsonNode root) {
            int cut = path.lastIndexOf('/');
            JsonNode parent = cut <= 0 ? root : root.at(path.substring(0, cut));
            String last = path.substring(cut + 1);
            if (parent instanceof ObjectNode object) {
                switch (op) {
                    case REPLACE -> object.set(last, value);
                    case REMOVE -> object.remove(last);
                    case ADD_UNKNOWN -> object.set(last + "_x", value);
                    case REPEAT -> object.set(last, NODES.arrayNode().add(value).add(value));
                }
            } else if (parent instanceof ArrayNode array && last.matches("\\d{1,6}") && Integer.parseInt(last) < array.size()) {
                // an earlier mutation may have turned an object on the path into an array
                int index = Integer.parseInt(last);
                switch (op) {
                    case REPLACE -> array.set(index, value);
                    case REMOVE -> array.remove(index);
                    case ADD_UNKNOWN -> array.add(value);
                    case REPEAT -> {
                        for (int i = 0; i < 1_000; i++) {
                            array.add(array.get(index));
                        }
                    }
                }
            }
        }
    }

    /** JSON pointers to every value in the document. */
    private static void collect(JsonNode node, String at, List<String> paths) {
        if (!at.isEmpty()) {
            paths.add(at);
        }
        if (node instanceof ContainerNode<?>) {
            if (node.isObject()) {
                node.fieldNames().forEachRemaining(name -> collect(node.get(name), at + "/" + name, paths));
            } else {
                for (int i = 0; i < node.size(); i++) {
                    collect(node.get(i), at + "/" + i, paths);
                }
            }
        }
    }

    private static JsonNode parse(String valid) {
        try {
            return JSON.readTree(valid);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the seed document must be valid JSON", e);
        }
    }
}
