package ai.instructflow.activities.labeling;

import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.activities.registry.StageManifest;
import ai.instructflow.activities.stages.JsonLines;
import ai.instructflow.activities.storage.ObjectStore;
import ai.instructflow.workflows.labeling.LabelBatch;
import ai.instructflow.activities.stages.Artifacts;
import ai.instructflow.workflows.Artifact;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A labeling queue's folder in object storage, the record of everything people did:
 * <pre>
 *   {prefix}queue.json                       what the tasks are (QueueMeta)
 *   {prefix}tasks.jsonl                      the tasks, one per line
 *   {prefix}labels/{labeler}/{submission}.jsonl   each submission's labels, written before the queue counts them
 *   {prefix}accepted/{chunk}.jsonl           the submissions the queue counted, in order
 *   {prefix}shards/{shard}-of-{count}.jsonl  what one shard generated for the tasks or the evaluation, until the stage succeeds
 *   {prefix}shards/{shard}-of-{count}.json   who generated it, when: kept in the stage's manifest then
 * </pre>
 */
public final class LabelStore {

    private static final String JSONL = "application/x-ndjson";
    private static final int CACHED_TASK_FILES = 8;

    private final ObjectStore objects;
    /** Tasks never change once written, and every lease needs them: keep the recent queues' in memory. */
    private final Map<String, List<LabelingTask>> tasks = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, List<LabelingTask>> eldest) {
                    return size() > CACHED_TASK_FILES;
                }
            });

    public LabelStore(ObjectStore objects) {
        this.objects = objects;
    }

    public boolean exists(String prefix) {
        return objects.exists(prefix + "queue.json");
    }

    /** Tasks first, then the meta that marks the folder complete, so a half-written folder is never used. */
    public void create(String prefix, QueueMeta meta, List<LabelingTask> rows) {
        objects.put(prefix + "tasks.jsonl", out -> {
            for (LabelingTask t : rows) {
                JsonLines.write(out, t);
            }
        }, JSONL);
        try {
            objects.put(prefix + "queue.json", RunStore.JSON.writeValueAsBytes(meta), "application/json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A shard as stored: its generated lines and the record of who made them. */
    public record StoredShard(List<String> lines, StageManifest.Shard made) {}

    /** One shard's generated lines, then its record: a shard with a record is whole (each object is written whole). */
    public void putShard(String prefix, StoredShard stored) {
        StageManifest.Shard made = stored.made();
        String key = shardKey(prefix, made.shard(), made.count());
        objects.put(key + "l", out -> {
            for (String line : stored.lines()) {
                JsonLines.write(out, line);
            }
        }, JSONL);
        try {
            objects.put(key, RunStore.JSON.writeValueAsBytes(made), "application/json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean hasShard(String prefix, int shard, int count) {
        return objects.exists(shardKey(prefix, shard, count));
    }

    /** A shard a worker stored. */
    public Optional<StoredShard> shard(String prefix, int shard, int count) {
        String key = shardKey(prefix, shard, count);
        if (!objects.exists(key)) {
            return Optional.empty();
        }
        return Optional.of(new StoredShard(readLines(key + "l", String.class),
                objects.read(key, in -> RunStore.JSON.readValue(in, StageManifest.Shard.class))));
    }

    /** The shards are in the stage's outputs now. */
    public void deleteShards(String prefix) {
        objects.list(prefix + "shards/").forEach(objects::delete);
    }

    /** The record's key; the lines' is the same with an "l" (.jsonl). */
    private static String shardKey(String prefix, int shard, int count) {
        return prefix + "shards/" + shard + "-of-" + count + ".json";
    }

    public QueueMeta meta(String prefix) {
        return objects.read(prefix + "queue.json", in -> RunStore.JSON.readValue(in, QueueMeta.class));
    }

    public List<LabelingTask> tasks(String prefix) {
        List<LabelingTask> cached = tasks.get(prefix);
        if (cached != null) {
            return cached;
        }
        List<LabelingTask> read = List.copyOf(readLines(prefix + "tasks.jsonl", LabelingTask.class));
        tasks.put(prefix, read);
        return read;
    }

    /** One submission's labels as stored: the batch the queue's submit update references. */
    public record StoredLabels(LabelBatch batch) {}

    /**
     * Stores one submission's labels under a key named by their content, so a stored label file never
     * changes: a submission sent again with other content is another object, and the one a queue
     * counted stays as it was (the same submission sent again writes the same bytes to the same key).
     * The returned batch is what the queue's submit update references.
     */
    public StoredLabels putLabels(String prefix, String labeler, String submissionId, List<Label> labels) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            for (Label label : labels) {
                JsonLines.write(bytes, label);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] content = bytes.toByteArray();
        String sha256 = HexFormat.of().formatHex(ObjectStore.sha256Digest().digest(content));
        String key = prefix + "labels/" + URLEncoder.encode(labeler, StandardCharsets.UTF_8) + "/" + submissionId + "-"
                + sha256 + ".jsonl";
        objects.put(key, content, JSONL);
        return new StoredLabels(new LabelBatch(labeler, submissionId, labels.stream().map(Label::task).toList(), key, sha256));
    }

    /**
     * Removes labels stored for a submission the queue refused. Its refusal proves it counts none of
     * them: the queue answers a submission it counted before as a duplicate, never with a refusal.
     */
    public void deleteRefused(StoredLabels stored) {
        objects.delete(stored.batch().key());
    }

    /**
     * Removes labels stored for a submission that never reached a running queue (it had ended, or
     * runs in another folder now), unless the queue under {@code prefix} counted them before: a
     * retry of a counted submission stored the very same file again, which must stay.
     */
    public void deleteUnlessRecorded(StoredLabels stored, String prefix) {
        String key = stored.batch().key();
        if (accepted(prefix).stream().noneMatch(b -> b.key().equals(key))) {
            objects.delete(key);
        }
    }

    public void putAccepted(String prefix, int chunk, List<LabelBatch> batches) {
        objects.put(prefix + String.format("accepted/%08d.jsonl", chunk), out -> {
            for (LabelBatch b : batches) {
                JsonLines.write(out, b);
            }
        }, JSONL);
    }

    public List<String> chunks(String prefix) {
        return objects.list(prefix + "accepted/");
    }

    /** Every submission the queue counted, over all its executions (a resumed run continues the numbering). */
    public List<LabelBatch> accepted(String prefix) {
        List<LabelBatch> out = new ArrayList<>();
        for (String key : chunks(prefix)) {
            out.addAll(readLines(key, LabelBatch.class));
        }
        return out;
    }

    /** Everyone whose submissions a queue under {@code labelingPrefix} counted, over every queue folder there. */
    public Set<String> labelers(String labelingPrefix) {
        Set<String> out = new TreeSet<>();
        for (String queue : objects.folders(labelingPrefix)) {
            accepted(queue).forEach(b -> out.add(b.labeler()));
        }
        return out;
    }

    /** The labels of counted submissions; a label file changed after it was counted is refused, not trusted. */
    public List<Label> labels(List<LabelBatch> batches) {
        Artifacts verified = new Artifacts(objects);
        List<Label> out = new ArrayList<>();
        for (LabelBatch b : batches) {
            out.addAll(verified.load(new Artifact("labels", b.key(), b.sha256(), 0, b.tasks().size()),
                    in -> lines(in, Label.class)));
        }
        return out;
    }

    private <T> List<T> readLines(String key, Class<T> type) {
        return objects.read(key, in -> lines(in, type));
    }

    private static <T> List<T> lines(InputStream in, Class<T> type) throws IOException {
        List<T> rows = new ArrayList<>();
        JsonLines.forEach(in, (number, text) -> rows.add(RunStore.JSON.readValue(text, type)));
        return rows;
    }
}
