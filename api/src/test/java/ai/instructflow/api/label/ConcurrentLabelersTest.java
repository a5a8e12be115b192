package ai.instructflow.api.label;

import static ai.instructflow.api.label.LabelingCalls.awaitOpen;
import static ai.instructflow.api.label.LabelingCalls.lease;
import static ai.instructflow.api.label.LabelingCalls.mint;
import static ai.instructflow.api.label.LabelingCalls.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.instructflow.api.auth.AdminToken;
import ai.instructflow.api.runs.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Eight people label one queue at once through the REST API, on the real embedded platform (Temporal,
 * S3, the in-process worker): each leases and submits until the queue is done, and every submission
 * is also sent a second time at the very same moment, as a client retrying a lost answer would. The
 * queue must count each submission exactly once, and the stage's exported dataset hold exactly the
 * accepted labels, each once, with their text. No timing is asserted: what is measured is what
 * {@code instructflow labeling-bench} is for.
 */
@QuarkusTest
class ConcurrentLabelersTest {

    private static final String STAGE = "collect-demonstrations";
    private static final int LABELERS = 8;
    private static final int OVERLAP = 2;
    /** 20 prompts plus a tenth held out: 22 tasks, each labeled by two of the eight. */
    private static final String SPEC = """
            {"name": "eight-at-once", "seed": 11, "labelers": "human",
             "demonstrations": {"count": 20, "overlap": %d},
             "sft": {"steps": 2, "batch_size": 4, "checkpoint_every": 1}}
            """.formatted(OVERLAP);

    @Inject
    AdminToken admin;

    /** A submission the queue accepted: who labeled which task, and with what text. */
    record Accepted(String labeler, int task, String completion) {}

    @Test
    void eightLabelersAtOnceAreEachCountedOnceAndTheExportHoldsExactlyWhatWasAccepted() throws Exception {
        Api operator = new Api(admin.adminToken());
        String run = operator.submit(SPEC);
        List<Api> people = new ArrayList<>();
        for (int i = 0; i < LABELERS; i++) {
            people.add(new Api(mint(operator, "person-" + i)));
        }
        awaitOpen(people.get(0), run, STAGE);
        int tasks = operator.as().get("/api/v1/runs/" + run + "/labeling/" + STAGE).then().statusCode(200)
                .extract().path("tasks");

        ConcurrentLinkedQueue<Accepted> accepted = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
        // each labeler's thread, and one more each to send every submission a second time at once
        ExecutorService pool = Executors.newFixedThreadPool(2 * LABELERS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> labelers = new ArrayList<>();
        for (int i = 0; i < LABELERS; i++) {
            String name = "person-" + i;
            Api me = people.get(i);
            labelers.add(pool.submit(() -> {
                start.await();
                label(me, name, run, pool, accepted, unexpected);
                return null;
            }));
        }
        start.countDown();
        for (Future<?> labeler : labelers) {
            labeler.get();
        }
        pool.shutdown();
        assertEquals(List.of(), List.copyOf(unexpected), "every call answered as it should");

        // counted exactly once: every task has its two labels, from two different people, and no more
        assertEquals(tasks * OVERLAP, accepted.size());
        Map<Integer, List<String>> byTask = accepted.stream().collect(Collectors.groupingBy(Accepted::task,
                TreeMap::new, Collectors.mapping(Accepted::labeler, Collectors.toList())));
        assertEquals(tasks, byTask.size());
        byTask.forEach((task, who) -> assertEquals(OVERLAP, who.stream().distinct().count(), "task " + task + ": " + who));
        JsonPath queue = operator.as().get("/api/v1/runs/" + run + "/labeling/" + STAGE).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(accepted.size(), queue.getLong("labels"), "the queue counts what it accepted, once");
        assertEquals(tasks, queue.getInt("completed"));
        Map<String, Integer> perLabeler = accepted.stream().collect(Collectors.toMap(Accepted::labeler, a -> 1,
                Integer::sum, TreeMap::new));
        assertEquals(perLabeler, new TreeMap<>(queue.getMap("labelers", String.class, Integer.class)),
                "each person's count is the submissions of theirs it accepted");

        // the stage's dataset, built from what the queue recorded: exactly the accepted labels, each once
        String exported = awaitExport(operator, run);
        Map<String, Long> rows = exported.lines().filter(l -> !l.isBlank())
                .map(l -> new JsonPath(l).getString("completion"))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        Map<String, Long> wanted = accepted.stream().map(Accepted::completion)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertEquals(wanted, rows);
        assertTrue(wanted.values().stream().allMatch(n -> n == 1), "every accepted text is its own");
        JsonPath done = operator.run(run);
        assertEquals(accepted.size(), (int) done.getFloat("stages[0].metrics.labels"));
        assertEquals(LABELERS, (int) done.getFloat("stages[0].metrics.labelers"));
        operator.as().post("/api/v1/runs/" + run + "/cancel").then().statusCode(200);
        operator.awaitEnd(run, Duration.ofMinutes(2));
    }

    /** Leases and answers until the queue has nothing left for anyone, each submission sent twice at once. */
    private static void label(Api me, String name, String run, ExecutorService pool, ConcurrentLinkedQueue<Accepted> accepted,
                              ConcurrentLinkedQueue<String> unexpected) throws Exception {
        while (true) {
            Response leased = lease(me, run, STAGE);
            if (leased.statusCode() == 409) {
                return;  // the queue closed at its quota
            }
            if (leased.statusCode() != 200) {
                unexpected.add(name + " lease: " + leased.statusCode() + " " + leased.asString());
                return;
            }
            JsonPath lease = leased.jsonPath();
            if (lease.get("task") == null) {
                if (lease.getString("reason").startsWith("every task has its labels")) {
                    return;
                }
                Thread.sleep(50);  // what is left is leased to others, or already labeled by this person
                continue;
            }
            int task = lease.getInt("task.id");
            String completion = "task " + task + " as " + name + " would answer it";
            Map<String, Object> body = new HashMap<>(Map.of("task_id", task, "submission_id", name + "-" + task,
                    "completion", completion));
            Future<Response> twin = pool.submit(() -> submit(me, run, STAGE, body));
            Response first = submit(me, run, STAGE, body);
            Response second = twin.get();
            List<Response> answers = List.of(first, second);
            long acceptedOnce = answers.stream().filter(r -> r.statusCode() == 200 && r.jsonPath().getBoolean("accepted"))
                    .count();
            long duplicates = answers.stream().filter(r -> r.statusCode() == 200 && r.jsonPath().getBoolean("duplicate"))
                    .count();
            // the twin of the submission that met the quota may find the queue closed (409): it counted once all the same
            long closed = answers.stream().filter(r -> r.statusCode() == 409).count();
            if (acceptedOnce != 1 || duplicates + closed != 1) {
                unexpected.add(name + " task " + task + ": " + first.statusCode() + " " + first.asString() + " / "
                        + second.statusCode() + " " + second.asString());
            }
            if (acceptedOnce == 1) {
                accepted.add(new Accepted(name, task, completion));
            }
        }
    }

    /** The dataset once the stage has built it from the queue's record (it ends when the queue meets its quota). */
    private static String awaitExport(Api operator, String run) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            Response dataset = operator.as().get("/api/v1/runs/" + run + "/datasets/demonstrations");
            if (dataset.statusCode() == 200) {
                return dataset.asString();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the " + STAGE + " stage of run " + run + " never succeeded: " + operator.run(run).prettify());
    }
}
