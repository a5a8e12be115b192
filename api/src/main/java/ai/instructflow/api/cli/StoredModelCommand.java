package ai.instructflow.api.cli;

import ai.instructflow.activities.models.ModelStore;
import ai.instructflow.activities.storage.ObjectStore;
import ai.instructflow.activities.storage.StorageConfig;
import ai.instructflow.infra.EmbeddedS3;
import ai.instructflow.infra.InfraSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code model inspect|generate KEY}: a model stored in the platform's bucket ({@code models/<sha256>},
 * as {@code POST /api/v1/models} returned it), fetched into the local model cache and then inspected
 * or tried as a folder is. The bucket is the one the platform's settings name; in embedded mode its
 * folder is served for the duration of the command.
 */
final class StoredModelCommand {

    static final String USAGE = """
              model inspect|generate models/<sha256> [options]   a stored model, as ./instructflow model does a folder
            """;

    private StoredModelCommand() {}

    static void run(List<String> args) throws Exception {
        InfraSettings settings = InfraSettings.fromEnvironment();
        try (EmbeddedS3 s3 = settings.embeddedS3() ? EmbeddedS3.start(settings.dataDir().resolve("s3"), "127.0.0.1", 0,
                settings.s3AccessKey(), settings.s3SecretKey()) : null) {
            String endpoint = s3 != null ? s3.endpoint().toString() : settings.s3Endpoint();
            ObjectStore objects = new ObjectStore(StorageConfig.from(settings.at(settings.temporalTarget(), endpoint)));
            ModelStore models = new ModelStore(objects);
            String key = args.get(1);
            if (models.find(key).isEmpty()) {
                throw new IllegalArgumentException("no model " + key + " in bucket " + objects.bucket());
            }
            Path folder = models.local(key, ModelStore.CACHE);
            List<String> forFolder = new ArrayList<>(List.of("model"));
            forFolder.addAll(args);
            forFolder.set(2, folder.toString());
            ai.instructflow.trainer.Main.main(forFolder.toArray(String[]::new));
        }
    }
}
