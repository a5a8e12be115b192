package ai.instructflow.trainer.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.instructflow.trainer.model.OwnedArrays;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SafeTensorsTest {

    static final Path DIR = Path.of("target/safetensors-test");

    static float[] random(int n, long seed) {
        Random rng = new Random(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) rng.nextGaussian();
        }
        return out;
    }

    static Path write(String name, Map<String, float[]> values, Map<String, Shape> shapes) throws IOException {
        Files.createDirectories(DIR);
        Path file = DIR.resolve(name);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            values.forEach((k, v) -> tensors.put(k, m.create(v, shapes.get(k))));
            SafeTensors.write(file, tensors);
        }
        return file;
    }

    @Test
    void writtenTensorsReadBackWithTheirNamesShapesAndValues() throws Exception {
        float[] a = random(6, 1);
        float[] b = random(5, 2);
        Path file = write("roundtrip.safetensors", Map.of("a", a, "b.c", b), Map.of("a", new Shape(2, 3), "b.c", new Shape(5)));
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file)) {
            ch.read(len, 0);
        }
        assertEquals(0, len.getLong(0) % 8, "the data section starts 8-byte aligned");
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Map<String, NDArray> read = SafeTensors.read(file, m);
            assertArrayEquals(new long[] {2, 3}, read.get("a").getShape().getShape());
            assertArrayEquals(a, read.get("a").toFloatArray(), 0f);
            assertArrayEquals(b, read.get("b.c").toFloatArray(), 0f);
            assertEquals(List.of("b.c"), new ArrayList<>(SafeTensors.read(file, m, n -> n.startsWith("b")).keySet()));
        }
    }

    /**
     * The loaded weights must not borrow the file's mapping (or any Java buffer): once read, the
     * file is overwritten in place and deleted, the GC runs with direct memory churning, and every
     * value must still be what was written. A tensor left pointing into the mapping sees the
     * overwrite at once; one pointing into a freed buffer sees the churn.
     */
    @Test
    void loadedTensorsOwnTheirMemoryThroughOverwritesAndGarbageCollection() throws Exception {
        int n = 1 << 20;
        float[] values = random(n, 3);
        Path file = write("owned.safetensors", Map.of("w", values), Map.of("w", new Shape(1024, 1024)));
        ByteBuffer heap = ByteBuffer.allocate(4 * 4096).order(ByteOrder.LITTLE_ENDIAN);
        heap.asFloatBuffer().put(values, 0, 4096);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray fromFile = SafeTensors.read(file, m).get("w");
            NDArray fromHeap = OwnedArrays.fromBytes(m, heap, new Shape(4096), DataType.FLOAT32);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ByteBuffer zeros = ByteBuffer.allocate((int) ch.size());
                while (zeros.hasRemaining()) {
                    ch.write(zeros, zeros.position());
                }
            }
            Files.delete(file);
            java.util.Arrays.fill(heap.array(), (byte) 0x7f);
            heap = null;
            List<ByteBuffer> churn = new ArrayList<>();
            for (int round = 0; round < 20; round++) {
                for (int i = 0; i < 16; i++) {
                    ByteBuffer garbage = ByteBuffer.allocateDirect(1 << 18);
                    while (garbage.hasRemaining()) {
                        garbage.put((byte) 0x55);
                    }
                    churn.add(garbage);
                }
                churn.clear();
                System.gc();
            }
            assertArrayEquals(values, fromFile.toFloatArray(), 0f, "weights read from the file changed");
            assertArrayEquals(java.util.Arrays.copyOf(values, 4096), fromHeap.toFloatArray(), 0f,
                    "an array made from a heap buffer changed");
        }
    }

    @Test
    void aHeaderWhoseOffsetsDoNotFitTheDataIsRefusedNamingTheTensor() throws Exception {
        Files.createDirectories(DIR);
        Path file = DIR.resolve("bad.safetensors");
        byte[] json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}".getBytes();
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json).putLong(0);
        Files.write(file, b.array());
        IOException e = assertThrows(IOException.class, () -> SafeTensors.header(file));
        assertTrue(e.getMessage().contains("tensor w"), e.getMessage());
        byte[] int8 = "{\"q\":{\"dtype\":\"I8\",\"shape\":[8],\"data_offsets\":[0,8]}}".getBytes();
        b = ByteBuffer.allocate(8 + int8.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(int8.length).put(int8).putLong(0);
        Files.write(file, b.array());
        e = assertThrows(IOException.class, () -> SafeTensors.header(file));
        assertTrue(e.getMessage().contains("tensor q") && e.getMessage().contains("I8"), e.getMessage());
    }
}
