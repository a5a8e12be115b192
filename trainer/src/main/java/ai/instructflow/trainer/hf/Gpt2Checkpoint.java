package ai.instructflow.trainer.hf;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.instructflow.trainer.hf.UnsupportedCheckpointException.Problem;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.model.GPTConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Hugging Face GPT-2 checkpoint folder: {@code config.json} and the weights in
 * {@code model.safetensors}, or sharded as {@code model-0000N-of-0000M.safetensors} listed by
 * {@code model.safetensors.index.json}. Tensor names may carry the {@code transformer.} prefix
 * (recent transformers) or not (the original {@code gpt2} upload). A {@code GPT2LMHeadModel} loads
 * as a model with the LM head, a {@code GPT2ForSequenceClassification} with one label as one with the
 * score head (its bias zero: Hugging Face's score layer has none).
 *
 * <p>{@link #check} reads only config.json and the safetensors headers, so a folder is judged in
 * milliseconds before any weight is loaded; {@link #read} checks first and refuses the same way.
 */
public final class Gpt2Checkpoint {

    public static final String WEIGHTS = "model.safetensors";
    public static final String INDEX = "model.safetensors.index.json";
    private static final String PREFIX = "transformer.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Gpt2Checkpoint() {}

    /** What a folder holds, once checked: its config and where each expected tensor lives. */
    public record Contents(Gpt2Config config, Map<Path, Map<String, String>> files) {}

    /** The folder's config and tensor locations, or every reason it cannot be loaded. */
    public static Contents check(Path dir) throws UnsupportedCheckpointException {
        List<Problem> problems = new ArrayList<>();
        Gpt2Config config = readConfig(dir, problems);
        Map<String, Located> tensors = tensors(dir, problems);
        Map<Path, Map<String, String>> files = new LinkedHashMap<>();
        if (config != null && tensors != null) {
            files = match(config, tensors, problems);
        }
        if (!problems.isEmpty()) {
            throw new UnsupportedCheckpointException(dir.toString(), problems);
        }
        return new Contents(config, files);
    }

    /** The model on {@code device}, with the head its config names. */
    public static GPT read(Path dir, Device device) throws UnsupportedCheckpointException, IOException {
        Contents contents = check(dir);
        GPTConfig shape = contents.config().shape();
        Map<String, Boolean> conv1d = new LinkedHashMap<>();
        for (Gpt2Layout.Tensor t : expected(contents.config())) {
            conv1d.put(t.name(), t.conv1d());
        }
        GPT model = GPT.empty(shape, device);
        try {
            for (Map.Entry<Path, Map<String, String>> file : contents.files().entrySet()) {
                Map<String, String> names = file.getValue();
                Map<String, NDArray> loaded = SafeTensors.read(file.getKey(), model.manager(), names::containsKey);
                for (Map.Entry<String, NDArray> t : loaded.entrySet()) {
                    String ours = names.get(t.getKey());
                    NDArray value = t.getValue();
                    if (conv1d.get(ours)) {
                        NDArray stored = value;
                        value = Gpt2Layout.transposed(stored, model.manager());
                        stored.close();
                    }
                    model.put(ours, value);
                }
            }
            if (contents.config().classifier()) {
                model.put("score.b", model.manager().zeros(new Shape(1), DataType.FLOAT32));
            }
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    private static List<Gpt2Layout.Tensor> expected(Gpt2Config config) {
        GPTConfig c = config.shape();
        List<Gpt2Layout.Tensor> out = new ArrayList<>(Gpt2Layout.body(c));
        if (config.classifier()) {
            out.add(Gpt2Layout.score(c));
        } else if (!c.architecture().tiedLmHead()) {
            out.add(Gpt2Layout.lmHead(c));
        }
        return out;
    }

    private static Gpt2Config readConfig(Path dir, List<Problem> problems) {
        Path file = dir.resolve(Gpt2Config.FILE);
        if (!Files.isRegularFile(file)) {
            problems.add(new Problem(Gpt2Config.FILE, "is missing"));
            return null;
        }
        try {
            return Gpt2Config.read(JSON.readTree(file.toFile()), problems);
        } catch (IOException e) {
            problems.add(new Problem(Gpt2Config.FILE, "is not valid JSON: " + e.getMessage()));
            return null;
        }
    }

    /** A tensor as stored: its file, its name there, and its header entry. */
    private record Located(Path file, String storedName, SafeTensors.Entry entry) {}

    /** Every stored tensor by its name without the prefix, or null when the weights cannot be read. */
    private static Map<String, Located> tensors(Path dir, List<Problem> problems) {
        Set<Path> files = weightFiles(dir, problems);
        if (files == null) {
            return null;
        }
        Map<String, Located> out = new LinkedHashMap<>();
        boolean readable = true;
        for (Path file : files) {
            try {
                for (SafeTensors.Entry e : SafeTensors.header(file).values()) {
                    String name = e.name().startsWith(PREFIX) ? e.name().substring(PREFIX.length()) : e.name();
                    if (out.put(name, new Located(file, e.name(), e)) != null) {
                        problems.add(new Problem("tensor " + e.name(), "is stored twice (with and without "
                                + PREFIX + ", or in two shards)"));
                    }
                }
            } catch (IOException e) {
                problems.add(new Problem(dir.relativize(file).toString(), e.getMessage()));
                readable = false;
            }
        }
        return readable ? out : null;
    }

    private static Set<Path> weightFiles(Path dir, List<Problem> problems) {
        Path single = dir.resolve(WEIGHTS);
        Path index = dir.resolve(INDEX);
        if (Files.isRegularFile(single)) {
            return Set.of(single);
        }
        if (!Files.isRegularFile(index)) {
            String found = Files.isRegularFile(dir.resolve("pytorch_model.bin"))
                    ? "; pytorch_model.bin (a pickle) is not read: convert it to safetensors" : "";
            problems.add(new Problem(WEIGHTS, "is missing, and there is no " + INDEX + found));
            return null;
        }
        Set<Path> files = new LinkedHashSet<>();
        try {
            JsonNode map = JSON.readTree(index.toFile()).path("weight_map");
            for (Iterator<JsonNode> it = map.elements(); it.hasNext(); ) {
                String shard = it.next().asText();
                Path file = dir.resolve(shard).normalize();
                if (!file.startsWith(dir.normalize()) || !Files.isRegularFile(file)) {
                    problems.add(new Problem(INDEX, "names shard " + shard + ", which is not in the folder"));
                } else {
                    files.add(file);
                }
            }
            if (map.isEmpty()) {
                problems.add(new Problem(INDEX, "has no weight_map"));
            }
        } catch (IOException e) {
            problems.add(new Problem(INDEX, "is not valid JSON: " + e.getMessage()));
            return null;
        }
        return files;
    }

    /** Checks names and shapes against the config; returns file -> stored name -> our name. */
    private static Map<Path, Map<String, String>> match(Gpt2Config config, Map<String, Located> stored,
                                                        List<Problem> problems) {
        Map<Path, Map<String, String>> files = new LinkedHashMap<>();
        Set<String> used = new LinkedHashSet<>();
        for (Gpt2Layout.Tensor t : expected(config)) {
            Located at = stored.get(t.hfName());
            used.add(t.hfName());
            if (at == null) {
                problems.add(new Problem("tensor " + t.hfName(), "is missing"));
            } else if (!Arrays.equals(at.entry().shape(), t.hfShape())) {
                problems.add(new Problem("tensor " + at.storedName(), "has shape " + Arrays.toString(at.entry().shape())
                        + " but config.json implies " + Arrays.toString(t.hfShape())));
            } else {
                files.computeIfAbsent(at.file(), f -> new LinkedHashMap<>()).put(at.storedName(), t.name());
            }
        }
        boolean tied = config.shape().architecture().tiedLmHead();
        for (Map.Entry<String, Located> e : stored.entrySet()) {
            String name = e.getKey();
            // a tied head saved anyway is the embedding again, which transformers re-ties on load
            boolean ignored = Gpt2Layout.isMaskBuffer(name) || (tied && name.equals("lm_head.weight"));
            if (!used.contains(name) && !ignored) {
                problems.add(new Problem("tensor " + e.getValue().storedName(),
                        "is not part of a GPT-2 " + (config.classifier() ? "classifier" : "LM") + " and would be dropped"));
            }
        }
        return files;
    }
}
