package ai.instructflow.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * values.schema.json refuses, at install (Helm checks it in template, install and upgrade alike), what the chart
 * cannot use, saying where. Each case is a values file over the defaults, as a user writes one.
 */
class SchemaTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "workers: [{name: cpu, replicas: -1}]                          | '/workers/0/replicas': minimum",
            "api: {replicas: -1}                                           | '/api/replicas': minimum",
            "workers: [{name: gpu, device: tpu}]                           | '/workers/0/device'",
            "workers: [{name: gpu, device: GPU}]                           | '/workers/0/device'",
            "workers: [{name: cpu, queues: [ml]}]                          | '/workers/0/queues/0'",
            "workers: [{name: cpu, queues: []}]                            | '/workers/0/queues'",
            "workers: [{name: gpu, device: gpu, gpus: 0}]                  | '/workers/0/gpus': minimum",
            "workers: [{name: cpu}, {replicas: 1}]                         | missing property 'name'",
            "workers: [{name: Big_Pool}]                                   | '/workers/0/name'",
            "workers: [{name: cpu, replicaz: 2}]                           | 'replicaz' not allowed",
            "workers: [{name: cpu, autoscaling: {minReplicas: -1}}]        | '/workers/0/autoscaling/minReplicas'",
            "workerDefaults: {device: cuda}                                | '/workerDefaults/device'",
            "temporal: {address: temporal}                                 | '/temporal/address'",
            "temporal: {tls: {enabled: true}}                              | secretName",
            "s3: {endpoint: 'minio:9000'}                                  | '/s3/endpoint'",
            "s3: {bucket: My_Bucket}                                       | '/s3/bucket'",
            "podSecurity: {runAsUser: 0}                                   | '/podSecurity/runAsUser': minimum",
            "image: {pullPolicy: Sometimes}                                | '/image/pullPolicy'",
            "monitoring: {intervl: 15s}                                    | 'intervl' not allowed",
            "tolerations: []                                               | 'tolerations' not allowed",
    })
    void refuses(String values, String says) {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> Rendered.with(values));
        assertTrue(refused.getMessage().contains("values don't meet the specifications of the schema"), refused.getMessage());
        assertTrue(refused.getMessage().contains(says), "the refusal says " + says + ": " + refused.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "workers: [{name: cpu}, {name: gpu, device: gpu1, queues: [gpu]}]",
            "workers: [{name: cpu, queues: [cpu, gpu]}]",
            "workers: [{name: cpu}, {name: eval, replicas: 3}]",
            "workers: []",
            "api: {replicas: 0}",
    })
    void accepts(String values) {
        Rendered.with(values);
    }

    @Test
    void aPoolGivenOnlyANameGetsEveryDefault() {
        Rendered chart = Rendered.with("workers: [{name: cpu}, {name: eval}]");
        Deployment eval = chart.worker("eval");
        assertEquals(1, eval.getSpec().getReplicas());
        assertEquals("cpu", chart.environment(eval).get("INSTRUCTFLOW_WORKER_QUEUES"));
        assertEquals(120L, eval.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds());
    }
}
