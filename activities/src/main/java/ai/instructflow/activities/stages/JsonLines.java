package ai.instructflow.activities.stages;

import ai.instructflow.activities.registry.RunStore;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** JSON lines, the format of every dataset and metrics file a stage writes: one compact object per line. */
public final class JsonLines {

    private static final ObjectWriter LINE = RunStore.JSON.writer().without(SerializationFeature.INDENT_OUTPUT);
    private static final byte[] BYTE_ORDER_MARK = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    public interface Line {
        void accept(int number, String text) throws IOException;
    }

    interface NotUtf8 {
        void at(int number) throws IOException;
    }

    private JsonLines() {}

    public static void write(OutputStream out, Object row) throws IOException {
        out.write(LINE.writeValueAsBytes(row));
        out.write('\n');
    }

    /** As {@link #forEach(InputStream, Line, NotUtf8)}, failing the whole read at the first line that is not UTF-8. */
    public static void forEach(InputStream in, Line line) throws IOException {
        forEach(in, line, number -> {
            throw new IOException("line " + number + ": not valid UTF-8");
        });
    }

    /**
     * Hands over every non-blank line with its 1-based number, so errors can name the line. Lines
     * are cut at '\n' before decoding, which is safe because that byte never occurs inside a UTF-8
     * sequence; a line whose bytes are not UTF-8 goes to {@code notUtf8} rather than being read with
     * replacement characters, which would import text nobody wrote.
     */
    static void forEach(InputStream in, Line line, NotUtf8 notUtf8) throws IOException {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        int number = 0;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                    current.write(buffer, start, i - start);
                    decode(current, ++number, utf8, line, notUtf8);
                    current.reset();
                    start = i + 1;
                }
            }
            current.write(buffer, start, n - start);
        }
        if (current.size() > 0) {
            decode(current, ++number, utf8, line, notUtf8);
        }
    }

    private static void decode(ByteArrayOutputStream bytes, int number, CharsetDecoder utf8, Line line, NotUtf8 notUtf8)
            throws IOException {
        byte[] b = bytes.toByteArray();
        // editors on Windows start UTF-8 files with a byte order mark; it is not part of the first row
        int from = number == 1 && b.length >= 3 && Arrays.equals(b, 0, 3, BYTE_ORDER_MARK, 0, 3) ? 3 : 0;
        String text;
        try {
            text = utf8.decode(ByteBuffer.wrap(b, from, b.length - from)).toString();
        } catch (CharacterCodingException e) {
            notUtf8.at(number);
            return;
        }
        if (!text.isBlank()) {
            line.accept(number, text);
        }
    }
}
