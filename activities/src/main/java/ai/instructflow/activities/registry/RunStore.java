package ai.instructflow.activities.registry;

import ai.instructflow.activities.storage.ObjectStore;
import ai.instructflow.workflows.RunSpec;
import ai.instructflow.workflows.Stage;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The run registry, kept in object storage so runs can be listed and read without the Temporal
 * service (an embedded one forgets everything on restart and cannot list). Layout:
 * <pre>
 * runs/&lt;id&gt;/spec.json                  the spec with defaults filled in
 * runs/&lt;id&gt;/run.json                   status and timings ({@link RunRecord})
 * runs/&lt;id&gt;/&lt;stage&gt;/manifest.json       outputs, inputs, attempts ({@link StageManifest})
 * runs/&lt;id&gt;/&lt;stage&gt;/...                the stage's artifacts and checkpoints
 * cache/&lt;stage&gt;/&lt;inputs hash&gt;.json       which run holds outputs for these inputs and settings
 * </pre>
 */
public final class RunStore {

    public static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);
    private static final java.util.regex.Pattern RUN_ID = java.util.regex.Pattern.compile("\\d{8}-\\d{6}-[0-9a-f]{6}");
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ObjectStore store;

    public RunStore(ObjectStore store) {
        this.store = store;
    }

    public ObjectStore objects() {
        return store;
    }

    /** Ids sort by creation time, so the newest run lists first without reading every record. */
    public static String newRunId() {
        byte[] suffix = new byte[3];
        RANDOM.nextBytes(suffix);
        return ID_TIME.format(Instant.now()) + "-" + HexFormat.of().formatHex(suffix);
    }

    public static String now() {
        return Instant.now().toString();
    }

    public static String prefix(String runId) {
        return "runs/" + runId + "/";
    }

    public static String stagePrefix(String runId, Stage stage) {
        return prefix(runId) + stage.id() + "/";
    }

    public void create(RunRecord record, RunSpec spec) {
        write(prefix(record.id()) + "spec.json", spec);
        save(record);
    }

    public void save(RunRecord record) {
        write(prefix(record.id()) + "run.json", record);
    }

    /** Whether {@code id} has the shape {@link #newRunId} gives: anything else names no run, and no key. */
    public static boolean isRunId(String id) {
        return id != null && RUN_ID.matcher(id).matches();
    }

    public Optional<RunRecord> run(String runId) {
        return isRunId(runId) ? read(prefix(runId) + "run.json", RunRecord.class) : Optional.empty();
    }

    public Optional<RunSpec> spec(String runId) {
        return isRunId(runId) ? read(prefix(runId) + "spec.json", RunSpec.class) : Optional.empty();
    }

    /** Every run, newest first. */
    public List<RunRecord> runs() {
        return store.folders("runs/").stream()
                .map(folder -> folder.substring("runs/".length(), folder.length() - 1))
                .sorted(Comparator.reverseOrder())
                .map(this::run)
                .flatMap(Optional::stream)
                .toList();
    }

    public Optional<StageManifest> stage(String runId, Stage stage) {
        return isRunId(runId) ? read(stagePrefix(runId, stage) + "manifest.json", StageManifest.class) : Optional.empty();
    }

    public void save(String runId, StageManifest manifest) {
        write(stagePrefix(runId, Stage.of(manifest.stage).orElseThrow()) + "manifest.json", manifest);
    }

    public Optional<String> cached(Stage stage, String inputsHash) {
        return read("cache/" + stage.id() + "/" + inputsHash + ".json", Map.class).map(m -> (String) m.get("run_id"));
    }

    public void cache(Stage stage, String inputsHash, String runId) {
        write("cache/" + stage.id() + "/" + inputsHash + ".json", Map.of("run_id", runId));
    }

    public void write(String key, Object value) {
        try {
            store.put(key, JSON.writeValueAsBytes(value), "application/json");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + key, e);
        }
    }

    public <T> Optional<T> read(String key, Class<T> type) {
        try {
            return Optional.of(JSON.readValue(store.get(key), type));
        } catch (ObjectStore.NotFound e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable registry entry " + key, e);
        }
    }
}
