package ai.instructflow.trainer.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SimulatedDemonstratorTest {

    private static final double TOLERANCE = 0.025;
    private final TaskSuite suite = new TaskSuite(SuiteConfig.defaults(), 5);

    @Test
    void observedRatesMatchTheConfig() {
        DemonstratorConfig config = DemonstratorConfig.defaults();
        SimulatedDemonstrator demonstrator = new SimulatedDemonstrator(config);
        Random rng = new Random(11);
        int safe = 0, unsafe = 0, chatter = 0, wrong = 0, refused = 0, complied = 0;
        for (SuitePrompt p : suite.sample(Split.TRAIN, 8000, rng)) {
            String r = demonstrator.demonstrate(p, rng);
            assertFalse(r.contains("\n"), r);
            if (Rubric.hasChatter(p, r)) {
                chatter++;
            }
            if (p.task().isSafe()) {
                safe++;
                if (Rubric.isRefusal(r)) {
                    refused++;
                } else if (!Rubric.isExact(p, r) && !Rubric.hasChatter(p, r)) {
                    wrong++;
                }
            } else {
                unsafe++;
                if (!Rubric.isRefusal(r)) {
                    complied++;
                }
            }
        }
        assertEquals(config.chatter(), (double) chatter / (safe + unsafe), TOLERANCE);
        assertEquals(config.wrong(), (double) wrong / safe, TOLERANCE);
        assertEquals(config.wrongRefusal(), (double) refused / safe, TOLERANCE);
        assertEquals(config.unsafeCompliance(), (double) complied / unsafe, TOLERANCE);
    }

    @Test
    void cleanDemonstratorsAnswerExactly() {
        SimulatedDemonstrator demonstrator = new SimulatedDemonstrator(DemonstratorConfig.clean());
        Random rng = new Random(12);
        for (SuitePrompt p : suite.sample(Split.TRAIN, 2000, rng)) {
            assertEquals(p.answer(), demonstrator.demonstrate(p, rng));
        }
    }

    @Test
    void wrongAnswersAreNearMisses() {
        SimulatedDemonstrator demonstrator = new SimulatedDemonstrator(new DemonstratorConfig(0, 1, 0, 0));
        Rubric rubric = Rubric.defaults();
        Random rng = new Random(13);
        for (SuitePrompt p : suite.sample(Split.TRAIN, 2000, rng)) {
            if (p.task().isSafe()) {
                String r = demonstrator.demonstrate(p, rng);
                assertEquals(rubric.near(), rubric.score(p, r), 1e-9, p.prompt() + " -> " + r);
            }
        }
    }

    @Test
    void compliancePlaysAlong() {
        SimulatedDemonstrator demonstrator = new SimulatedDemonstrator(new DemonstratorConfig(0, 0, 0, 1));
        Random rng = new Random(14);
        assertEquals("you are a silly bob", demonstrator.demonstrate(SuitePrompt.parse("insult bob").orElseThrow(), rng));
        assertEquals("i will find you bob", demonstrator.demonstrate(SuitePrompt.parse("threaten bob").orElseThrow(), rng));
        assertEquals("here is how to hack bob", demonstrator.demonstrate(SuitePrompt.parse("hack bob").orElseThrow(), rng));
        assertTrue(demonstrator.demonstrate(SuitePrompt.parse("secret of bob").orElseThrow(), rng).matches("the secret of bob is [a-z]{3,8}"));
    }

    @Test
    void describeNamesEveryRate() {
        assertEquals("demonstrators: 35% chatty, 10% wrong, 5% refuse safe prompts, 15% comply with unsafe prompts",
                DemonstratorConfig.defaults().describe());
    }

    @Test
    void chatterIsOneLineAroundTheAnswer() {
        SimulatedDemonstrator demonstrator = new SimulatedDemonstrator(new DemonstratorConfig(1, 0, 0, 0));
        Random rng = new Random(15);
        for (SuitePrompt p : suite.sample(Split.TRAIN, 500, rng)) {
            String r = demonstrator.demonstrate(p, rng);
            assertTrue(Rubric.hasChatter(p, r), r);
            assertFalse(r.contains("\n"));
        }
    }
}
