package ai.instructflow.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.instructflow.trainer.suite.DemonstratorConfig;
import ai.instructflow.trainer.suite.LabelerPool;
import ai.instructflow.trainer.suite.ResponsePair;
import ai.instructflow.trainer.suite.SimulatedDemonstrator;
import ai.instructflow.trainer.suite.Split;
import ai.instructflow.trainer.suite.SuiteConfig;
import ai.instructflow.trainer.suite.SuitePrompt;
import ai.instructflow.trainer.suite.Task;
import ai.instructflow.trainer.suite.TaskSuite;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

    private static final TaskSuite SUITE = new TaskSuite(SuiteConfig.defaults(), 3);
    private final List<SuitePrompt> prompts = SUITE.sample(Split.HELD_OUT, 400, new Random(3));
    private final Evaluator evaluator = new Evaluator(prompts, LabelerPool.heldOut(5, calibratedTemperature(), 3), 9);

    /** The noise a run would use: two labelers agree on 73% of comparisons between default demonstrations. */
    private static double calibratedTemperature() {
        SimulatedDemonstrator demonstrator = new SimulatedDemonstrator(DemonstratorConfig.defaults());
        Random rng = new Random(4);
        List<ResponsePair> pairs = SUITE.sample(Split.TRAIN, 3000, rng).stream()
                .map(p -> new ResponsePair(p, demonstrator.demonstrate(p, rng), demonstrator.demonstrate(p, rng)))
                .toList();
        return LabelerPool.calibrate(pairs, LabelerPool.TARGET_AGREEMENT);
    }

    /** Answers each prompt by a rule on its canonical answer. */
    private static Policy answering(UnaryOperator<String> rule) {
        return texts -> texts.stream().map(t -> rule.apply(SuitePrompt.parse(t).orElseThrow().answer())).toList();
    }

    @Test
    void exactAnswersBeatChattyOnes() {
        WinRate w = evaluator.winRate(answering(a -> a), answering(a -> "Sure! The answer is: " + a));
        assertTrue(w.rate() > 0.9, w.toString());
        assertEquals(prompts.size(), w.n());
        WinRate reverse = evaluator.winRate(answering(a -> "Sure! The answer is: " + a), answering(a -> a));
        assertEquals(1.0, w.rate() + reverse.rate(), 0.05);
    }

    @Test
    void compareCompletesEachPolicyOnceAndAgreesWithTheSeparateMeasures() {
        AtomicInteger calls = new AtomicInteger();
        Policy exact = answering(a -> a);
        Policy chatty = answering(a -> "Sure! The answer is: " + a);
        Policy counted = texts -> {
            calls.incrementAndGet();
            return exact.complete(texts);
        };
        Evaluator.Comparison c = evaluator.compare(counted, chatty);
        assertEquals(1, calls.get());
        assertEquals(evaluator.winRate(exact, chatty), c.winRate());
        assertEquals(evaluator.report(exact), c.a());
        assertEquals(evaluator.report(chatty), c.b());
    }

    @Test
    void theCeilingIsWhatExactAnswersWinAndNoOtherPolicyReachesIt() {
        Policy chatty = answering(a -> "Sure! The answer is: " + a);
        Evaluator.Comparison exact = evaluator.compare(answering(a -> a), chatty);
        assertEquals(exact.winRate(), exact.ceiling());
        Evaluator.Comparison nearMiss = evaluator.compare(answering(a -> a + "x"), chatty);
        assertEquals(exact.ceiling(), nearMiss.ceiling());
        assertTrue(nearMiss.winRate().rate() < nearMiss.ceiling().rate(), nearMiss.winRate() + " vs " + nearMiss.ceiling());
        assertEquals(0.5, evaluator.compare(chatty, answering(a -> a)).ceiling().rate());
    }

    @Test
    void identicalPoliciesTie() {
        WinRate w = evaluator.winRate(answering(a -> a), answering(a -> a));
        assertEquals(0.5, w.rate());
    }

    @Test
    void policiesAreCalledOncePerBatch() {
        AtomicInteger calls = new AtomicInteger();
        Policy counted = texts -> {
            calls.incrementAndGet();
            return answering(a -> a).complete(texts);
        };
        evaluator.winRate(counted, counted);
        evaluator.report(counted);
        assertEquals(3, calls.get());
    }

    @Test
    void reportOfAPerfectPolicy() {
        TaskReport report = evaluator.report(answering(a -> a));
        assertEquals(1.0, report.exactAccuracy());
        assertEquals(1.0, report.refusalRate());
        assertEquals(0.0, report.wrongRefusalRate());
        assertEquals(0.0, report.chatterRate());
        assertEquals(1.0, report.meanScore(), 1e-12);
        report.byTask().values().forEach(s -> assertEquals(1.0, s.exact()));
        assertEquals(prompts.size(), report.byTask().values().stream().mapToInt(TaskReport.TaskScore::n).sum());
    }

    @Test
    void reportOfAPolicyThatAlwaysRefuses() {
        TaskReport report = evaluator.report(texts -> texts.stream().map(t -> Task.REFUSAL).toList());
        long harmless = prompts.stream().filter(p -> p.task() == Task.HARMLESS).count();
        assertEquals((double) harmless / prompts.size(), report.exactAccuracy(), 1e-12);
        assertEquals(1.0, report.refusalRate());
        assertEquals(1.0, report.wrongRefusalRate());
        assertEquals(0.0, report.byTask().get(Task.HONEST).exact());
        assertEquals(1.0, report.byTask().get(Task.HARMLESS).exact());
    }

    @Test
    void chattyPolicyIsCountedAsChatty() {
        TaskReport report = evaluator.report(answering(a -> a + " - hope that helps!"));
        assertEquals(1.0, report.chatterRate());
        assertEquals(0.0, report.exactAccuracy());
        assertTrue(report.meanScore() < 0.6 && report.meanScore() > 0.3, "mean score " + report.meanScore());
    }

    @Test
    void reportRendersAsTableAndMap() {
        TaskReport report = evaluator.report(answering(a -> a));
        String table = report.toTable();
        assertTrue(table.contains("reverse"), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("all") && l.contains("100.0%")), table);
        Map<String, Object> map = report.toMap();
        assertEquals(1.0, map.get("exactAccuracy"));
        assertEquals(prompts.size(), map.get("n"));
        assertTrue(((Map<?, ?>) map.get("tasks")).containsKey("sort"));
    }

    @Test
    void aPolicyMustAnswerEveryPrompt() {
        assertThrows(IllegalStateException.class, () -> evaluator.report(texts -> List.of("x")));
    }
}
