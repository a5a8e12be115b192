package ai.instructflow.trainer.hf;

import ai.instructflow.trainer.hf.UnsupportedCheckpointException.Problem;
import ai.instructflow.trainer.model.GPTConfig;
import ai.instructflow.trainer.tokenizer.Gpt2BpeTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a model folder holds, judged without loading a weight: what {@code model inspect} prints
 * and what an upload is checked with before it is stored or a run starts from it.
 *
 * @param shape null when the config cannot be read
 * @param classifier a sequence-classification (reward) model rather than an LM
 * @param parameters every weight, as Hugging Face counts them (0 without a shape)
 * @param tokenizer which tokenizer files the folder has
 * @param problems everything that keeps the folder from loading; empty means it loads
 */
public record ModelInspection(GPTConfig shape, boolean classifier, long parameters, TokenizerFiles tokenizer,
                              List<Problem> problems) {

    public enum TokenizerFiles {
        /** Hugging Face's one-file tokenizer; read in preference to the pair. */
        TOKENIZER_JSON,
        /** GPT-2's vocab.json + merges.txt. */
        VOCAB_AND_MERGES,
        NONE
    }

    public boolean loadable() {
        return problems.isEmpty();
    }

    /**
     * The inspection of a folder that loads as a language model (to generate with, or to start a run
     * from), or its problems; a sequence classifier (a reward model) is refused, it has no LM head.
     */
    public static ModelInspection languageModel(Path dir) throws UnsupportedCheckpointException {
        ModelInspection inspection = of(dir);
        if (!inspection.loadable()) {
            throw new UnsupportedCheckpointException(dir.toString(), inspection.problems());
        }
        if (inspection.classifier()) {
            throw new UnsupportedCheckpointException(dir.toString(), List.of(new Problem("config.json: architectures",
                    "GPT2ForSequenceClassification scores text; a language model with an LM head is needed")));
        }
        return inspection;
    }

    public static ModelInspection of(Path dir) {
        List<Problem> problems = new ArrayList<>();
        GPTConfig shape = null;
        boolean classifier = false;
        try {
            Gpt2Checkpoint.Contents contents = Gpt2Checkpoint.check(dir);
            shape = contents.config().shape();
            classifier = contents.config().classifier();
        } catch (UnsupportedCheckpointException e) {
            problems.addAll(e.problems());
        }
        TokenizerFiles files = Files.isRegularFile(dir.resolve(Gpt2BpeTokenizer.TOKENIZER_JSON)) ? TokenizerFiles.TOKENIZER_JSON
                : Gpt2BpeTokenizer.present(dir) ? TokenizerFiles.VOCAB_AND_MERGES : TokenizerFiles.NONE;
        if (files == TokenizerFiles.NONE) {
            problems.add(new Problem("tokenizer", "no " + Gpt2BpeTokenizer.TOKENIZER_JSON + ", nor "
                    + Gpt2BpeTokenizer.VOCAB + " + " + Gpt2BpeTokenizer.MERGES));
        } else {
            try {
                int size = Gpt2BpeTokenizer.fromFolder(dir).vocabSize();
                if (shape != null && size > shape.vocabSize()) {
                    problems.add(new Problem("tokenizer", size + " tokens, more than the model's vocab_size "
                            + shape.vocabSize()));
                }
            } catch (IOException | RuntimeException e) {
                problems.add(new Problem("tokenizer", e.getMessage()));
            }
        }
        // a classifier's head is score.weight, one row of n_embd
        long parameters = shape == null ? 0 : classifier ? shape.bodyParameters() + shape.dModel() : shape.parameters();
        return new ModelInspection(shape, classifier, parameters, files, List.copyOf(problems));
    }

    /** As printed by {@code model inspect}: one JSON object. */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("loadable", loadable());
        if (shape != null) {
            out.put("architecture", classifier ? "GPT2ForSequenceClassification" : "GPT2LMHeadModel");
            out.put("vocab_size", shape.vocabSize());
            out.put("n_embd", shape.dModel());
            out.put("n_layer", shape.layers());
            out.put("n_head", shape.heads());
            out.put("n_positions", shape.context());
            out.put("activation", shape.architecture().activation().name().toLowerCase());
            out.put("layer_norm_epsilon", shape.architecture().layerNormEpsilon());
            out.put("tied_lm_head", shape.architecture().tiedLmHead());
            out.put("parameters", parameters);
        }
        out.put("tokenizer", tokenizer.name().toLowerCase());
        out.put("problems", problems.stream().map(Problem::toString).toList());
        return out;
    }
}
