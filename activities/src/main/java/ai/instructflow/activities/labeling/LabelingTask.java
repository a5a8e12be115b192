package ai.instructflow.activities.labeling;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One task of a labeling queue: a prompt to answer, or a prompt and responses to rank or judge
 * (then {@code responses} is set). {@code split} says whether its labels train or measure.
 * {@code authors} names the policy behind each response where the labeler must not see it (a
 * verdict task's left and right); it stays in storage and never reaches a page.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LabelingTask(int id, String split, String prompt, List<String> responses, List<String> authors) {

    public static final String TRAIN = "train";
    public static final String HELD_OUT = "held_out";

    public LabelingTask(int id, String split, String prompt, List<String> responses) {
        this(id, split, prompt, responses, null);
    }

    public LabelingTask numbered(int number) {
        return new LabelingTask(number, split, prompt, responses, authors);
    }
}
