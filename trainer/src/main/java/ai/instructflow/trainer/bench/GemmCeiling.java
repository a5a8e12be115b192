package ai.instructflow.trainer.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.instructflow.trainer.model.GPTConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The fp32 GEMM rate an MFU is held to: the best of a square 1024^3 product and the model's own
 * products (QKV, MLP up and down, LM head), each warmed up and timed several times, measured before
 * the workloads and again after them. One cold 1024^3 timing on a machine shared with other work
 * came out at half the real rate and put MFU above 1.
 */
final class GemmCeiling {

    /** Rows of the model's products: a batch's tokens, capped where a GEMM's rate no longer grows with them. */
    private static final int MAX_ROWS = 1024;
    private static final int WARMUP = 2;
    private static final int TIMED = 5;

    private record Product(String name, long m, long k, long n) {
        double flops() {
            return 2.0 * m * k * n;
        }
    }

    private final List<Product> products;
    private final Device device;
    private double best;
    private String bestOf = "none";

    GemmCeiling(GPTConfig shape, int rows, Device device) {
        long m = Math.min(rows, MAX_ROWS);
        long d = shape.dModel();
        this.products = List.of(new Product("square", 1024, 1024, 1024), new Product("qkv", m, d, 3 * d),
                new Product("mlp_up", m, d, 4 * d), new Product("mlp_down", m, 4 * d, d),
                new Product("lm_head", m, d, shape.vocabSize()));
        this.device = device;
    }

    /** Times every product, prints a row for each, and keeps the best rate seen. */
    void measure(String when, Consumer<Map<String, Object>> print) {
        try (NDManager manager = NDManager.newBaseManager(device)) {
            for (Product p : products) {
                NDArray a = manager.randomNormal(new Shape(p.m(), p.k()));
                NDArray b = manager.randomNormal(new Shape(p.k(), p.n()));
                double fastest = Double.MAX_VALUE;
                for (int i = 0; i < WARMUP + TIMED; i++) {
                    long t0 = System.nanoTime();
                    try (NDArray c = a.matMul(b)) {
                        c.getFloat(0, 0);  // reading one element waits for a GPU to finish
                    }
                    if (i >= WARMUP) {
                        fastest = Math.min(fastest, (System.nanoTime() - t0) / 1e9);
                    }
                }
                double rate = p.flops() / fastest;
                if (rate > best) {
                    best = rate;
                    bestOf = p.name() + " " + p.m() + "x" + p.k() + "x" + p.n() + ", " + when;
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("workload", "gemm");
                row.put("when", when);
                row.put("product", p.name());
                row.put("m", p.m());
                row.put("k", p.k());
                row.put("n", p.n());
                row.put("gflops", rate / 1e9);
                print.accept(row);
            }
        }
    }

    double flopsPerSecond() {
        return best;
    }

    /** Which product, at which measurement, set the ceiling. */
    String bestOf() {
        return bestOf;
    }
}
