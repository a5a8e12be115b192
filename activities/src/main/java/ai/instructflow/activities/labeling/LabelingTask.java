package ai.instructflow.activities.labeling;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One task of a labeling queue: a prompt to answer, or a prompt and K responses to rank (then
 * {@code responses} is set). {@code split} says whether its labels train or measure.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LabelingTask(int id, String split, String prompt, List<String> responses) {

    public static final String TRAIN = "train";
    public static final String HELD_OUT = "held_out";
}
