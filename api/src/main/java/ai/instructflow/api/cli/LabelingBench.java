package ai.instructflow.api.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code instructflow labeling-bench}: load on one human-labeled queue, through the REST API as people's
 * browsers call it. A run with {@code "labelers": "human"} opens its demonstrations queue; N labelers,
 * each with a token of their own and one keep-alive connection, lease a task and submit its label until
 * the queue is done, and every tenth submission is sent a second time, as a client does whose answer
 * got lost. It prints the calls' latencies and the rate, leaving out a warm-up (the first submissions,
 * while the JIT compiles the platform's code: a server that has run a while is past it), then checks
 * that the platform kept exactly what it accepted, warm-up included: the queue counted each accepted submission once, every labeler's count is theirs,
 * and the stage's exported dataset holds exactly the accepted labels, each once, with their text.
 */
final class LabelingBench {

    static final String USAGE = """
              labeling-bench [--labelers N] [--tasks N] [--warmup N] [--json]
                                                    N people label one queue through the REST API at once
                                                    (default 50; the queue holds --tasks demonstrations, default
                                                    120 per labeler, plus a tenth held out); prints latencies and
                                                    rate after the first --warmup submissions (default 30 per
                                                    labeler), then checks exactly-once counting and the export
            """;

    static final String STAGE = "collect-demonstrations";
    /** Every this many submissions a labeler sends the same one again: it must count once. */
    static final int RESEND_EVERY = 10;
    private static final OperatingSystemMXBean OS = ManagementFactory.getOperatingSystemMXBean();

    private final ApiClient admin;
    private final int labelers;
    private final int tasks;
    private final int warmup;
    private final boolean json;
    private final PrintStream out;

    /** Each call as {when it started, how long it took}, in nanoseconds. */
    private final ConcurrentLinkedQueue<long[]> leaseCalls = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<long[]> submitCalls = new ConcurrentLinkedQueue<>();
    private final AtomicInteger acceptedCount = new AtomicInteger();
    /** When the last warm-up submission was accepted, and this process's CPU time then (nanoseconds). */
    private volatile long warmEnd = Long.MAX_VALUE;
    private volatile long warmCpu;
    private final ConcurrentLinkedQueue<Accepted> accepted = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final AtomicInteger waits = new AtomicInteger();

    /** One submission the platform accepted: who, which task, and the text it must keep. */
    record Accepted(String labeler, int task, String completion) {}

    LabelingBench(ApiClient admin, int labelers, int tasks, int warmup, boolean json) {
        if (labelers < 1 || labelers > 2000) {
            throw new IllegalArgumentException("--labelers must be between 1 and 2000, got " + labelers);
        }
        if (tasks < 1) {
            throw new IllegalArgumentException("--tasks must be at least 1, got " + tasks);
        }
        if (warmup < 0 || warmup >= tasks) {
            throw new IllegalArgumentException("--warmup must be at least 0 and less than --tasks (" + tasks + "), got "
                    + warmup);
        }
        this.admin = admin == null ? null : admin.overHttp11();
        this.labelers = labelers;
        this.tasks = tasks;
        this.warmup = warmup;
        this.json = json;
        this.out = json ? System.err : System.out;
    }

    /** Checks the options before a platform starts for them. */
    static void check(List<String> args) {
        of(args, null);
    }

    /** The bench with these options ({@link #USAGE}), run through {@code admin}. */
    static LabelingBench of(List<String> args, ApiClient admin) {
        List<String> rest = new ArrayList<>(args);
        int labelers = BenchPlatform.number(rest, "--labelers", 50);
        // long enough to measure a warm server: with 30 and 10 per labeler, the measured part still ran
        // while the JIT compiled on 2 cores, at about twice the CPU per submission of what follows
        int tasks = BenchPlatform.number(rest, "--tasks", 120 * labelers);
        int warmup = BenchPlatform.number(rest, "--warmup", Math.min(30 * labelers, tasks / 3));
        boolean json = rest.remove("--json");
        if (!rest.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + rest);
        }
        return new LabelingBench(admin, labelers, tasks, warmup, json);
    }

    /** Returns the exit code: 0 when there was no error and everything accepted was kept exactly once. */
    int run() throws InterruptedException {
        String spec = "{\"name\": \"labeling-bench\", \"labelers\": \"human\", \"demonstrations\": {\"count\": " + tasks
                + ", \"overlap\": 1, \"lease_minutes\": 30}}";
        String run = admin.post("/api/v1/runs", spec).path("id").asText();
        String queuePath = "/api/v1/runs/" + run + "/labeling/" + STAGE;
        JsonNode queue = awaitOpen(queuePath);
        out.printf(Locale.ROOT, "run %s: a %s queue of %d tasks (overlap 1); %d labelers lease and submit over HTTP%n",
                run, STAGE, queue.path("tasks").asInt(), labelers);
        List<ApiClient> people = new ArrayList<>();
        for (int i = 0; i < labelers; i++) {
            people.add(admin.as(admin.post("/api/v1/tokens", "{\"subject\": \"" + name(i) + "\", \"role\": \"labeler\"}")
                    .path("token").asText()));
        }

        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < labelers; i++) {
            int n = i;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    label(people.get(n), name(n), queuePath);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    errors.add(name(n) + " stopped: " + e);
                }
            }, "bench-" + name(i));
            t.start();
            threads.add(t);
        }
        // the machine's load says how much of it the bench had: the platform and the labelers share this process
        double loadBefore = OS.getSystemLoadAverage();
        long cpuBefore = processCpuNanos();
        long began = System.nanoTime();
        if (warmup == 0) {
            warmCpu = cpuBefore;
            warmEnd = began;
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        long ended = System.nanoTime();
        long cpuEnd = processCpuNanos();
        if (warmEnd == Long.MAX_VALUE) {
            // fewer accepted than the warm-up: nothing was measured
            warmEnd = ended;
            warmCpu = cpuEnd;
        }
        double loadAfter = OS.getSystemLoadAverage();
        // measured: what happened after the warm-up (the JIT compiles the platform's code meanwhile)
        double seconds = (ended - warmEnd) / 1e9;
        int measured = accepted.size() - warmup;
        double cpuSeconds = (cpuEnd - warmCpu) / 1e9;

        Map<String, Object> report = new java.util.LinkedHashMap<>();
        report.put("run", run);
        report.put("labelers", labelers);
        report.put("tasks", queue.path("tasks").asInt());
        report.put("accepted", accepted.size());
        report.put("duplicates_acknowledged", duplicates.get());
        report.put("errors", errors.size());
        report.put("lease_waits", waits.get());
        report.put("warmup_submissions", warmup);
        report.put("warmup_seconds", round((warmEnd - began) / 1e9));
        putLatencies(report, "warmup_lease", leaseCalls, began, warmEnd);
        putLatencies(report, "warmup_submit", submitCalls, began, warmEnd);
        report.put("measured_submissions", measured);
        report.put("seconds", round(seconds));
        report.put("submissions_per_second", round(measured / seconds));
        putLatencies(report, "lease", leaseCalls, warmEnd, Long.MAX_VALUE);
        putLatencies(report, "submit", submitCalls, warmEnd, Long.MAX_VALUE);
        report.put("cpu_seconds", round(cpuSeconds));
        report.put("cpu_ms_per_submission", round(1000 * cpuSeconds / Math.max(1, measured)));
        report.put("cores", Runtime.getRuntime().availableProcessors());
        report.put("load_average_before", round(loadBefore));
        report.put("load_average_after", round(loadAfter));
        if (!json) {
            out.printf(Locale.ROOT, "labelers %d, submissions accepted %d (plus %d resent, each acknowledged as a duplicate), "
                            + "errors %d%n", labelers, accepted.size(), duplicates.get(), errors.size());
            out.printf(Locale.ROOT, "warm-up: the first %d submissions, %.1f s (lease p50 %.0f ms p99 %.0f ms, submit p50 %.0f ms "
                            + "p99 %.0f ms); measured after it:%n", warmup, report.get("warmup_seconds"),
                    report.get("warmup_lease_p50_ms"), report.get("warmup_lease_p99_ms"), report.get("warmup_submit_p50_ms"),
                    report.get("warmup_submit_p99_ms"));
            out.printf(Locale.ROOT, "lease  p50 %4.0f ms  p99 %4.0f ms  max %4.0f ms  (%d calls; %d in all answered 'try again "
                            + "later')%n", report.get("lease_p50_ms"), report.get("lease_p99_ms"), report.get("lease_max_ms"),
                    report.get("lease_calls"), waits.get());
            out.printf(Locale.ROOT, "submit p50 %4.0f ms  p99 %4.0f ms  max %4.0f ms  (%d calls)%n",
                    report.get("submit_p50_ms"), report.get("submit_p99_ms"), report.get("submit_max_ms"),
                    report.get("submit_calls"));
            out.printf(Locale.ROOT, "%.1f submissions per second (%d in %.1f s)%n", measured / seconds, measured, seconds);
            out.printf(Locale.ROOT, "this process (platform and labelers) used %.1f CPU s meanwhile, %.1f ms per submission, "
                            + "on %d cores; the machine's load average was %.1f before and %.1f after%n", cpuSeconds,
                    1000 * cpuSeconds / Math.max(1, measured), Runtime.getRuntime().availableProcessors(), loadBefore,
                    loadAfter);
        }
        errors.stream().limit(10).forEach(e -> out.println("  error: " + e));

        List<String> wrong = check(run, queuePath, queue.path("tasks").asInt());
        report.put("exact", wrong.isEmpty());
        report.put("mismatches", wrong);
        if (wrong.isEmpty()) {
            out.println("exact: the queue counted each of the " + accepted.size() + " accepted submissions once, each "
                    + "labeler's count is theirs, and the exported dataset holds exactly those labels, each once, same text");
        } else {
            wrong.forEach(w -> out.println("NOT EXACT: " + w));
        }
        try {
            admin.post("/api/v1/runs/" + run + "/cancel", "");
        } catch (ApiClient.ApiException e) {
            out.println("(could not cancel the bench's run: " + e.getMessage() + ")");
        }
        if (json) {
            try {
                System.out.println(ApiClient.JSON.writeValueAsString(report));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return wrong.isEmpty() && errors.isEmpty() ? 0 : 1;
    }

    /** One person: lease, answer, submit, until the queue has nothing left for anyone. */
    private void label(ApiClient me, String name, String queuePath) throws InterruptedException {
        int submitted = 0;
        while (true) {
            long t0 = System.nanoTime();
            JsonNode lease;
            try {
                lease = me.post(queuePath + "/lease", "");
            } catch (ApiClient.ApiException e) {
                if (e.status == 409) {
                    return;  // the queue closed: its quota is met
                }
                errors.add(name + " lease: " + e.status + " " + e.getMessage());
                Thread.sleep(100);
                continue;
            } finally {
                leaseCalls.add(new long[] {t0, System.nanoTime() - t0});
            }
            JsonNode task = lease.path("task");
            if (task.isMissingNode() || task.isNull()) {
                if (!lease.path("queue").path("open").asBoolean(true)
                        || lease.path("reason").asText().startsWith("every task has its labels")) {
                    return;
                }
                // what is left is leased to others: they may let it go
                waits.incrementAndGet();
                Thread.sleep(200);
                continue;
            }
            int id = task.path("id").asInt();
            String completion = "answer to task " + id + " from " + name;
            ObjectNode body = ApiClient.JSON.createObjectNode().put("task_id", id).put("submission_id", name + "-t" + id)
                    .put("completion", completion);
            if (submit(me, name, queuePath, body, id)) {
                accepted.add(new Accepted(name, id, completion));
                if (acceptedCount.incrementAndGet() == warmup) {
                    warmCpu = processCpuNanos();
                    warmEnd = System.nanoTime();
                }
                if (++submitted % RESEND_EVERY == 0) {
                    resend(me, name, queuePath, body);
                }
            }
        }
    }

    /**
     * Whether the platform accepted this submission. A call that failed without an answer is sent again
     * with the same submission id, as a client must: a duplicate then means the first one counted.
     */
    private boolean submit(ApiClient me, String name, String queuePath, ObjectNode body, int task) {
        for (int attempt = 1; ; attempt++) {
            long t0 = System.nanoTime();
            try {
                JsonNode answer = me.post(queuePath + "/submissions", body.toString());
                if (answer.path("accepted").asBoolean()) {
                    return true;
                }
                if (answer.path("duplicate").asBoolean() && attempt > 1) {
                    return true;
                }
                errors.add(name + " task " + task + ": neither accepted nor an expected duplicate: " + answer);
                return false;
            } catch (ApiClient.ApiException e) {
                errors.add(name + " submit task " + task + " (attempt " + attempt + "): " + e.status + " " + e.getMessage());
                if (e.status != 0 && e.status < 500 || attempt == 3) {
                    return false;
                }
            } finally {
                submitCalls.add(new long[] {t0, System.nanoTime() - t0});
            }
        }
    }

    /** The same submission again: acknowledged as a duplicate, never counted twice (or refused: the queue closed). */
    private void resend(ApiClient me, String name, String queuePath, ObjectNode body) {
        try {
            JsonNode again = me.post(queuePath + "/submissions", body.toString());
            if (again.path("duplicate").asBoolean() && !again.path("accepted").asBoolean()) {
                duplicates.incrementAndGet();
            } else {
                errors.add(name + " resent " + body + ": not acknowledged as a duplicate: " + again);
            }
        } catch (ApiClient.ApiException e) {
            if (e.status != 409 || !e.getMessage().contains("closed")) {
                errors.add(name + " resent " + body + ": " + e.status + " " + e.getMessage());
            }
        }
    }

    /** What differs between what was accepted and what the platform kept; empty when it is exact. */
    private List<String> check(String run, String queuePath, int queueTasks) throws InterruptedException {
        List<String> wrong = new ArrayList<>();
        Map<String, Integer> perLabeler = new TreeMap<>();
        Map<String, Integer> wanted = new HashMap<>();
        for (Accepted a : accepted) {
            perLabeler.merge(a.labeler(), 1, Integer::sum);
            wanted.merge(a.completion(), 1, Integer::sum);
        }
        if (accepted.stream().map(Accepted::task).distinct().count() != accepted.size()) {
            wrong.add("a task was accepted twice in a queue of overlap 1");
        }
        if (accepted.size() != queueTasks) {
            wrong.add("accepted " + accepted.size() + " submissions for a queue of " + queueTasks + " tasks");
        }
        JsonNode queue = admin.get(queuePath);
        if (queue.path("labels").asLong() != accepted.size() || queue.path("completed").asInt() != accepted.size()) {
            wrong.add("the queue counts " + queue.path("labels").asLong() + " labels and " + queue.path("completed").asInt()
                    + " completed tasks; " + accepted.size() + " submissions were accepted");
        }
        Map<String, Integer> counted = new TreeMap<>();
        queue.path("labelers").fields().forEachRemaining(e -> counted.put(e.getKey(), e.getValue().asInt()));
        if (!counted.equals(perLabeler)) {
            wrong.add("the queue's per-labeler counts differ from what each labeler had accepted");
        }
        String exported = awaitExport(run);
        if (exported == null) {
            wrong.add("the " + STAGE + " stage did not succeed: no dataset to export");
            return wrong;
        }
        Map<String, Integer> kept = new HashMap<>();
        int lines = 0;
        for (String line : exported.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            lines++;
            try {
                kept.merge(ApiClient.JSON.readTree(line).path("completion").asText(), 1, Integer::sum);
            } catch (java.io.IOException e) {
                wrong.add("an exported line is not JSON: " + line);
            }
        }
        if (lines != accepted.size()) {
            wrong.add("the export has " + lines + " rows; " + accepted.size() + " submissions were accepted");
        }
        if (!kept.equals(wanted)) {
            long missing = wanted.keySet().stream().filter(k -> !kept.containsKey(k)).count();
            long extra = kept.keySet().stream().filter(k -> !wanted.containsKey(k)).count();
            long twice = kept.values().stream().filter(c -> c > 1).count();
            wrong.add("the export's labels differ from the accepted ones: " + missing + " missing, " + extra
                    + " not accepted (or changed), " + twice + " more than once");
        }
        return wrong;
    }

    private JsonNode awaitOpen(String queuePath) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                JsonNode queue = admin.get(queuePath);
                if (queue.path("open").asBoolean()) {
                    return queue;
                }
            } catch (ApiClient.ApiException e) {
                if (e.status != 404) {
                    throw e;
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the " + STAGE + " queue did not open within 5 minutes");
    }

    /** The stage's dataset once it has succeeded (it builds the dataset from the queue's record); null if it failed. */
    private String awaitExport(String run) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                return admin.text("/api/v1/runs/" + run + "/datasets/demonstrations");
            } catch (ApiClient.ApiException e) {
                if (e.status != 404) {
                    throw e;
                }
            }
            JsonNode status = admin.get("/api/v1/runs/" + run);
            if (Arrays.asList("failed", "cancelled").contains(status.path("status").asText())) {
                return null;
            }
            Thread.sleep(250);
        }
        return null;
    }

    /** The percentiles of the calls that started in [from, to). */
    private static void putLatencies(Map<String, Object> report, String what, ConcurrentLinkedQueue<long[]> calls,
                                     long from, long to) {
        List<Long> sorted = new ArrayList<>();
        for (long[] call : calls) {
            if (call[0] >= from && call[0] < to) {
                sorted.add(call[1]);
            }
        }
        report.put(what + "_calls", sorted.size());
        report.put(what + "_p50_ms", round(BenchPlatform.percentileMs(sorted, 50)));
        report.put(what + "_p99_ms", round(BenchPlatform.percentileMs(sorted, 99)));
        report.put(what + "_max_ms", round(BenchPlatform.percentileMs(sorted, 100)));
    }

    private static long processCpuNanos() {
        return OS instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    private static double round(double x) {
        return Math.round(x * 10) / 10.0;
    }

    private static String name(int i) {
        return "labeler-" + i;
    }
}
