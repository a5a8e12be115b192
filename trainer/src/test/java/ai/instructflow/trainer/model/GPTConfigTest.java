package ai.instructflow.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GPTConfigTest {

    @Test
    void theGpt2PresetIsGpt2SmallWithHuggingFacesParameterCount() {
        GPTConfig gpt2 = GPTConfig.preset("gpt2", GPTConfig.GPT2_VOCAB);
        assertEquals(124_439_808L, gpt2.parameters(), "transformers counts 124,439,808 for gpt2");
        assertEquals(Architecture.gpt2(1e-5f), gpt2.architecture());
        assertEquals(1024, gpt2.context());
    }

    @Test
    void theByteLevelPresetsKeepTheDefaultArchitecture() {
        assertEquals(Architecture.DEFAULT, GPTConfig.preset("tiny", 259).architecture());
        assertEquals(Architecture.DEFAULT, GPTConfig.preset("small", 259).architecture());
        assertEquals(new Architecture(1e-5f, Architecture.Activation.GELU, false), Architecture.DEFAULT);
    }
}
