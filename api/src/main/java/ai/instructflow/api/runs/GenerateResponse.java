package ai.instructflow.api.runs;

import java.util.List;

public record GenerateResponse(String stage, List<String> completions) {}
