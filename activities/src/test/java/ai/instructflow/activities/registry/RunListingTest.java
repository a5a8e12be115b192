package ai.instructflow.activities.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.instructflow.activities.storage.ObjectStore;
import ai.instructflow.activities.storage.StorageConfig;
import ai.instructflow.infra.EmbeddedS3;
import ai.instructflow.workflows.RunSpec;
import ai.instructflow.workflows.RunSpecs;
import ai.instructflow.workflows.RunStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Listing the run registry from its index ({@link RunStore#page}, {@link RunIndex}) against a real S3
 * server (s3proxy on a temporary folder), with runs written through {@link RunStore} as the API and the
 * workflows write them: pages, filters and totals match a model of what was written, newest first,
 * after status changes made by another RunStore (another process) and while they are being made.
 */
class RunListingTest {

    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final Instant START = Instant.parse("2026-03-01T08:00:00Z");
    private static final List<String> WRITTEN = List.of(RunStatus.RUNNING, RunStatus.SUCCEEDED, RunStatus.FAILED,
            RunStatus.CANCELLED);
    /** Every status a listing can be filtered by, the never-written ones included, and no filter. */
    private static final List<String> FILTERS = Arrays.asList(null, RunStatus.RUNNING, RunStatus.INTERRUPTED,
            RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED, RunStatus.PENDING);

    @TempDir
    Path dataDir;

    private EmbeddedS3 server;
    private final Random random = new Random(7);
    private int start;
    /** What was written: id to recorded status. */
    private final Map<String, String> model = new ConcurrentHashMap<>();
    /** The running runs the workflow service "has lost": they list as interrupted. */
    private final Set<String> lostRuns = ConcurrentHashMap.newKeySet();
    private final RunStore.Lost lost = ids -> {
        Set<String> out = new HashSet<>();
        ids.stream().filter(lostRuns::contains).forEach(out::add);
        return out;
    };

    @BeforeEach
    void start() {
        server = EmbeddedS3.start(dataDir, "127.0.0.1", 0, "test-access", "test-secret-key");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void pagesFiltersAndTotalsAreExactNewestFirstAcrossStatusChanges() {
        RunStore writer = store();
        RunStore reader = store();
        List<String> ids = ids(240);
        RunSpec spec = spec();
        // half created as the API creates a run (spec, record), half saved as a record alone
        Parallel.map(ids, id -> {
            int i = ids.indexOf(id);
            String status = WRITTEN.get(i % WRITTEN.size());
            RunRecord record = record(id, status);
            if (i % 2 == 0) {
                writer.create(record, spec);
            } else {
                writer.save(record);
            }
            model.put(id, status);
            return id;
        });
        ids.stream().filter(id -> RunStatus.RUNNING.equals(model.get(id))).filter(id -> id.hashCode() % 5 == 0)
                .forEach(lostRuns::add);
        assertTrue(lostRuns.size() > 5, "some running runs are lost: " + lostRuns.size());
        checkEveryFilter(reader);

        // a resume, finishing runs, a cancelled one: the reader's listing (cached by shard) follows another store's writes
        List<String> changed = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += 3) {
            String id = ids.get(i);
            changed.add(id);
            model.put(id, switch (model.get(id)) {
                case RunStatus.RUNNING -> i % 2 == 0 ? RunStatus.SUCCEEDED : RunStatus.CANCELLED;
                case RunStatus.FAILED, RunStatus.CANCELLED -> RunStatus.RUNNING;
                default -> RunStatus.FAILED;
            });
        }
        Parallel.map(changed, id -> {
            RunRecord now = writer.run(id).orElseThrow();
            writer.save(RunStatus.RUNNING.equals(model.get(id)) ? now.started(RunStatus.RUNNING, RunStore.now(), 0, 0)
                    : now.withStatus(model.get(id), RunStore.now(), null, null));
            return id;
        });
        checkEveryFilter(reader);
        checkEveryFilter(store());
        for (String id : changed) {
            assertEquals(1, writer.objects().list(RunIndex.PREFIX + id.charAt(16) + "/" + id).size(),
                    "one marker per run once its status settled: " + id);
        }
    }

    @Test
    void whileStatusesChangeEveryListingHasEveryRunOnce() throws Exception {
        RunStore writer = store();
        RunStore reader = store();
        List<String> ids = ids(120);
        Parallel.map(ids, id -> {
            writer.save(record(id, RunStatus.RUNNING));
            model.put(id, RunStatus.RUNNING);
            return id;
        });
        List<String> flipping = ids.subList(0, 40);
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread flipper = new Thread(() -> {
            try {
                for (int round = 0; round < 4; round++) {
                    String to = round % 2 == 0 ? RunStatus.SUCCEEDED : RunStatus.RUNNING;
                    Parallel.map(flipping, id -> {
                        writer.save(record(id, to));
                        return id;
                    });
                }
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                done.set(true);
            }
        });
        flipper.start();
        int listings = 0;
        while (!done.get() || listings < 3) {
            List<RunIndex.Entry> index = reader.index();
            assertEquals(ids.stream().sorted(Comparator.reverseOrder()).toList(), index.stream().map(RunIndex.Entry::id).toList(),
                    "every run once, newest first, at listing " + listings);
            RunStore.Page running = reader.page(RunStatus.RUNNING, 0, 200, lost);
            RunStore.Page succeeded = reader.page(RunStatus.SUCCEEDED, 0, 200, lost);
            assertEquals(running.total(), new HashSet<>(running.runs().stream().map(RunRecord::id).toList()).size(),
                    "no run twice in one page");
            assertTrue(running.total() >= ids.size() - flipping.size() && succeeded.total() <= flipping.size(),
                    running.total() + " running, " + succeeded.total() + " succeeded");
            listings++;
        }
        flipper.join();
        if (failure.get() != null) {
            throw new AssertionError("the writer failed", failure.get());
        }
        // the last round set them running again
        checkEveryFilter(reader);
        assertTrue(listings >= 3);
    }

    @Test
    void twoWritersOfOneRunAtOnceLeaveTheMarkerOfTheStatusItsRecordHas() throws Exception {
        RunStore one = store();
        RunStore two = store();
        List<String> ids = ids(4);
        ids.forEach(id -> one.save(record(id, RunStatus.RUNNING)));
        Thread a = new Thread(() -> ids.forEach(id -> {
            for (int i = 0; i < 4; i++) {
                one.save(record(id, i % 2 == 0 ? RunStatus.FAILED : RunStatus.RUNNING));
            }
        }));
        Thread b = new Thread(() -> ids.forEach(id -> {
            for (int i = 0; i < 4; i++) {
                two.save(record(id, i % 2 == 0 ? RunStatus.CANCELLED : RunStatus.SUCCEEDED));
            }
        }));
        a.start();
        b.start();
        a.join();
        b.join();
        ids.forEach(id -> model.put(id, one.run(id).orElseThrow().status()));
        checkEveryFilter(store());
    }

    @Test
    void runsWrittenBeforeTheIndexAreListedOnceAFirstListingCheckedThemAgainstTheirRecords() {
        RunStore old = store();
        List<String> ids = ids(150);
        // what an earlier version wrote: records and specs, no markers
        for (String id : ids.subList(0, 100)) {
            String status = WRITTEN.get(ids.indexOf(id) % WRITTEN.size());
            old.write(RunStore.prefix(id) + "spec.json", spec());
            old.write(RunStore.prefix(id) + "run.json", record(id, status));
            model.put(id, status);
        }
        // a stage folder without a record (never a run's listing entry) and a key that is no run's
        old.objects().put(RunStore.prefix("20260301-070000-abcdef") + "sft/manifest.json", new byte[] {'{', '}'}, "application/json");
        old.objects().put("runs/notes.txt", new byte[] {'x'}, "text/plain");
        assertTrue(old.objects().list(RunIndex.PREFIX).isEmpty());

        RunStore upgraded = store();
        for (String id : ids.subList(100, 150)) {
            upgraded.save(record(id, RunStatus.SUCCEEDED));
            model.put(id, RunStatus.SUCCEEDED);
        }
        checkEveryFilter(upgraded);
        assertTrue(upgraded.objects().exists(RunIndex.BUILT));
        // an old run's status change moves its marker like any other's
        String oldRun = ids.get(1);
        upgraded.save(record(oldRun, RunStatus.CANCELLED));
        model.put(oldRun, RunStatus.CANCELLED);
        checkEveryFilter(store());

        // an old worker ends a run without touching the index, and a marker is left of a run with no record:
        // with runs-index/built deleted, the next process to list checks every run against its record
        String endedByAnOldWorker = ids.get(2);
        old.write(RunStore.prefix(endedByAnOldWorker) + "run.json", record(endedByAnOldWorker, RunStatus.SUCCEEDED));
        model.put(endedByAnOldWorker, RunStatus.SUCCEEDED);
        String noRecord = "20260301-070500-0fedcb";
        old.objects().put(RunIndex.key(noRecord, RunStatus.FAILED), new byte[0], "application/octet-stream");
        old.objects().delete(RunIndex.BUILT);
        checkEveryFilter(store());
        assertEquals(List.of(), old.objects().list(RunIndex.PREFIX + "0/" + noRecord));
        assertEquals(List.of(RunIndex.key(endedByAnOldWorker, RunStatus.SUCCEEDED)),
                old.objects().list(RunIndex.PREFIX + endedByAnOldWorker.charAt(16) + "/" + endedByAnOldWorker));
    }

    @Test
    void aMarkerLeftBehindByAWriterThatDiedIsSettledByTheRecord() {
        RunStore writer = store();
        List<String> ids = ids(40);
        ids.forEach(id -> {
            writer.save(record(id, RunStatus.SUCCEEDED));
            model.put(id, RunStatus.SUCCEEDED);
        });
        // died between writing the new status's marker and the record (stays succeeded), and after the record
        // but before removing the old marker (now failed)
        String before = ids.get(3);
        String after = ids.get(17);
        writer.objects().put(RunIndex.key(before, RunStatus.RUNNING), new byte[0], "application/octet-stream");
        writer.write(RunStore.prefix(after) + "run.json", record(after, RunStatus.FAILED));
        writer.objects().put(RunIndex.key(after, RunStatus.FAILED), new byte[0], "application/octet-stream");
        model.put(after, RunStatus.FAILED);
        checkEveryFilter(store());
        // the next status change of the run clears what was left
        writer.save(record(before, RunStatus.CANCELLED));
        model.put(before, RunStatus.CANCELLED);
        assertEquals(List.of(RunIndex.key(before, RunStatus.CANCELLED)),
                writer.objects().list(RunIndex.PREFIX + before.charAt(16) + "/" + before));
        checkEveryFilter(store());
    }

    /** Every filter, at several page sizes: the pages put together are the model's runs, newest first, each once. */
    private void checkEveryFilter(RunStore reader) {
        for (String status : FILTERS) {
            List<Map.Entry<String, String>> expected = expected(status);
            for (int size : status == null ? new int[] {1, 23, 200} : new int[] {17, 200}) {
                if (size == 1 && expected.size() > 60) {
                    // page by page, for the first and last pages
                    checkPage(reader, status, 0, size, expected);
                    checkPage(reader, status, 1, size, expected);
                    checkPage(reader, status, expected.size() - 1, size, expected);
                    checkPage(reader, status, expected.size(), size, expected);
                    continue;
                }
                List<String> seen = new ArrayList<>();
                int pages = (expected.size() + size - 1) / size;
                for (int page = 0; page <= pages; page++) {
                    RunStore.Page p = checkPage(reader, status, page, size, expected);
                    p.runs().forEach(r -> seen.add(r.id()));
                }
                assertEquals(expected.stream().map(Map.Entry::getKey).toList(), seen, "filter " + status + " size " + size);
            }
        }
    }

    private RunStore.Page checkPage(RunStore reader, String status, int page, int size,
                                    List<Map.Entry<String, String>> expected) {
        RunStore.Page p = reader.page(status, page, size, lost);
        String what = "filter " + status + ", page " + page + " of size " + size;
        assertEquals(expected.size(), p.total(), what + ": total");
        int from = Math.min(expected.size(), page * size);
        List<Map.Entry<String, String>> want = expected.subList(from, Math.min(expected.size(), from + size));
        assertEquals(want.stream().map(Map.Entry::getKey).toList(), p.runs().stream().map(RunRecord::id).toList(), what);
        assertEquals(want.stream().map(Map.Entry::getValue).toList(), p.runs().stream().map(RunRecord::status).toList(),
                what + ": statuses");
        return p;
    }

    /** The model's runs with this live status (null: all), newest first, each with its live status. */
    private List<Map.Entry<String, String>> expected(String status) {
        TreeMap<String, String> live = new TreeMap<>(Comparator.reverseOrder());
        model.forEach((id, s) -> live.put(id, RunStatus.RUNNING.equals(s) && lostRuns.contains(id) ? RunStatus.INTERRUPTED : s));
        List<Map.Entry<String, String>> out = new ArrayList<>();
        live.forEach((id, s) -> {
            if (status == null || status.equals(s)) {
                out.add(Map.entry(id, s));
            }
        });
        return out;
    }

    /** Ids of runs created a second apart, in a shuffled order (as concurrent writers would write them). */
    private List<String> ids(int n) {
        List<String> shuffled = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            shuffled.add(ID_TIME.format(START.plusSeconds(start + i)) + "-" + String.format("%06x", random.nextInt(1 << 24)));
        }
        start += n;
        Collections.shuffle(shuffled, random);
        assertTrue(shuffled.stream().allMatch(RunStore::isRunId));
        return shuffled;
    }

    private static RunRecord record(String id, String status) {
        String at = RunStore.now();
        return new RunRecord(id, "listing-" + id.substring(16), status, at, at,
                RunStatus.RUNNING.equals(status) ? null : at, null, null, 1);
    }

    private static RunSpec spec() {
        try {
            return RunSpecs.resolve("{\"name\": \"listing\"}");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private RunStore store() {
        return new RunStore(new ObjectStore(new StorageConfig(server.endpoint().toString(), "test-access", "test-secret-key",
                "instructflow-test", null)));
    }
}
