package ai.instructflow.trainer.hf;

import ai.instructflow.trainer.hf.UnsupportedCheckpointException.Problem;
import ai.instructflow.trainer.model.Architecture;
import ai.instructflow.trainer.model.GPTConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face GPT-2 {@code config.json}, read into a {@link GPTConfig} and written from one.
 * Absent optional fields take transformers' {@code GPT2Config} defaults (layer_norm_epsilon 1e-5,
 * activation gelu_new, resid_pdrop 0.1, tie_word_embeddings true). Every field whose value would
 * make this model compute something else than transformers does is refused, not approximated.
 *
 * @param shape the model's shape and architecture; dropout is {@code resid_pdrop}, the one rate
 *     our blocks use everywhere
 * @param classifier the config names {@code GPT2ForSequenceClassification}: a reward model
 */
public record Gpt2Config(GPTConfig shape, boolean classifier) {

    public static final String FILE = "config.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LM = "GPT2LMHeadModel";
    private static final String CLASSIFIER = "GPT2ForSequenceClassification";
    /** transformers' names for the two GELUs our blocks compute. */
    private static final Map<String, Architecture.Activation> ACTIVATIONS = Map.of(
            "gelu_new", Architecture.Activation.GELU_TANH,
            "gelu_pytorch_tanh", Architecture.Activation.GELU_TANH,
            "gelu", Architecture.Activation.GELU);

    /** The config, or null with the reasons added to {@code problems}. */
    public static Gpt2Config read(JsonNode json, List<Problem> problems) {
        int before = problems.size();
        String type = json.path("model_type").asText(null);
        if (!"gpt2".equals(type)) {
            problems.add(field("model_type", "is " + (type == null ? "missing" : "\"" + type + "\"")
                    + "; only GPT-2 family checkpoints (\"gpt2\") are supported"));
        }
        int d = positive(json, "n_embd", problems);
        int layers = positive(json, "n_layer", problems);
        int heads = positive(json, "n_head", problems);
        int context = positive(json, "n_positions", problems);
        int vocab = positive(json, "vocab_size", problems);
        if (d > 0 && heads > 0 && d % heads != 0) {
            problems.add(field("n_head", heads + " does not divide n_embd " + d));
        }
        double eps = json.path("layer_norm_epsilon").asDouble(1e-5);
        if (!(eps > 0)) {
            problems.add(field("layer_norm_epsilon", "must be positive, is " + json.path("layer_norm_epsilon")));
        }
        String act = json.path("activation_function").asText("gelu_new");
        Architecture.Activation activation = ACTIVATIONS.get(act);
        if (activation == null) {
            problems.add(field("activation_function", "\"" + act + "\" is not supported (gelu_new, gelu_pytorch_tanh, gelu)"));
        }
        JsonNode inner = json.path("n_inner");
        if (!inner.isMissingNode() && !inner.isNull() && d > 0 && inner.asInt() != 4 * d) {
            problems.add(field("n_inner", inner.asInt() + "; only 4 * n_embd (" + 4 * d + ") is supported"));
        }
        requireFlag(json, "scale_attn_weights", true, problems);
        requireFlag(json, "scale_attn_by_inverse_layer_idx", false, problems);
        requireFlag(json, "add_cross_attention", false, problems);
        boolean tied = json.path("tie_word_embeddings").asBoolean(true);
        boolean classifier = false;
        for (JsonNode a : json.path("architectures")) {
            classifier |= CLASSIFIER.equals(a.asText());
        }
        // transformers' default when neither field is written is two labels
        int labels = json.has("num_labels") ? json.path("num_labels").asInt()
                : json.has("id2label") ? json.path("id2label").size() : 2;
        if (classifier && labels != 1) {
            problems.add(field("num_labels", "a reward model has one label, this one has " + labels));
        }
        if (problems.size() > before) {
            return null;
        }
        float dropout = (float) json.path("resid_pdrop").asDouble(0.1);
        Architecture arch = new Architecture((float) eps, activation, tied);
        return new Gpt2Config(new GPTConfig(vocab, d, layers, heads, context, dropout, arch), classifier);
    }

    /**
     * The config.json transformers needs to build this model: {@code GPT2LMHeadModel}, or with
     * {@code classifier} {@code GPT2ForSequenceClassification} with one label.
     */
    public static ObjectNode write(GPTConfig c, boolean classifier, int bos, int eos, int pad) {
        ObjectNode json = JSON.createObjectNode();
        json.putArray("architectures").add(classifier ? CLASSIFIER : LM);
        json.put("model_type", "gpt2");
        json.put("vocab_size", c.vocabSize());
        json.put("n_positions", c.context());
        json.put("n_ctx", c.context());
        json.put("n_embd", c.dModel());
        json.put("n_layer", c.layers());
        json.put("n_head", c.heads());
        json.putNull("n_inner");
        Architecture arch = c.architecture();
        json.put("activation_function", arch.activation() == Architecture.Activation.GELU ? "gelu" : "gelu_new");
        json.put("layer_norm_epsilon", (double) arch.layerNormEpsilon());
        json.put("tie_word_embeddings", arch.tiedLmHead());
        json.put("resid_pdrop", (double) c.dropout());
        json.put("embd_pdrop", (double) c.dropout());
        json.put("attn_pdrop", (double) c.dropout());
        json.put("initializer_range", 0.02);
        json.put("scale_attn_weights", true);
        json.put("bos_token_id", bos);
        json.put("eos_token_id", eos);
        // the classifier reads the last token that is not padding, so it must know which id pads
        json.put("pad_token_id", pad);
        if (classifier) {
            json.put("num_labels", 1);
            json.putObject("id2label").put("0", "LABEL_0");
            json.putObject("label2id").put("LABEL_0", 0);
        }
        json.put("torch_dtype", "float32");
        return json;
    }

    private static int positive(JsonNode json, String name, List<Problem> problems) {
        JsonNode v = json.path(name);
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1) {
            problems.add(field(name, v.isMissingNode() ? "is missing" : "must be a positive integer, is " + v));
            return -1;
        }
        return v.asInt();
    }

    private static void requireFlag(JsonNode json, String name, boolean expected, List<Problem> problems) {
        JsonNode v = json.path(name);
        if (!v.isMissingNode() && v.asBoolean() != expected) {
            problems.add(field(name, "only " + expected + " is supported"));
        }
    }

    private static Problem field(String name, String message) {
        return new Problem(FILE + ": " + name, message);
    }
}
