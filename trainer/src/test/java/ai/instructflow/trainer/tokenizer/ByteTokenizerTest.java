package ai.instructflow.trainer.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteTokenizerTest {

    private final ByteTokenizer tokenizer = new ByteTokenizer();

    @Test
    void arbitraryBytesRoundTrip() {
        Random rng = new Random(42);
        for (int trial = 0; trial < 200; trial++) {
            byte[] bytes = new byte[rng.nextInt(64)];
            rng.nextBytes(bytes);
            int[] ids = tokenizer.encodeBytes(bytes);
            assertEquals(bytes.length, ids.length);
            assertArrayEquals(bytes, tokenizer.decodeBytes(ids, 0, ids.length));
        }
    }

    @Test
    void unicodeTextRoundTripsAndSpecialTokensAreDropped() {
        String text = "reverse: héllo → 世界 🙂";
        int[] ids = tokenizer.encode(text);
        assertEquals(text, tokenizer.decode(ids));
        int[] withSpecials = new int[ids.length + 2];
        withSpecials[0] = tokenizer.bos();
        System.arraycopy(ids, 0, withSpecials, 1, ids.length);
        withSpecials[ids.length + 1] = tokenizer.eos();
        assertEquals(text, tokenizer.decode(withSpecials));
        assertEquals(259, tokenizer.vocabSize());
    }

    @Test
    void promptFormatFramesPromptAndResponse() {
        PromptFormat format = new PromptFormat(tokenizer);
        int[] prompt = format.prompt("upper: abc");
        assertEquals(ByteTokenizer.BOS, prompt[0]);
        assertEquals(PromptFormat.STOP, prompt[prompt.length - 1]);
        int[] response = format.response("ABC");
        assertEquals(PromptFormat.STOP, response[response.length - 1]);
        assertEquals("ABC", format.responseText(response));
        assertEquals("AB", format.responseText(new int[] {'A', 'B', '\n', 'C'}));
    }
}
