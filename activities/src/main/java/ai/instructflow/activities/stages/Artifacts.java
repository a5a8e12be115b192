package ai.instructflow.activities.stages;

import ai.instructflow.activities.storage.ObjectStore;
import ai.instructflow.workflows.Artifact;
import ai.instructflow.workflows.Failures;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/** Stage outputs in object storage: written with their sha256, read back only if it still matches. */
public final class Artifacts {

    /** The largest artifact held in memory while it is verified; a larger one waits in a temporary file. */
    static final int IN_MEMORY = 32 << 20;

    private final ObjectStore store;

    public Artifacts(ObjectStore store) {
        this.store = store;
    }

    public Artifact save(String name, String key, long count, ObjectStore.Writer writer, String contentType) {
        ObjectStore.Stored stored = store.put(key, writer, contentType);
        return new Artifact(name, key, stored.sha256(), stored.size(), count);
    }

    /**
     * Reads an artifact, failing non-retryably when its bytes are not the ones its producer recorded. The
     * bytes are verified before {@code reader} sees any of them: a parser given bytes nobody recorded can be
     * made to allocate without bound (a length field, a line without end), and a stream copied out would
     * already be gone. They wait in memory up to {@link #IN_MEMORY} bytes, in a temporary file beyond.
     */
    public <T> T load(Artifact artifact, ObjectStore.Reader<T> reader) {
        try (Spool spool = store.read(artifact.key(), in -> Spool.of(in, artifact.size()))) {
            if (spool.tooLong() || !spool.sha256().equals(artifact.sha256())) {
                throw ApplicationFailure.newNonRetryableFailure("artifact " + artifact.key() + " is corrupt: "
                        + (spool.tooLong() ? "longer than the " + artifact.size() + " bytes recorded"
                        : "sha256 " + spool.sha256() + ", expected " + artifact.sha256()), Failures.INVALID_INPUT);
            }
            try (InputStream in = spool.open()) {
                return reader.read(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading artifact " + artifact.key(), e);
        }
    }

    /** Whether the artifact is present with the bytes its producer recorded, read through once to know. */
    public boolean intact(Artifact artifact) {
        MessageDigest digest = ObjectStore.sha256Digest();
        try {
            store.read(artifact.key(), in -> new DigestInputStream(in, digest).transferTo(OutputStream.nullOutputStream()));
        } catch (ObjectStore.NotFound e) {
            return false;
        }
        return HexFormat.of().formatHex(digest.digest()).equals(artifact.sha256());
    }

    /** True when every artifact is present with the recorded size and sha256: what makes a stage reusable. */
    public boolean verify(List<Artifact> artifacts) {
        for (Artifact a : artifacts) {
            var stat = store.stat(a.key());
            if (stat.isEmpty() || stat.get().size() != a.size() || !a.sha256().equals(store.sha256(a.key()))) {
                return false;
            }
        }
        return !artifacts.isEmpty();
    }
}
