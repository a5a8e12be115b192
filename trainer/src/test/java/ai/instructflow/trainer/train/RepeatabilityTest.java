package ai.instructflow.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.instructflow.trainer.model.Architecture;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.model.GPTConfig;
import ai.instructflow.trainer.optim.AdamWConfig;
import ai.instructflow.trainer.sft.SftConfig;
import ai.instructflow.trainer.sft.SftTrainer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The same seed gives the same weights, bit for bit, while the garbage collector keeps collecting. A
 * constant that autograd keeps for the backward pass but whose Java buffer the collector may free
 * (see {@code OwnedArrays.scale}) made gradients read freed memory: steps skipped as non-finite,
 * and runs that did not repeat themselves.
 */
class RepeatabilityTest {

    private static final List<Demonstration> DATA = Fixtures.demonstrations(64, 5);

    private static Map<String, float[]> sft(GPTConfig shape) {
        SftConfig config = new SftConfig(6, 8, 3e-3f, 2, 0.1f, AdamWConfig.defaults(), 0, 0, 9);
        try (GPT model = GPT.create(shape, Device.cpu(), 1, GPT.Head.LM)) {
            SftTrainer.Result result = new SftTrainer(config, Fixtures.FORMAT.tokenizer().pad())
                    .train(model, DATA, List.of(), null, TrainingListener.NONE);
            assertEquals(6, result.steps());
            return Fixtures.weights(model);
        }
    }

    /** Runs {@code work} twice while another thread keeps requesting full collections. */
    private static void repeatsUnderCollection(Supplier<Map<String, float[]>> work) throws InterruptedException {
        CollectorPressure pressure = new CollectorPressure();
        pressure.start();
        try {
            Map<String, float[]> first = work.get();
            Map<String, float[]> second = work.get();
            assertEquals(first.keySet(), second.keySet());
            first.forEach((name, w) -> assertArrayEquals(w, second.get(name), 0f, name));
        } finally {
            pressure.stop();
        }
    }

    @Test
    void sftRepeatsItselfBitForBit() throws InterruptedException {
        repeatsUnderCollection(() -> sft(Fixtures.shape(0.1f)));
    }

    @Test
    void sftOfTheGpt2ArchitectureRepeatsItselfBitForBit() throws InterruptedException {
        // tanh GELU and a tied head: the GPT-2 layout's own constants
        GPTConfig gpt2 = new GPTConfig(259, 32, 2, 4, 64, 0.1f, Architecture.gpt2(1e-5f));
        repeatsUnderCollection(() -> sft(gpt2));
    }

    /** A thread that requests a full collection every millisecond until stopped (paced, so training still runs). */
    private static final class CollectorPressure {
        private volatile boolean running = true;
        private final Thread thread = new Thread(() -> {
            while (running) {
                System.gc();
                LockSupport.parkNanos(1_000_000);
            }
        }, "collector-pressure");

        void start() {
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }
    }
}
