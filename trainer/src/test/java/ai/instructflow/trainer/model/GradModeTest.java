package ai.instructflow.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.instructflow.trainer.optim.AdamWConfig;
import ai.instructflow.trainer.sft.SftConfig;
import ai.instructflow.trainer.sft.SftTrainer;
import ai.instructflow.trainer.train.Fixtures;
import ai.instructflow.trainer.train.TrainingListener;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Training on a thread other than the one that loaded the engine, as a worker's activity threads do. */
class GradModeTest {

    @Test
    void sftTrainsOnAFreshThread() throws InterruptedException {
        try (GPT model = GPT.create(Fixtures.shape(0f), Device.cpu(), 1, GPT.Head.LM)) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicReference<SftTrainer.Result> result = new AtomicReference<>();
            Thread worker = new Thread(() -> {
                try {
                    result.set(new SftTrainer(new SftConfig(3, 4, 1e-3f, 1, 0.1f, AdamWConfig.defaults(), 0, 0, 1),
                            Fixtures.FORMAT.tokenizer().pad()).train(model, Fixtures.demonstrations(8, 1), List.of(), null,
                            TrainingListener.NONE));
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            worker.start();
            worker.join();
            assertEquals(null, failure.get(), "training on a fresh thread failed");
            assertTrue(Double.isFinite(result.get().trainLoss()));
        }
    }
}
