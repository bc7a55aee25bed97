package io.mlplatform.serving.validation;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One problem with a request.
 *
 * @param index the instance's position in {@code instances}, or null for a problem with the body
 * @param field the field concerned, or null when the problem is the whole instance or body
 * @param reason what is wrong, phrased to follow the field name ("is required")
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Violation(Integer index, String field, String reason) {}
