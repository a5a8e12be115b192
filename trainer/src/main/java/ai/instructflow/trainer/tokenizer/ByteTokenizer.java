package ai.instructflow.trainer.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Every UTF-8 byte is a token (0..255), followed by BOS, EOS and PAD: no text is out of vocabulary. */
public final class ByteTokenizer implements Tokenizer {

    public static final int BOS = 256;
    public static final int EOS = 257;
    public static final int PAD = 258;

    @Override
    public int vocabSize() {
        return 259;
    }

    @Override
    public int bos() {
        return BOS;
    }

    @Override
    public int eos() {
        return EOS;
    }

    @Override
    public int pad() {
        return PAD;
    }

    @Override
    public int[] encode(String text) {
        return encodeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    public int[] encodeBytes(byte[] bytes) {
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = bytes[i] & 0xff;
        }
        return ids;
    }

    /** Byte-exact inverse of encode for arbitrary bytes, for callers that do not want UTF-8 decoding. */
    public byte[] decodeBytes(int[] ids, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            if (ids[i] < 256) {
                out.write(ids[i]);
            }
        }
        return out.toByteArray();
    }

    @Override
    public String decode(int[] ids, int from, int to) {
        return new String(decodeBytes(ids, from, to), StandardCharsets.UTF_8);
    }
}
