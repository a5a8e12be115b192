package ai.instructflow.activities.labeling;

import ai.instructflow.workflows.FieldError;
import java.util.List;

/** Why a labeling call was refused, in terms a client can act on; the API maps each reason to a status. */
public final class LabelingException extends RuntimeException {

    public enum Reason {
        /** The submission or request says something invalid (400). */
        INVALID,
        /** The run has no such queue open, or not yet (404). */
        NO_QUEUE,
        /** The queue has ended: quota met, deadline passed, closed or cancelled (409). */
        CLOSED,
        /** The labeler does not hold the task (409): lease it again. */
        NOT_LEASED,
        /** The labeler may not take this queue's tasks at all (403): not of its group, or a training labeler judging. */
        NOT_ELIGIBLE
    }

    private final Reason reason;
    private final transient List<FieldError> fields;

    public LabelingException(Reason reason, String message, List<FieldError> fields) {
        super(message);
        this.reason = reason;
        this.fields = List.copyOf(fields);
    }

    public LabelingException(Reason reason, String message) {
        this(reason, message, List.of());
    }

    public Reason reason() {
        return reason;
    }

    public List<FieldError> fields() {
        return fields;
    }
}
