package ai.instructflow.api.error;

import ai.instructflow.workflows.StrictJson;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/** Request bodies are bound as run specs are ({@link StrictJson}): no number read from a string, no fraction as an integer. */
@Singleton
public class StrictJsonBinding implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        StrictJson.apply(mapper);
    }
}
