package ai.instructflow.trainer.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PromptFormatTest {

    @Test
    void theDefaultIsBosPromptNewlineResponseNewline() {
        PromptFormat f = new PromptFormat(new ByteTokenizer());
        assertArrayEquals(new int[] {ByteTokenizer.BOS, 'h', 'i', ' ', 'x', '\n'}, f.prompt("hi\nx"));
        assertArrayEquals(new int[] {'o', 'k', '\n'}, f.response("ok"));
        assertTrue(f.isStop('\n') && f.isStop(ByteTokenizer.EOS));
        assertEquals("hi x", f.promptText(f.prompt("hi\nx")));
    }

    @Test
    void aBpeModelCanEndResponsesWithEndOfText() {
        Gpt2BpeTokenizer bpe = ToyBpe.tokenizer();
        PromptFormat f = new PromptFormat(bpe, new PromptFormat.Template(false, "\n\n", true));
        int[] prompt = f.prompt("hello world");
        int[] sep = bpe.encode("\n\n");
        assertArrayEquals(sep, java.util.Arrays.copyOfRange(prompt, prompt.length - sep.length, prompt.length));
        assertEquals("hello world", f.promptText(prompt));
        int[] response = f.response("line one\nline two");
        assertEquals(bpe.eos(), response[response.length - 1]);
        assertEquals("line one\nline two", f.responseText(response));
        assertTrue(f.isStop(bpe.eos()));
        assertEquals(false, f.isStop(bpe.encode("\n")[0]), "a newline inside the response does not stop it");
    }

    @Test
    void aMultiTokenSeparatorCannotEndAResponse() {
        assertThrows(IllegalArgumentException.class,
                () -> new PromptFormat(new ByteTokenizer(), new PromptFormat.Template(true, "\n\n", false)));
    }
}
