package ai.instructflow.trainer.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.instructflow.trainer.model.GPT;
import ai.instructflow.trainer.model.GPTConfig;
import ai.instructflow.trainer.optim.AdamW;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a training loop needs to continue where it stopped: weights of each model it trains or
 * reads, optimizer moments, the step, and small loop state (a KL coefficient, say) as JSON.
 *
 * <p>Random state: every loop derives its randomness (batch order, dropout masks, sampling) from
 * (seed, step), so the step in here is the whole RNG state and a resumed run repeats the
 * uninterrupted one exactly.
 *
 * <p>Format, streamed so it can go straight to object storage: "IFCK", version, JSON metadata, then
 * named float32 tensors (name, rank, dims, little-endian data).
 */
public final class Checkpoint {

    private static final int MAGIC = 0x4946434b;
    private static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Object> meta = new LinkedHashMap<>();
    private final Map<String, long[]> shapes = new LinkedHashMap<>();
    private final Map<String, float[]> data = new LinkedHashMap<>();

    public Checkpoint put(String key, Object value) {
        meta.put(key, value);
        return this;
    }

    public boolean has(String key) {
        return meta.containsKey(key);
    }

    /** A list of numbers as JSON, NaN as null (JSON has no NaN). */
    public Checkpoint putDoubles(String key, double[] values) {
        List<Double> list = new ArrayList<>(values.length);
        for (double v : values) {
            list.add(Double.isNaN(v) ? null : v);
        }
        return put(key, list);
    }

    public double[] getDoubles(String key) {
        return ((List<?>) require(key)).stream().mapToDouble(v -> v == null ? Double.NaN : ((Number) v).doubleValue())
                .toArray();
    }

    public long getLong(String key) {
        return ((Number) require(key)).longValue();
    }

    public double getDouble(String key) {
        return ((Number) require(key)).doubleValue();
    }

    public String getString(String key) {
        return (String) require(key);
    }

    private Object require(String key) {
        Object v = meta.get(key);
        if (v == null) {
            throw new IllegalArgumentException("checkpoint has no '" + key + "'");
        }
        return v;
    }

    /** Stores a model's config and weights under a prefix such as "policy/". */
    public Checkpoint putModel(String prefix, GPT model) {
        meta.put(prefix + "config", JSON.convertValue(model.config(), Map.class));
        model.parameters().forEach((name, array) -> putTensor(prefix + name, array));
        return this;
    }

    public GPT model(String prefix, Device device) {
        GPTConfig config = JSON.convertValue(require(prefix + "config"), GPTConfig.class);
        GPT model = GPT.empty(config, device);
        loadModel(prefix, model);
        return model;
    }

    /** Replaces the weights of an existing model with the stored ones. */
    public void loadModel(String prefix, GPT model) {
        data.forEach((name, values) -> {
            if (name.startsWith(prefix) && !name.startsWith(prefix + "adam/")) {
                String local = name.substring(prefix.length());
                model.put(local, model.manager().create(values, new Shape(shapes.get(name))));
            }
        });
    }

    public Checkpoint putOptimizer(String prefix, AdamW optimizer) {
        meta.put(prefix + "adam/step", optimizer.step());
        optimizer.state().forEach((name, array) -> putTensor(prefix + "adam/" + name, array));
        return this;
    }

    public void restoreOptimizer(String prefix, AdamW optimizer) {
        Map<String, float[]> state = new LinkedHashMap<>();
        String p = prefix + "adam/";
        data.forEach((name, values) -> {
            if (name.startsWith(p)) {
                state.put(name.substring(p.length()), values);
            }
        });
        optimizer.restore(state, getLong(p + "step"));
    }

    private void putTensor(String name, NDArray array) {
        shapes.put(name, array.getShape().getShape());
        data.put(name, array.toFloatArray());
    }

    public void write(OutputStream stream) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream, 1 << 16));
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        byte[] json = JSON.writeValueAsBytes(meta);
        out.writeInt(json.length);
        out.write(json);
        out.writeInt(data.size());
        for (Map.Entry<String, float[]> e : data.entrySet()) {
            out.writeUTF(e.getKey());
            long[] shape = shapes.get(e.getKey());
            out.writeInt(shape.length);
            for (long dim : shape) {
                out.writeLong(dim);
            }
            ByteBuffer bytes = ByteBuffer.allocate(e.getValue().length * 4).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(e.getValue());
            out.write(bytes.array());
        }
        out.flush();
    }

    @SuppressWarnings("unchecked")
    public static Checkpoint read(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(stream, 1 << 16));
        if (in.readInt() != MAGIC) {
            throw new IOException("not an InstructFlow checkpoint");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException("unsupported checkpoint version " + version);
        }
        Checkpoint c = new Checkpoint();
        c.meta.putAll(JSON.readValue(in.readNBytes(in.readInt()), Map.class));
        int tensors = in.readInt();
        for (int t = 0; t < tensors; t++) {
            String name = in.readUTF();
            long[] shape = new long[in.readInt()];
            long n = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = in.readLong();
                n *= shape[i];
            }
            float[] values = new float[Math.toIntExact(n)];
            ByteBuffer.wrap(in.readNBytes(values.length * 4)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            c.shapes.put(name, shape);
            c.data.put(name, values);
        }
        return c;
    }
}
