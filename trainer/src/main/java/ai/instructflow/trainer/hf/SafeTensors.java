package ai.instructflow.trainer.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.instructflow.trainer.model.OwnedArrays;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The safetensors format (huggingface/safetensors): an 8-byte little-endian header length, a JSON
 * header mapping each tensor name to its dtype, shape and [begin, end) byte offsets into the data
 * that follows, then the raw little-endian tensors. Reads F32, F16 and BF16 (widened to fp32, the
 * only precision the trainer computes in); writes F32.
 *
 * <p>Files are memory-mapped rather than read onto the heap, so a 124M-parameter checkpoint costs
 * its size once (in the tensors) instead of twice.
 */
public final class SafeTensors {

    /** Larger headers are refused: a real one is a few kB per hundred tensors. */
    private static final long MAX_HEADER = 100L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafeTensors() {}

    public enum DType {
        F32(4, DataType.FLOAT32), F16(2, DataType.FLOAT16), BF16(2, DataType.BFLOAT16);

        final int bytes;
        final DataType djl;

        DType(int bytes, DataType djl) {
            this.bytes = bytes;
            this.djl = djl;
        }
    }

    /** One tensor's header entry; offsets are relative to the start of the data section. */
    public record Entry(String name, DType dtype, long[] shape, long begin, long end) {
        public long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /** The header's entries in file order, checked against the file's size. */
    public static Map<String, Entry> header(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return parseHeader(file, ch);
        }
    }

    /**
     * Every tensor of the file as fp32 arrays under {@code manager}, keyed by name. Each array owns
     * its memory (see {@link OwnedArrays}), so nothing refers to the mapping once this returns.
     */
    public static Map<String, NDArray> read(Path file, NDManager manager) throws IOException {
        return read(file, manager, name -> true);
    }

    /** The tensors whose names {@code wanted} accepts; the others are never touched. */
    public static Map<String, NDArray> read(Path file, NDManager manager, Predicate<String> wanted) throws IOException {
        Map<String, NDArray> out = new LinkedHashMap<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Map<String, Entry> entries = parseHeader(file, ch);
            long dataStart = 8 + headerLength(file, ch);
            for (Entry e : entries.values()) {
                if (!wanted.test(e.name())) {
                    continue;
                }
                MappedByteBuffer bytes = ch.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin(), e.end() - e.begin());
                bytes.order(ByteOrder.LITTLE_ENDIAN);
                out.put(e.name(), OwnedArrays.fromBytes(manager, bytes, new Shape(e.shape()), e.dtype().djl));
            }
        }
        return out;
    }

    /** Writes F32 tensors in the given order, with {@code __metadata__} format "pt" as torch writers do. */
    public static void write(Path file, Map<String, NDArray> tensors) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        header.putObject("__metadata__").put("format", "pt");
        long offset = 0;
        for (Map.Entry<String, NDArray> t : tensors.entrySet()) {
            NDArray a = t.getValue();
            if (a.getDataType() != DataType.FLOAT32) {
                throw new IllegalArgumentException(t.getKey() + ": only float32 tensors are written, not " + a.getDataType());
            }
            long size = a.size() * 4;
            ObjectNode entry = header.putObject(t.getKey());
            entry.put("dtype", "F32");
            var shape = entry.putArray("shape");
            for (long d : a.getShape().getShape()) {
                shape.add(d);
            }
            entry.putArray("data_offsets").add(offset).add(offset + size);
            offset += size;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        // padded with spaces so the data starts 8-byte aligned, as the reference writer does
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(ch, head);
            for (NDArray a : tensors.values()) {
                writeFully(ch, a.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN));
            }
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buffer) throws IOException {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new IOException("safetensors writing assumes a little-endian machine");
        }
        while (buffer.hasRemaining()) {
            ch.write(buffer);
        }
    }

    private static long headerLength(Path file, FileChannel ch) throws IOException {
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        ch.read(len, 0);
        if (len.position() < 8) {
            throw new IOException(file + ": too short for a safetensors file");
        }
        long n = len.getLong(0);
        if (n <= 0 || n > MAX_HEADER || 8 + n > ch.size()) {
            throw new IOException(file + ": implausible safetensors header length " + n);
        }
        return n;
    }

    private static Map<String, Entry> parseHeader(Path file, FileChannel ch) throws IOException {
        long n = headerLength(file, ch);
        ByteBuffer raw = ByteBuffer.allocate((int) n);
        ch.read(raw, 8);
        JsonNode json = JSON.readTree(new String(raw.array(), StandardCharsets.UTF_8));
        long dataSize = ch.size() - 8 - n;
        Map<String, Entry> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals("__metadata__")) {
                continue;
            }
            out.put(f.getKey(), entry(file, f.getKey(), f.getValue(), dataSize));
        }
        return out;
    }

    private static Entry entry(Path file, String name, JsonNode node, long dataSize) throws IOException {
        String where = file.getFileName() + ": tensor " + name;
        DType dtype;
        try {
            dtype = DType.valueOf(node.path("dtype").asText());
        } catch (IllegalArgumentException e) {
            throw new IOException(where + " has dtype " + node.path("dtype") + "; only F32, F16 and BF16 are read");
        }
        JsonNode shapeNode = node.path("shape");
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
        }
        JsonNode offsets = node.path("data_offsets");
        if (offsets.size() != 2) {
            throw new IOException(where + " has no [begin, end] data_offsets");
        }
        Entry e = new Entry(name, dtype, shape, offsets.get(0).asLong(), offsets.get(1).asLong());
        if (e.begin() < 0 || e.end() > dataSize || e.end() - e.begin() != e.elements() * dtype.bytes) {
            throw new IOException(where + ": offsets [" + e.begin() + ", " + e.end() + ") do not hold "
                    + e.elements() + " " + dtype + " values inside " + dataSize + " data bytes");
        }
        return e;
    }
}
