package ai.instructflow.activities.models;

import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.activities.storage.ObjectStore;
import ai.instructflow.trainer.hf.ModelInspection;
import ai.instructflow.trainer.hf.UnsupportedCheckpointException;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Base models in object storage, content-addressed: a folder checked whole as a GPT-2-family
 * language model is stored under {@code models/<sha256>/}, the digest of its files' names and
 * digests, with {@code model.json} beside the files: each file's sha256 and size, and what the
 * inspection found (shape, parameters, tokenizer). The same folder uploaded twice is one model.
 * Workers unpack a model once into a local cache, each file checked against its recorded sha256.
 */
public final class ModelStore {

    public static final String PREFIX = "models/";
    public static final String MANIFEST = "model.json";
    /** Where a machine unpacks the stored models it uses, once each. */
    public static final Path CACHE = Path.of(System.getProperty("java.io.tmpdir"), "instructflow-models");

    /** One file of a model folder, by its path inside the folder. */
    public record StoredFile(String name, String sha256, long size) {}

    /** A stored model: the key a run spec names as {@code base_model}, and its manifest. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record StoredModel(String key, Map<String, Object> inspection, List<StoredFile> files, String createdAt) {}

    private final ObjectStore objects;

    public ModelStore(ObjectStore objects) {
        this.objects = objects;
    }

    /** Checks {@code folder} whole and stores it; a model already stored under the same digest is returned as it is. */
    public StoredModel store(Path folder) throws UnsupportedCheckpointException, IOException {
        ModelInspection inspection = ModelInspection.languageModel(folder);
        List<StoredFile> files = new ArrayList<>();
        MessageDigest folderDigest = ObjectStore.sha256Digest();
        for (Path file : ModelArchive.files(folder)) {
            String name = folder.relativize(file).toString().replace('\\', '/');
            String sha256 = sha256(file);
            files.add(new StoredFile(name, sha256, Files.size(file)));
            folderDigest.update((name + " " + sha256 + "\n").getBytes(StandardCharsets.UTF_8));
        }
        String key = PREFIX + HexFormat.of().formatHex(folderDigest.digest());
        Optional<StoredModel> known = find(key);
        if (known.isPresent()) {
            return known.get();
        }
        for (StoredFile f : files) {
            objects.put(key + "/" + f.name(), out -> Files.copy(folder.resolve(f.name()), out), "application/octet-stream");
        }
        StoredModel model = new StoredModel(key, inspection.toMap(), files, RunStore.now());
        // the manifest last: a model whose upload broke off is never listed or used
        objects.put(key + "/" + MANIFEST, RunStore.JSON.writeValueAsBytes(model), "application/json");
        return model;
    }

    public Optional<StoredModel> find(String key) {
        if (!objects.exists(key + "/" + MANIFEST)) {
            return Optional.empty();
        }
        return Optional.of(objects.read(key + "/" + MANIFEST, in -> RunStore.JSON.readValue(in, StoredModel.class)));
    }

    /** Every stored model, oldest first. */
    public List<StoredModel> list() {
        List<StoredModel> out = new ArrayList<>();
        for (String folder : objects.folders(PREFIX)) {
            find(folder.substring(0, folder.length() - 1)).ifPresent(out::add);
        }
        out.sort(java.util.Comparator.comparing(StoredModel::createdAt));
        return out;
    }

    /**
     * The model's folder on this machine, under {@code cache}: downloaded once, each file verified,
     * and moved into place whole, so a folder found there is complete.
     */
    public Path local(String key, Path cache) {
        Path target = cache.resolve(key.substring(PREFIX.length()));
        if (Files.isDirectory(target)) {
            // every stage and every playground call asks: the bucket is read only the first time
            return target;
        }
        StoredModel model = find(key).orElseThrow(() -> new IllegalArgumentException("no model " + key));
        try {
            Files.createDirectories(cache);
            Path partial = Files.createTempDirectory(cache, "download-");
            for (StoredFile f : model.files()) {
                Path file = partial.resolve(f.name());
                Files.createDirectories(file.getParent());
                String sha256 = objects.read(key + "/" + f.name(), in -> copy(in, file));
                if (!sha256.equals(f.sha256())) {
                    throw new IllegalStateException("model " + key + ": " + f.name() + " has sha256 " + sha256
                            + ", its manifest says " + f.sha256());
                }
            }
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                // another stage on this worker unpacked it first
                if (!Files.isDirectory(target)) {
                    throw e;
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("could not unpack model " + key + " into " + cache, e);
        }
    }

    private static String copy(InputStream in, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            return digest(in, out);
        }
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return digest(in, OutputStream.nullOutputStream());
        }
    }

    /** Copies {@code in} to {@code out}; returns the sha256 of what went through. */
    private static String digest(InputStream in, OutputStream out) throws IOException {
        MessageDigest digest = ObjectStore.sha256Digest();
        new DigestInputStream(in, digest).transferTo(out);
        return HexFormat.of().formatHex(digest.digest());
    }
}
