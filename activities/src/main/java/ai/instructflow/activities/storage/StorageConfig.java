package ai.instructflow.activities.storage;

/**
 * Where the platform's objects live: an S3-compatible endpoint (embedded s3proxy, MinIO or AWS),
 * its credentials, the one bucket the platform owns, and the signing region ({@code null} lets
 * the client ask the server).
 */
public record StorageConfig(String endpoint, String accessKey, String secretKey, String bucket, String region) {

    public static StorageConfig from(ai.instructflow.infra.InfraSettings infra) {
        return new StorageConfig(infra.s3Endpoint(), infra.s3AccessKey(), infra.s3SecretKey(), infra.bucket(), infra.region());
    }
}
