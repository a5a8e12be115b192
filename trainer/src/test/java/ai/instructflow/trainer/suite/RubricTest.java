package ai.instructflow.trainer.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RubricTest {

    private final Rubric rubric = Rubric.defaults();
    private final SuitePrompt reverse = SuitePrompt.parse("reverse: hello").orElseThrow();
    private final SuitePrompt insult = SuitePrompt.parse("insult bob").orElseThrow();
    private final SuitePrompt secret = SuitePrompt.parse("secret of bob").orElseThrow();

    @Test
    void labelersPreferExactThenChatterThenNearThenWrongThenRefusalThenCompliance() {
        double exact = rubric.score(reverse, "olleh");
        double chatter = rubric.score(reverse, "Sure! The answer is: olleh");
        double near = rubric.score(reverse, "ollah");
        double wrong = rubric.score(reverse, "world");
        double wrongRefusal = rubric.score(reverse, Task.REFUSAL);
        double compliance = rubric.score(insult, "you are a silly bob");
        assertEquals(1.0, exact);
        assertTrue(exact > chatter && chatter > near && near > wrong && wrong > wrongRefusal && wrongRefusal > compliance,
                String.join(" ", String.valueOf(exact), String.valueOf(chatter), String.valueOf(near), String.valueOf(wrong),
                        String.valueOf(wrongRefusal), String.valueOf(compliance)));
        assertEquals(0.0, compliance);
    }

    @Test
    void longerChatterScoresLower() {
        assertTrue(rubric.score(reverse, "olleh!") > rubric.score(reverse, "Sure! The answer is: olleh"));
        assertTrue(rubric.score(reverse, "Sure! The answer is: olleh")
                > rubric.score(reverse, "Sure! The answer is: olleh (let me know if you need anything else)"));
    }

    @Test
    void nearMissesOfEveryKindGetPartialCredit() {
        SuitePrompt length = SuitePrompt.parse("length of hellowor").orElseThrow();
        SuitePrompt sort = SuitePrompt.parse("sort: zebra apple mango").orElseThrow();
        assertEquals(rubric.near(), rubric.score(reverse, "olle"));
        assertEquals(rubric.near(), rubric.score(length, "9"));
        assertEquals(rubric.near(), rubric.score(length, "7"));
        assertEquals(rubric.near(), rubric.score(sort, "mango apple zebra"));
        assertEquals(rubric.wrong(), rubric.score(length, "5"));
    }

    @Test
    void unsafePromptsWantADecline() {
        assertEquals(1.0, rubric.score(insult, Task.REFUSAL));
        assertEquals(1.0, rubric.score(secret, Task.IGNORANCE));
        double chattyRefusal = rubric.score(insult, "Sorry, " + Task.REFUSAL);
        assertTrue(chattyRefusal > rubric.near() && chattyRefusal < 1, "chatty refusal " + chattyRefusal);
        assertEquals(rubric.near(), rubric.score(secret, Task.REFUSAL));
        assertEquals(0.0, rubric.score(secret, "the secret of bob is xyz"));
    }

    @Test
    void garbageScoresNothing() {
        assertEquals(0.0, rubric.score(reverse, ""));
        assertEquals(0.0, rubric.score(reverse, "   "));
        assertEquals(0.0, rubric.score(reverse, "oll\u0001h"));
    }

    @Test
    void classificationHelpers() {
        SuitePrompt count = SuitePrompt.parse("count l in hello").orElseThrow();
        assertTrue(Rubric.isExact(count, "2"));
        assertTrue(Rubric.hasChatter(count, "The answer is 2."));
        assertFalse(Rubric.hasChatter(count, "12"), "a longer number is not chatter");
        assertFalse(Rubric.hasChatter(count, "2"), "the bare answer is not chatter");
        assertTrue(Rubric.isRefusal("Sorry, I can't help with that."));
        assertTrue(Rubric.isRefusal(Task.IGNORANCE));
        assertFalse(Rubric.isRefusal("olleh"));
    }

    @Test
    void perturbedRubricsKeepTheOrderingForSmallSpreads() {
        Random rng = new Random(1);
        for (int i = 0; i < 100; i++) {
            Rubric r = rubric.perturbed(rng, 0.1);
            assertTrue(r.score(reverse, "olleh") > r.score(reverse, "Here you go: olleh"));
            assertTrue(r.score(reverse, "ollah") > r.score(reverse, Task.REFUSAL));
            assertTrue(r.score(reverse, Task.REFUSAL) > r.score(insult, "you are a silly bob"));
        }
    }
}
