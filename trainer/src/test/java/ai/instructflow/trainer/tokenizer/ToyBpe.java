package ai.instructflow.trainer.tokenizer;

import java.util.List;

/** A byte-level BPE small enough to write by hand: GPT-2's byte alphabet, a few merges, end of text. */
public final class ToyBpe {

    private ToyBpe() {}

    public static Gpt2BpeTokenizer tokenizer() {
        return Gpt2BpeTokenizer.byteAlphabetWith(List.of(new String[] {"h", "e"}, new String[] {"l", "l"},
                new String[] {"he", "ll"}, new String[] {"hell", "o"}, new String[] {"\u0120", "w"}, new String[] {"o", "r"}));
    }
}
