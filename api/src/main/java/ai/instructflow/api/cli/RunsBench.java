package ai.instructflow.api.cli;

import ai.instructflow.activities.registry.Parallel;
import ai.instructflow.activities.registry.RunIndex;
import ai.instructflow.activities.registry.RunRecord;
import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.workflows.RunSpec;
import ai.instructflow.workflows.RunSpecs;
import ai.instructflow.workflows.RunStatus;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * {@code instructflow runs-bench}: the run registry under load, through the REST API of an embedded
 * platform of its own (free ports, a temporary data folder, deleted at exit). It writes {@code --runs}
 * run records straight into the platform's bucket through {@link RunStore}, as a platform that ran them
 * would have, one a minute back from now, and times {@code GET /api/v1/runs}: the first page, a
 * middle one, the last, pages filtered by status, and the first page after a status change, each
 * {@code --repeats} times (p50, p99, max), checking every page against what it wrote. Then it submits
 * {@code --submit} runs at once ({@code {"name": ...}}, the defaults), checks each is listed, cancels
 * them, and waits until the listing has them all cancelled. It prints numbers; the exit code says
 * whether every listing was exact and every submission accepted, not how fast they were.
 */
final class RunsBench {

    static final String USAGE = """
              runs-bench [--runs N] [--submit N] [--repeats N]
                                                    the embedded platform on a temporary folder: N run records
                                                    (default 10000) written to its bucket, GET /api/v1/runs timed
                                                    (p50/p99), then N runs (default 100) submitted at once, listed, cancelled
            """;

    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final int SIZE = 20;

    private final RunStore runs;
    private final String base;
    private final String token;
    private final int count;
    private final int submit;
    private final int repeats;
    private final PrintStream out = System.out;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());

    RunsBench(RunStore runs, String base, String token, int count, int submit, int repeats) {
        if (count < SIZE || submit < 1 || submit > 200 || repeats < 1) {
            throw new IllegalArgumentException("--runs must be at least " + SIZE + ", --submit 1 to 200, --repeats at least 1");
        }
        this.runs = runs;
        this.base = base;
        this.token = token;
        this.count = count;
        this.submit = submit;
        this.repeats = repeats;
    }

    /** Checks the options before a platform starts for them. */
    static void check(List<String> args) {
        of(args, null, null, null);
    }

    /** The bench with these options ({@link #USAGE}), on the platform whose registry is {@code runs}, served at {@code base}. */
    static RunsBench of(List<String> args, RunStore runs, String base, String token) {
        List<String> rest = new ArrayList<>(args);
        RunsBench bench = new RunsBench(runs, base, token, BenchPlatform.number(rest, "--runs", 10000),
                BenchPlatform.number(rest, "--submit", 100), BenchPlatform.number(rest, "--repeats", 30));
        if (!rest.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + rest);
        }
        return bench;
    }

    int run() throws Exception {
        out.printf(Locale.ROOT, "runs-bench: platform at %s, S3 embedded on a temporary folder, %d CPUs, load average %.1f%n",
                base, Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        // the platform's first listing checks the bucket's runs against the index, once: here, with none yet
        list(null, 0, 1);
        List<String> ids = write();
        listings(ids);
        submissions();
        reconcile();
        if (problems.isEmpty()) {
            out.println("exact: every page, filter and total matched what was written, every submission was accepted, "
                    + "listed and cancelled");
            return 0;
        }
        problems.stream().limit(20).forEach(p -> out.println("NOT EXACT: " + p));
        return 1;
    }

    /** The status of the i-th record written: 80% succeeded, 10% cancelled, 9% failed, 1% running. */
    private static String status(int i) {
        int n = i % 100;
        return n == 0 ? RunStatus.RUNNING : n < 10 ? RunStatus.FAILED : n < 20 ? RunStatus.CANCELLED : RunStatus.SUCCEEDED;
    }

    private final Map<String, String> written = new ConcurrentHashMap<>();

    /** The records, newest first: one a minute back from now, so none shares an id and all are older than a submission. */
    private List<String> write() throws Exception {
        RunSpec spec = RunSpecs.resolve("{\"name\": \"runs-bench\"}");
        Instant now = Instant.now();
        Random random = new Random(1);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] suffix = new byte[3];
            random.nextBytes(suffix);
            ids.add(ID_TIME.format(now.minusSeconds(60L * (count - i))) + "-" + HexFormat.of().formatHex(suffix));
        }
        ExecutorService writers = Executors.newFixedThreadPool(16);
        long began = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String id = ids.get(i);
                String status = status(i);
                done.add(writers.submit(() -> {
                    String at = RunStore.now();
                    runs.create(new RunRecord(id, "runs-bench", status, at, at, RunStatus.RUNNING.equals(status) ? null : at,
                            null, null, 1), spec);
                    written.put(id, status);
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            writers.shutdown();
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        out.printf(Locale.ROOT, "wrote %d run records through RunStore in %.1f s (%.0f a second, 16 writers; spec, record, "
                + "index marker and shard version each)%n", count, seconds, count / seconds);
        out.println("  statuses: 80% succeeded, 10% cancelled, 9% failed, 1% running (no workflow: listed as interrupted)");
        Collections.reverse(ids);
        return ids;
    }

    private void listings(List<String> newestFirst) {
        List<String> failed = newestFirst.stream().filter(id -> written.get(id).equals(RunStatus.FAILED)).toList();
        int middle = count / SIZE / 2;
        int last = (count - 1) / SIZE;
        long t0 = System.nanoTime();
        expect(list(null, 0, SIZE), newestFirst, 0, "first listing");
        out.printf(Locale.ROOT, "GET /api/v1/runs of %d runs, pages of %d, %d times each (ms):%n", count, SIZE, repeats);
        out.printf(Locale.ROOT, "  %-56s %7.1f  (each shard listed, after the writes)%n", "first listing", (System.nanoTime() - t0) / 1e6);
        time("page 0", () -> expect(list(null, 0, SIZE), newestFirst, 0, "page 0"));
        time("page " + middle + " (the middle)", () -> expect(list(null, middle, SIZE), newestFirst, middle, "middle page"));
        time("page " + last + " (the last)", () -> expect(list(null, last, SIZE), newestFirst, last, "last page"));
        int failedMiddle = failed.size() / SIZE / 2;
        time("status=failed, page 0", () -> expect(list(RunStatus.FAILED, 0, SIZE), failed, 0, "failed page 0"));
        time("status=failed, page " + failedMiddle + " (the middle)",
                () -> expect(list(RunStatus.FAILED, failedMiddle, SIZE), failed, failedMiddle, "failed middle page"));
        int running = (int) written.values().stream().filter(RunStatus.RUNNING::equals).count();
        time("status=interrupted (Temporal asked about " + running + " running)", () -> {
            JsonNode page = list(RunStatus.INTERRUPTED, 0, SIZE);
            check(page.path("total").asInt() == running, "status=interrupted total " + page.path("total") + ", wanted " + running);
            return page;
        });
        // status changes before each listing, untimed: of one run (its shard is listed again, the other fifteen are
        // not), or of one run in each shard (every shard listed again, as after a burst of submissions)
        List<String> ended = newestFirst.stream().filter(id -> !written.get(id).equals(RunStatus.RUNNING)).toList();
        Random pick = new Random(2);
        time("page 0 after a status change", () -> flip(ended.get(pick.nextInt(ended.size()))),
                () -> expect(list(null, 0, SIZE), newestFirst, 0, "page 0 after a change"));
        Set<Character> shards = new HashSet<>();
        List<String> onePerShard = ended.stream().filter(id -> shards.add(id.charAt(16))).toList();
        time("page 0 after a change in every shard (each listed)", () -> Parallel.map(onePerShard, id -> {
            flip(id);
            return id;
        }), () -> expect(list(null, 0, SIZE), newestFirst, 0, "page 0 after a change in every shard"));
        long cancelled = written.values().stream().filter(RunStatus.CANCELLED::equals).count();
        JsonNode page = list(RunStatus.CANCELLED, 0, SIZE);
        check(page.path("total").asLong() == cancelled, "status=cancelled total " + page.path("total") + ", wanted " + cancelled);
    }

    private void submissions() throws Exception {
        List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        ConcurrentLinkedQueue<String> refused = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < submit; i++) {
            String body = "{\"name\": \"runs-bench-submit-" + i + "\"}";
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    long t0 = System.nanoTime();
                    HttpResponse<String> response = send("POST", "/api/v1/runs", body);
                    nanos.add(System.nanoTime() - t0);
                    if (response.statusCode() == 201) {
                        accepted.add(ApiClient.JSON.readTree(response.body()).path("id").asText());
                    } else {
                        refused.add(response.statusCode() + " " + response.body());
                    }
                } catch (Exception e) {
                    refused.add(e.toString());
                }
            });
            t.start();
            threads.add(t);
        }
        long began = System.nanoTime();
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        out.printf(Locale.ROOT, "POST /api/v1/runs, %d at once: %d accepted, %d refused, in %.1f s; latency p50 %.0f ms, "
                + "p99 %.0f ms, max %.0f ms%n", submit, accepted.size(), refused.size(), seconds,
                BenchPlatform.percentileMs(nanos, 50), BenchPlatform.percentileMs(nanos, 99),
                BenchPlatform.percentileMs(nanos, 100));
        refused.stream().limit(5).forEach(r -> out.println("  refused: " + r));
        check(accepted.size() == submit, accepted.size() + " of " + submit + " submissions accepted");

        JsonNode newest = list(null, 0, 200);
        Set<String> listed = new HashSet<>();
        newest.path("runs").forEach(r -> listed.add(r.path("id").asText()));
        JsonNode live = list(RunStatus.RUNNING, 0, 200);
        Set<String> running = new HashSet<>();
        live.path("runs").forEach(r -> running.add(r.path("id").asText()));
        boolean all = listed.containsAll(accepted) && running.containsAll(accepted);
        out.printf(Locale.ROOT, "  listed: %s of the %d among the newest 200 and under status=running (total %d runs, %d running)%n",
                all ? "all" : "NOT all", accepted.size(), newest.path("total").asInt(), live.path("total").asInt());
        check(all, "not every accepted run is listed");
        check(newest.path("total").asInt() == count + accepted.size(), "total " + newest.path("total") + ", wanted "
                + (count + accepted.size()));

        List<Long> cancelNanos = Collections.synchronizedList(new ArrayList<>());
        List<Thread> cancels = new ArrayList<>();
        for (String id : accepted) {
            Thread t = new Thread(() -> {
                long t0 = System.nanoTime();
                HttpResponse<String> response = send("POST", "/api/v1/runs/" + id + "/cancel", "");
                cancelNanos.add(System.nanoTime() - t0);
                check(response.statusCode() == 200, "cancel " + id + ": " + response.statusCode() + " " + response.body());
            });
            t.start();
            cancels.add(t);
        }
        for (Thread t : cancels) {
            t.join();
        }
        out.printf(Locale.ROOT, "POST /api/v1/runs/{id}/cancel, %d at once: latency p50 %.0f ms, p99 %.0f ms%n",
                accepted.size(), BenchPlatform.percentileMs(cancelNanos, 50), BenchPlatform.percentileMs(cancelNanos, 99));
        long before = written.values().stream().filter(RunStatus.CANCELLED::equals).count();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        long t0 = System.nanoTime();
        JsonNode cancelled = list(RunStatus.CANCELLED, 0, 1);
        while (cancelled.path("total").asLong() < before + accepted.size() && System.nanoTime() < deadline) {
            Thread.sleep(500);
            cancelled = list(RunStatus.CANCELLED, 0, 1);
        }
        double waited = (System.nanoTime() - t0) / 1e9;
        // the listing must say what the records say, whether or not every workflow has recorded its cancel yet
        List<String> ended = accepted.stream().filter(id -> runs.run(id).map(RunRecord::status).orElse("")
                .equals(RunStatus.CANCELLED)).toList();
        List<String> notYet = accepted.stream().filter(id -> !ended.contains(id)).sorted().toList();
        cancelled = list(RunStatus.CANCELLED, 0, 1);
        JsonNode stillRunning = list(RunStatus.RUNNING, 0, 1);
        if (notYet.isEmpty()) {
            out.printf(Locale.ROOT, "  all %d listed as cancelled %.1f s after the cancels (status=cancelled total %d, "
                    + "status=running total %d)%n", accepted.size(), waited, cancelled.path("total").asLong(),
                    stillRunning.path("total").asInt());
        } else {
            out.printf(Locale.ROOT, "  %d of %d recorded cancelled within %.0f s; still running by their records (their "
                    + "workflows have not ended): %s%n", ended.size(), accepted.size(), waited, notYet);
            problems.add(notYet.size() + " cancelled runs' workflows did not end within " + Math.round(waited) + " s: " + notYet);
        }
        check(cancelled.path("total").asLong() == before + ended.size(), "status=cancelled total " + cancelled.path("total")
                + ", but the records say " + (before + ended.size()));
        check(stillRunning.path("total").asInt() == notYet.size(), "status=running total " + stillRunning.path("total")
                + ", but the records say " + notYet.size());
    }

    /** A succeeded run cancelled, another ended one succeeded: through RunStore, as a workflow records its end. */
    private void flip(String id) {
        RunRecord r = runs.run(id).orElseThrow();
        String to = RunStatus.SUCCEEDED.equals(r.status()) ? RunStatus.CANCELLED : RunStatus.SUCCEEDED;
        runs.save(r.withStatus(to, RunStore.now(), null, null));
        written.put(id, to);
    }

    private void time(String what, Supplier<JsonNode> call) {
        time(what, () -> { }, call);
    }

    /**
     * What a bucket's first listing costs when it has no {@code runs-index/built} (a bucket from before the
     * index, or one whose index is to be checked again): every record read once, here with every marker right.
     */
    private void reconcile() {
        RunStore fresh = new RunStore(runs.objects());
        runs.objects().delete(RunIndex.BUILT);
        long t0 = System.nanoTime();
        int listed = fresh.index().size();
        out.printf(Locale.ROOT, "first listing of a bucket without %s (every run's markers checked against its record, "
                + "once per bucket): %.1f s for %d runs%n", RunIndex.BUILT, (System.nanoTime() - t0) / 1e9, listed);
        check(listed == count + submit, "the check listed " + listed + " runs, wanted " + (count + submit));
    }

    /** Times {@code call} {@code repeats} times after one warm-up call, {@code before} (untimed) before each; prints p50, p99, max. */
    private void time(String what, Runnable before, Supplier<JsonNode> call) {
        before.run();
        call.get();
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            before.run();
            long t0 = System.nanoTime();
            call.get();
            nanos.add(System.nanoTime() - t0);
        }
        out.printf(Locale.ROOT, "  %-56s p50 %6.1f  p99 %6.1f  max %6.1f%n", what, BenchPlatform.percentileMs(nanos, 50),
                BenchPlatform.percentileMs(nanos, 99), BenchPlatform.percentileMs(nanos, 100));
    }

    /** The page must be this slice of {@code ids}, with their total. */
    private JsonNode expect(JsonNode page, List<String> ids, int number, String what) {
        List<String> got = new ArrayList<>();
        page.path("runs").forEach(r -> got.add(r.path("id").asText()));
        int from = Math.min(ids.size(), number * SIZE);
        List<String> want = ids.subList(from, Math.min(ids.size(), from + SIZE));
        check(got.equals(want), what + ": got " + got + ", wanted " + want);
        check(page.path("total").asInt() == ids.size(), what + ": total " + page.path("total") + ", wanted " + ids.size());
        return page;
    }

    private JsonNode list(String status, int page, int size) {
        HttpResponse<String> response = send("GET", "/api/v1/runs?page=" + page + "&size=" + size
                + (status == null ? "" : "&status=" + status), null);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET /api/v1/runs: " + response.statusCode() + " " + response.body());
        }
        try {
            return ApiClient.JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> send(String method, String path, String body) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").timeout(Duration.ofMinutes(2))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void check(boolean ok, String problem) {
        if (!ok) {
            problems.add(problem);
        }
    }
}
