package ai.instructflow.activities.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.instructflow.activities.labeling.Verdict;
import ai.instructflow.trainer.pipeline.Method;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeoplesVerdictTest {

    private static final List<Verdict> VERDICTS = List.of(
            new Verdict(0, "p0", "jane", Verdict.Winner.PPO, 6, 3),
            new Verdict(1, "p1", "jane", Verdict.Winner.TIE, null, null),
            new Verdict(0, "p0", "omar", Verdict.Winner.SFT, 2, 5));

    @Test
    void theReportNamesThePolicyTheRunTunedAndCountsTiesHalf() {
        for (Method method : Method.values()) {
            PeoplesVerdict verdict = new PeoplesVerdict(method, "held-out", 2, VERDICTS, null);
            assertEquals(0.5, verdict.overall().rate(), 1e-9);  // a win, a tie and a loss
            String text = verdict.toText();
            assertTrue(text.startsWith(method.label() + " over SFT, judged by 2 people of group 'held-out' on 2 "
                    + "held-out prompts"), text);
            assertTrue(text.contains("  jane: 75.0% of 2") && text.contains("  omar: 0.0% of 1"), text);
        }
    }
}
