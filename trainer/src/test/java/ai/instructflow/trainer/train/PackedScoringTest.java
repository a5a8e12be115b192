package ai.instructflow.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDScope;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.rm.RewardModelTrainer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Training and scoring run over packed rows: every sequence must come out as if it had been scored alone. */
class PackedScoringTest {

    private static final int PAD = Fixtures.FORMAT.tokenizer().pad();

    @Test
    void logProbsOfPackedSequencesAreEachSequenceAlone() {
        List<Demonstration> batch = Fixtures.demonstrations(24, 3);
        try (GPT model = GPT.create(Fixtures.shape(0f), Device.cpu(), 5, GPT.Head.LM)) {
            float[] together = ResponseLogProbs.sums(model, batch, PAD, batch.size());
            float[] alone = ResponseLogProbs.sums(model, batch, PAD, 1);
            for (int i = 0; i < batch.size(); i++) {
                assertEquals(alone[i], together[i], 1e-4, "log pi(y|x) of sequence " + i);
            }
            // a sequence longer than the context and one more token loses its tail
            int limit = model.config().context() + 1;
            int responseTokens = batch.stream()
                    .mapToInt(d -> Math.min(d.sequence().length, limit) - d.prompt().length).sum();
            try (NDScope scope = new NDScope()) {
                assertEquals(responseTokens, ResponseLogProbs.of(model, batch, PAD, false).tokens());
            }
        }
    }

    @Test
    void rewardsOfPackedSequencesAreEachSequenceAlone() {
        List<Demonstration> batch = Fixtures.demonstrations(24, 4);
        List<int[]> prompts = batch.stream().map(Demonstration::prompt).toList();
        List<int[]> responses = batch.stream().map(Demonstration::response).toList();
        try (GPT rm = GPT.create(Fixtures.shape(0f), Device.cpu(), 6, GPT.Head.SCORE)) {
            float[] together = RewardModelTrainer.score(rm, prompts, responses);
            for (int i = 0; i < batch.size(); i++) {
                float alone = RewardModelTrainer.score(rm, prompts.subList(i, i + 1), responses.subList(i, i + 1))[0];
                assertEquals(alone, together[i], 1e-4, "r(x, y) of sequence " + i);
            }
        }
    }
}
