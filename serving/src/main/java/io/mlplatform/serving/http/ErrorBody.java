package io.mlplatform.serving.http;

import io.mlplatform.serving.validation.Violation;
import java.util.List;

/** The one shape of every error response. */
public record ErrorBody(String error, String message, List<Violation> details, String requestId) {}
