package ai.instructflow.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.optim.AdamW;
import ai.instructflow.trainer.optim.AdamWConfig;
import ai.instructflow.trainer.sft.SftConfig;
import ai.instructflow.trainer.sft.SftTrainer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class CheckpointTest {

    private static byte[] bytes(Checkpoint c) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        c.write(out);
        return out.toByteArray();
    }

    @Test
    void roundTripKeepsWeightsOptimizerStateAndMetadata() throws IOException {
        try (GPT model = GPT.create(Fixtures.shape(0f), Device.cpu(), 3, GPT.Head.LM, GPT.Head.SCORE)) {
            AdamW opt = new AdamW(model, AdamWConfig.defaults());
            byte[] data = bytes(new Checkpoint().put("step", 17L).put("beta", 0.05)
                    .putModel("policy/", model).putOptimizer("policy/", opt));
            Checkpoint back = Checkpoint.read(new ByteArrayInputStream(data));
            assertEquals(17L, back.getLong("step"));
            assertEquals(0.05, back.getDouble("beta"));
            try (GPT restored = back.model("policy/", Device.cpu())) {
                assertEquals(model.config(), restored.config());
                Map<String, float[]> expected = Fixtures.weights(model);
                Map<String, float[]> actual = Fixtures.weights(restored);
                assertEquals(expected.keySet(), actual.keySet());
                expected.forEach((name, w) -> assertArrayEquals(w, actual.get(name), name));
            }
            back.restoreOptimizer("policy/", opt);
            assertEquals(0, opt.step());
        }
        assertThrows(IOException.class, () -> Checkpoint.read(new ByteArrayInputStream(new byte[] {1, 2, 3, 4})));
    }

    @Test
    void sftInterruptedAndResumedEndsExactlyWhereTheUninterruptedRunEnds() throws IOException {
        // dropout on: the resumed run must also reproduce the dropout masks of the steps it redoes
        List<Demonstration> data = Fixtures.demonstrations(64, 5);
        SftConfig config = new SftConfig(12, 8, 3e-3f, 2, 0.1f,
                AdamWConfig.defaults(), 0, 5, 9);
        SftTrainer trainer = new SftTrainer(config, Fixtures.FORMAT.tokenizer().pad());

        Map<String, float[]> uninterrupted;
        try (GPT model = GPT.create(Fixtures.shape(0.1f), Device.cpu(), 1, GPT.Head.LM)) {
            trainer.train(model, data, List.of(), null, TrainingListener.NONE);
            uninterrupted = Fixtures.weights(model);
        }

        Fixtures.Capture capture = new Fixtures.Capture(5, true);
        try (GPT model = GPT.create(Fixtures.shape(0.1f), Device.cpu(), 1, GPT.Head.LM)) {
            assertThrows(CancellationException.class,
                    () -> trainer.train(model, data, List.of(), null, capture));
        }
        assertEquals(5, capture.metrics.size(), "cancellation is honoured right after the checkpoint step");
        Checkpoint resumed = Checkpoint.read(new ByteArrayInputStream(bytes(capture.checkpoint)));
        assertEquals(5, resumed.getLong("step"));
        Fixtures.Capture rest = new Fixtures.Capture(-1, false);
        try (GPT model = resumed.model("policy/", Device.cpu())) {
            trainer.train(model, data, List.of(), resumed, rest);
            assertEquals(7, rest.metrics.size(), "the resumed run does steps 6..12 only");
            Map<String, float[]> actual = Fixtures.weights(model);
            uninterrupted.forEach((name, w) -> assertArrayEquals(w, actual.get(name), name));
        }
    }
}
