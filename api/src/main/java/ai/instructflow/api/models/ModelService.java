package ai.instructflow.api.models;

import ai.instructflow.activities.models.ModelArchive;
import ai.instructflow.activities.models.ModelStore;
import ai.instructflow.activities.models.ScratchFolder;
import ai.instructflow.activities.storage.ObjectStore;
import ai.instructflow.api.error.ValidationException;
import ai.instructflow.api.platform.Platform;
import ai.instructflow.trainer.hf.UnsupportedCheckpointException;
import ai.instructflow.workflows.FieldError;
import ai.instructflow.workflows.ObjectKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Checking and storing base models; the files go through a scratch folder that is always removed. */
@ApplicationScoped
public class ModelService {

    public static final String ZIP = "application/zip";
    /** GPT-2 large in float32 is about 3.1 GB; anything past this is not a model this trainer runs on its workers. */
    private static final long MAX_BYTES = 8L << 30;

    /** A folder in the platform's bucket to register, e.g. "uploads/gpt2/". */
    public record Register(String folder) {}

    @Inject
    Platform platform;

    public ModelStore.StoredModel upload(InputStream zip) throws IOException {
        try (ScratchFolder scratch = ScratchFolder.create("instructflow-model-")) {
            try {
                ModelArchive.unpack(zip, scratch.path(), MAX_BYTES);
            } catch (ModelArchive.BadArchive e) {
                throw new ValidationException(List.of(new FieldError("archive", e.getMessage())));
            }
            return store(scratch.path());
        }
    }

    public ModelStore.StoredModel register(Register request) throws IOException {
        String folder = request == null ? null : request.folder();
        if (folder == null || folder.isBlank()) {
            throw new ValidationException(List.of(new FieldError("folder", "is required: a prefix in the bucket")));
        }
        String prefix = folder.endsWith("/") ? folder : folder + "/";
        String problem = ObjectKeys.problem(prefix.substring(0, prefix.length() - 1), "a model folder");
        if (problem != null) {
            throw new ValidationException(List.of(new FieldError("folder", problem)));
        }
        ObjectStore objects = platform.runs().objects();
        List<String> keys = objects.list(prefix);
        if (keys.isEmpty()) {
            throw new ValidationException(List.of(new FieldError("folder", "no objects under '" + prefix + "'")));
        }
        try (ScratchFolder scratch = ScratchFolder.create("instructflow-model-")) {
            Path dir = scratch.path();
            for (String key : keys) {
                Path file = dir.resolve(key.substring(prefix.length())).normalize();
                if (!file.startsWith(dir)) {
                    throw new ValidationException(List.of(new FieldError("folder", "object '" + key + "' lies outside it")));
                }
                Files.createDirectories(file.getParent());
                objects.read(key, in -> Files.copy(in, file));
            }
            return store(dir);
        }
    }

    public List<ModelStore.StoredModel> list() {
        return new ModelStore(platform.runs().objects()).list();
    }

    private ModelStore.StoredModel store(Path dir) throws IOException {
        try {
            return new ModelStore(platform.runs().objects()).store(dir);
        } catch (UnsupportedCheckpointException e) {
            throw new ValidationException(e.problems().stream()
                    .map(p -> new FieldError(p.subject(), p.message())).toList());
        }
    }
}
