package ai.instructflow.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.instructflow.trainer.model.Architecture;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.model.GPTConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A model's architecture survives our checkpoints; checkpoints from before it existed mean the default. */
class CheckpointArchitectureTest {

    @Test
    void aTiedTanhGeluModelComesBackAsItWent() throws Exception {
        GPTConfig shape = new GPTConfig(300, 16, 1, 2, 8, 0f, new Architecture(1e-6f, Architecture.Activation.GELU_TANH, true));
        try (GPT model = GPT.create(shape, Device.cpu(), 1, GPT.Head.LM)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            new Checkpoint().putModel("policy/", model).write(bytes);
            try (GPT back = Checkpoint.read(new ByteArrayInputStream(bytes.toByteArray())).model("policy/", Device.cpu())) {
                assertEquals(shape, back.config());
                assertEquals(model.parameters().keySet(), back.parameters().keySet());
                assertArrayEquals(model.parameters().get("wte").toFloatArray(), back.parameters().get("wte").toFloatArray());
            }
        }
    }

    @Test
    void aConfigWrittenWithoutAnArchitectureReadsAsTheDefault() {
        Map<String, Object> old = Map.of("vocabSize", 259, "dModel", 32, "layers", 2, "heads", 4, "context", 64, "dropout", 0.1);
        GPTConfig config = new ObjectMapper().convertValue(old, GPTConfig.class);
        assertEquals(Architecture.DEFAULT, config.architecture());
        assertEquals(new GPTConfig(259, 32, 2, 4, 64, 0.1f), config);
    }
}
