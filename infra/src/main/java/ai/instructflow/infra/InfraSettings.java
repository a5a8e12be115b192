package ai.instructflow.infra;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the platform's two real parts are: a Temporal service and an S3-compatible store. The value
 * {@value #EMBEDDED} for either starts it in-process (Temporal's in-memory service on a port, an S3
 * server on a folder under {@code dataDir}); anything else is an external endpoint. Nothing else in
 * the code knows which one it talks to.
 *
 * <p>Environment variables, all optional (defaults in brackets):
 * <pre>
 * INSTRUCTFLOW_TEMPORAL_TARGET     host:port of the Temporal frontend      [embedded]
 * INSTRUCTFLOW_TEMPORAL_NAMESPACE                                          [default]
 * INSTRUCTFLOW_TEMPORAL_TLS_CERT   client certificate (PEM) for mTLS       [none: plain gRPC]
 * INSTRUCTFLOW_TEMPORAL_TLS_KEY    its PKCS#8 private key (PEM)
 * INSTRUCTFLOW_S3_ENDPOINT         e.g. https://minio.example:9000         [embedded]
 * INSTRUCTFLOW_S3_ACCESS_KEY / INSTRUCTFLOW_S3_SECRET_KEY                  [instructflow / instructflow-secret]
 * INSTRUCTFLOW_S3_BUCKET                                                   [instructflow]
 * INSTRUCTFLOW_S3_REGION                                                   [us-east-1]
 * INSTRUCTFLOW_DATA_DIR            the embedded store's folder and tokens  [~/.instructflow]
 * </pre>
 */
public record InfraSettings(String temporalTarget, String namespace, String tlsCert, String tlsKey,
                            String s3Endpoint, String s3AccessKey, String s3SecretKey, String bucket, String region,
                            Path dataDir) {

    public static final String EMBEDDED = "embedded";

    public static InfraSettings fromEnvironment() {
        return from(System.getenv());
    }

    public static InfraSettings from(Map<String, String> env) {
        return new InfraSettings(
                env.getOrDefault("INSTRUCTFLOW_TEMPORAL_TARGET", EMBEDDED),
                env.getOrDefault("INSTRUCTFLOW_TEMPORAL_NAMESPACE", "default"),
                env.get("INSTRUCTFLOW_TEMPORAL_TLS_CERT"),
                env.get("INSTRUCTFLOW_TEMPORAL_TLS_KEY"),
                env.getOrDefault("INSTRUCTFLOW_S3_ENDPOINT", EMBEDDED),
                env.getOrDefault("INSTRUCTFLOW_S3_ACCESS_KEY", "instructflow"),
                env.getOrDefault("INSTRUCTFLOW_S3_SECRET_KEY", "instructflow-secret"),
                env.getOrDefault("INSTRUCTFLOW_S3_BUCKET", "instructflow"),
                env.getOrDefault("INSTRUCTFLOW_S3_REGION", "us-east-1"),
                Path.of(env.getOrDefault("INSTRUCTFLOW_DATA_DIR", System.getProperty("user.home") + "/.instructflow")));
    }

    public boolean embeddedTemporal() {
        return EMBEDDED.equals(temporalTarget);
    }

    public boolean embeddedS3() {
        return EMBEDDED.equals(s3Endpoint);
    }

    /** The same settings pointed at running endpoints, as {@link Infrastructure} resolves embedded ones. */
    public InfraSettings at(String temporal, String s3) {
        return new InfraSettings(temporal, namespace, tlsCert, tlsKey, s3, s3AccessKey, s3SecretKey, bucket, region, dataDir);
    }
}
