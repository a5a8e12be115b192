package ai.instructflow.api.datasets;

import ai.instructflow.activities.registry.RunStore;
import ai.instructflow.activities.registry.StageManifest;
import ai.instructflow.activities.stages.Artifacts;
import ai.instructflow.activities.stages.DatasetException;
import ai.instructflow.activities.stages.Datasets;
import ai.instructflow.activities.storage.ObjectStore;
import ai.instructflow.api.error.ValidationException;
import ai.instructflow.api.platform.Platform;
import ai.instructflow.trainer.tokenizer.ByteTokenizer;
import ai.instructflow.trainer.tokenizer.PromptFormat;
import ai.instructflow.workflows.Artifact;
import ai.instructflow.workflows.FieldError;
import ai.instructflow.workflows.RunStatus;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Datasets in and out of the platform: uploads checked whole and stored content-addressed, where a
 * run spec can name them; a run's collected datasets streamed back as JSON lines.
 */
@ApplicationScoped
public class DatasetService {

    static final String JSONL = "application/x-ndjson";
    // the whole body, as the API's other errors name it
    private static final String WHOLE_BODY = "$";
    // every platform model reads byte tokens; checking a file needs the format only to tokenize it
    private static final PromptFormat FORMAT = new PromptFormat(new ByteTokenizer());

    @Inject
    Platform platform;

    @ConfigProperty(name = "instructflow.datasets.max-bytes")
    MemorySize maxBytes;

    /** A dataset download: what to call the file and how to write it. */
    public record Download(String filename, StreamingOutput body) {}

    /**
     * Checks the whole file before anything is stored, then keeps it under its sha256, so the same
     * file uploaded again is the same key and nothing is written twice.
     */
    public StoredDataset upload(String kind, InputStream body) throws IOException {
        DatasetKind k = DatasetKind.of(kind).orElseThrow(() -> new ValidationException(List.of(badKind(kind))));
        Path spool = Files.createTempFile("dataset-", ".jsonl");
        try {
            MessageDigest digest = ObjectStore.sha256Digest();
            long bytes;
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(spool), digest)) {
                bytes = copyAtMost(body, out, maxBytes.asLongValue());
            }
            DatasetKind.Contents contents;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(spool))) {
                contents = k.check(in, FORMAT);
            } catch (DatasetException e) {
                throw new ValidationException(fields(e));
            }
            String sha256 = HexFormat.of().formatHex(digest.digest());
            String key = "datasets/" + k.id + "/" + sha256 + ".jsonl";
            ObjectStore objects = platform.runs().objects();
            if (!objects.exists(key)) {
                objects.put(key, out -> Files.copy(spool, out), JSONL);
            }
            return new StoredDataset(key, k.id, contents.count(), sha256, bytes, contents.train(), contents.heldOut(),
                    contents.duplicates());
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    /**
     * A run's collected dataset of {@code kind}: the collect stage's train part, held-out part or
     * both, as stored or converted to {@code format}. 404 until that stage has succeeded.
     */
    public Download export(String runId, String kind, String format, String split) {
        List<FieldError> errors = new ArrayList<>();
        DatasetKind k = DatasetKind.of(kind).filter(DatasetKind::collected).orElse(null);
        if (k == null) {
            errors.add(new FieldError("kind", "a run collects demonstrations or comparisons, not '" + kind + "'"));
        }
        String f = format != null ? format : k != null ? k.formats.get(0) : null;
        if (k != null && !k.formats.contains(f)) {
            errors.add(new FieldError("format", "for " + k.id + " must be one of " + String.join(", ", k.formats)
                    + ", got '" + format + "'"));
        }
        if (!DatasetKind.SPLITS.contains(split)) {
            errors.add(new FieldError("split", "must be one of " + String.join(", ", DatasetKind.SPLITS)
                    + ", got '" + split + "'"));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        RunStore runs = platform.runs();
        if (runs.run(runId).isEmpty()) {
            throw new NotFoundException("no run '" + runId + "'");
        }
        StageManifest stage = runs.stage(runId, k.stage).filter(m -> RunStatus.SUCCEEDED.equals(m.status))
                .orElseThrow(() -> new NotFoundException("run " + runId + " has no " + k.id + " yet: stage "
                        + k.stage.id() + " has not succeeded"));
        List<Artifact> parts = new ArrayList<>();
        for (String name : k.artifacts(split)) {
            parts.add(stage.artifacts.stream().filter(a -> a.name().equals(name)).findFirst()
                    .orElseThrow(() -> new NotFoundException("stage " + k.stage.id() + " of run " + runId
                            + " has no '" + name + "' output")));
        }
        boolean asStored = f.equals(k.formats.get(0));
        Artifacts artifacts = new Artifacts(runs.objects());
        StreamingOutput body = out -> {
            for (Artifact part : parts) {
                if (asStored) {
                    artifacts.load(part, in -> in.transferTo(out));
                } else {
                    Datasets.writePairs(artifacts.load(part, in -> Datasets.readComparisons(in, FORMAT, Datasets.Origin.STAGE)), FORMAT, out);
                }
            }
        };
        return new Download(runId + "-" + (asStored ? k.id : k.id + "-" + f) + "-" + split + ".jsonl", body);
    }

    private static FieldError badKind(String kind) {
        return new FieldError("kind", "must be demonstrations, comparisons or prompts, got '" + kind + "'");
    }

    /** One field per listed bad line, and the whole body named where the file itself is at fault or lines went unlisted. */
    private static List<FieldError> fields(DatasetException e) {
        List<FieldError> out = new ArrayList<>();
        e.lines().forEach(l -> out.add(new FieldError("line " + l.line(), l.reason())));
        if (e.lines().isEmpty()) {
            out.add(new FieldError(WHOLE_BODY, e.getMessage()));
        } else if (e.badLines() > e.lines().size()) {
            out.add(new FieldError(WHOLE_BODY, e.badLines() + " bad lines in all; the first " + e.lines().size() + " are listed"));
        }
        return out;
    }

    /** Copies the body, refusing it with 413 once it passes {@code limit}, even when it came without a length. */
    private static long copyAtMost(InputStream in, OutputStream out, long limit) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            total += n;
            if (total > limit) {
                throw new WebApplicationException("a dataset may be at most " + limit + " bytes (instructflow.datasets.max-bytes)",
                        Response.Status.REQUEST_ENTITY_TOO_LARGE);
            }
            out.write(buffer, 0, n);
        }
        return total;
    }
}
