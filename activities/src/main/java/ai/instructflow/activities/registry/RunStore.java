package ai.instructflow.activities.registry;

import ai.instructflow.activities.storage.ObjectStore;
import ai.instructflow.workflows.RunSpec;
import ai.instructflow.workflows.RunStatus;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The run registry, kept in object storage so runs can be listed and read without the Temporal
 * service (an embedded one forgets everything on restart and cannot list). Layout:
 * <pre>
 * runs/&lt;id&gt;/spec.json                  the spec with defaults filled in
 * runs/&lt;id&gt;/run.json                   status and timings ({@link RunRecord})
 * runs/&lt;id&gt;/&lt;stage&gt;/manifest.json       outputs, inputs, attempts ({@link StageManifest})
 * runs/&lt;id&gt;/&lt;stage&gt;/...                the stage's artifacts and checkpoints
 * cache/&lt;stage&gt;/&lt;inputs hash&gt;.json       which run holds outputs for these inputs and settings
 * runs-index/...                          which runs there are, with their status ({@link RunIndex})
 * </pre>
 *
 * <p>A run's status is written here alone ({@link #create}, {@link #save(RunRecord)}), which keeps the
 * index in step with the records; {@link #index} and {@link #runs(List)} list a page of runs without
 * reading the records of the others.
 */
public final class RunStore {

    public static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);
    private static final java.util.regex.Pattern RUN_ID = java.util.regex.Pattern.compile("\\d{8}-\\d{6}-[0-9a-f]{6}");
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ObjectStore store;
    private final RunIndex index;

    public RunStore(ObjectStore store) {
        this.store = store;
        this.index = new RunIndex(store);
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

    /** A new run: listed once its spec and record are written, so a listing never shows a run without them. */
    public void create(RunRecord record, RunSpec spec) {
        String id = requireRunId(record.id());
        write(prefix(id) + "spec.json", spec);
        write(prefix(id) + "run.json", record);
        index.mark(id, record.status());
        index.changed(id);
    }

    /**
     * Writes the run's record, and its index marker in step: the marker of the new status is written
     * before the record, the others removed after it, so at every moment the run is listed, once, and a
     * listing that finds two markers reads the record to settle which. A second writer of the same run at
     * the same moment could remove the marker of the status that won; the record, read after every
     * removal, decides which marker stays.
     */
    public void save(RunRecord record) {
        String id = requireRunId(record.id());
        index.mark(id, record.status());
        write(prefix(id) + "run.json", record);
        index.unmarkOthers(id, record.status());
        run(id).ifPresent(current -> index.ensure(id, current.status()));
        index.changed(id);
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

    /**
     * Every run, newest first, each once with its status, read from the index: its keys, and only the
     * record of a run whose status is changing (two markers). The first call in a process whose bucket
     * has no {@code runs-index/built} first checks every run's markers against its record, which gives
     * the runs written before the index their markers (a listing of {@code runs/} and a read of every
     * record, once per bucket).
     */
    public List<RunIndex.Entry> index() {
        buildIndex();
        List<RunIndex.Marked> marked = index.marked();
        List<RunIndex.Marked> changing = marked.stream().filter(m -> m.statuses().size() > 1).toList();
        Map<String, String> settled = new HashMap<>();
        List<Optional<RunRecord>> records = Parallel.map(changing, m -> run(m.id()));
        records.forEach(r -> r.ifPresent(record -> settled.put(record.id(), record.status())));
        List<RunIndex.Entry> out = new ArrayList<>(marked.size());
        for (RunIndex.Marked m : marked) {
            String status = m.statuses().size() == 1 ? m.statuses().get(0) : settled.get(m.id());
            if (status != null) {
                out.add(new RunIndex.Entry(m.id(), status));
            }
        }
        return out;
    }

    /** Which of these runs, running by their records, the workflow service has lost: they list as interrupted. */
    @FunctionalInterface
    public interface Lost {
        Set<String> of(List<String> runningIds);
    }

    /** A page of runs, and how many runs the listing has in all. */
    public record Page(List<RunRecord> runs, int total) {}

    /** How many runs have each status, and the records of the runs that are running. */
    public record Census(Map<String, Long> byStatus, List<RunRecord> running) {}

    /**
     * Page {@code page} of {@code size} runs, newest first, of those with {@code status} (null: every run),
     * and their total: from the index's keys and the page's records alone, each run once. The status a run
     * is filtered by is its index entry's, which is its record's; a running run the workflow service has
     * lost is interrupted, which only asking it tells: {@code lost} is asked about the page's running runs,
     * or, for {@code running} and {@code interrupted}, about every running run. A record changed since
     * the index was read is shown as it is now.
     */
    public Page page(String status, int page, int size, Lost lost) {
        List<RunIndex.Entry> entries = index();
        Set<String> asked = Set.of();
        Set<String> gone = Set.of();
        List<String> ids;
        if (status == null) {
            ids = entries.stream().map(RunIndex.Entry::id).toList();
        } else if (RunStatus.RUNNING.equals(status) || RunStatus.INTERRUPTED.equals(status)) {
            List<String> running = ids(entries, RunStatus.RUNNING);
            Set<String> lostRuns = lost.of(running);
            ids = running.stream().filter(id -> lostRuns.contains(id) == RunStatus.INTERRUPTED.equals(status)).toList();
            asked = Set.copyOf(running);
            gone = lostRuns;
        } else {
            ids = ids(entries, status);
        }
        int from = (int) Math.min(ids.size(), (long) page * size);
        List<RunRecord> shown = runs(ids.subList(from, (int) Math.min(ids.size(), (long) from + size)));
        return new Page(live(shown, asked, gone, lost), ids.size());
    }

    /** Counted from the index; {@code lost} is asked about the running runs, to count the lost ones as interrupted. */
    public Census census(Lost lost) {
        List<RunIndex.Entry> entries = index();
        Map<String, Long> byStatus = new LinkedHashMap<>();
        entries.stream().filter(e -> !RunStatus.RUNNING.equals(e.status()))
                .forEach(e -> byStatus.merge(e.status(), 1L, Long::sum));
        List<RunRecord> running = live(runs(ids(entries, RunStatus.RUNNING)), Set.of(), Set.of(), lost);
        running.forEach(r -> byStatus.merge(r.status(), 1L, Long::sum));
        return new Census(byStatus, running.stream().filter(r -> RunStatus.RUNNING.equals(r.status())).toList());
    }

    /** These records with their live status: {@code lost} is asked about the running ones not in {@code asked}. */
    private static List<RunRecord> live(List<RunRecord> records, Set<String> asked, Set<String> gone, Lost lost) {
        List<String> ask = records.stream().filter(r -> RunStatus.RUNNING.equals(r.status()) && !asked.contains(r.id()))
                .map(RunRecord::id).toList();
        Set<String> lostRuns = new HashSet<>(gone);
        if (!ask.isEmpty()) {
            lostRuns.addAll(lost.of(ask));
        }
        return records.stream().map(r -> RunStatus.RUNNING.equals(r.status()) && lostRuns.contains(r.id())
                ? r.interrupted() : r).toList();
    }

    private static List<String> ids(List<RunIndex.Entry> entries, String status) {
        return entries.stream().filter(e -> e.status().equals(status)).map(RunIndex.Entry::id).toList();
    }

    /** These runs' records, read side by side, in this order; a run with no record is left out. */
    public List<RunRecord> runs(List<String> ids) {
        return Parallel.map(ids, this::run).stream().flatMap(Optional::stream).toList();
    }

    /** The records of the runs the index lists with this status, newest first. */
    public List<RunRecord> runs(String status) {
        return runs(index().stream().filter(e -> e.status().equals(status)).map(RunIndex.Entry::id).toList());
    }

    /**
     * Makes every run's markers say what its record says, once per bucket: until {@code runs-index/built}
     * is there, which this writes when done. A bucket from before the index gets a marker for each run;
     * deleting {@code runs-index/built} has the next process that lists runs check every run again.
     */
    private void buildIndex() {
        if (index.built()) {
            return;
        }
        synchronized (index) {
            if (index.built()) {
                return;
            }
            Map<String, List<String>> marked = new HashMap<>();
            index.marked().forEach(m -> marked.put(m.id(), m.statuses()));
            Set<String> ids = new TreeSet<>(marked.keySet());
            store.folders("runs/").stream().map(folder -> folder.substring("runs/".length(), folder.length() - 1))
                    .filter(RunStore::isRunId).forEach(ids::add);
            List<Boolean> changed = Parallel.map(List.copyOf(ids), id -> reconcile(id, marked.getOrDefault(id, List.of())));
            if (changed.contains(true)) {
                index.changedEverywhere();
            }
            index.markBuilt();
        }
    }

    /**
     * One run's markers made its record's status, as {@link #save(RunRecord)} does it, so that a status
     * written meanwhile is not lost; a marker of a run with no record (created after its record) goes.
     * Whether any marker changed.
     */
    private boolean reconcile(String id, List<String> statuses) {
        Optional<RunRecord> record = run(id);
        if (record.isEmpty()) {
            statuses.forEach(status -> index.unmark(id, status));
            return !statuses.isEmpty();
        }
        String status = record.get().status();
        if (statuses.equals(List.of(status))) {
            return false;
        }
        index.mark(id, status);
        index.unmarkOthers(id, status);
        run(id).ifPresent(current -> index.ensure(id, current.status()));
        return true;
    }

    private static String requireRunId(String id) {
        if (!isRunId(id)) {
            throw new IllegalArgumentException("'" + id + "' is not a run id (" + RUN_ID.pattern() + ")");
        }
        return id;
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
