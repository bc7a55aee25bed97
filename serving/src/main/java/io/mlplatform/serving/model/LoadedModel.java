package io.mlplatform.serving.model;

import io.mlplatform.serving.validation.InputSchema;
import io.mlplatform.store.Manifest;

/**
 * A version ready to answer predict requests.
 *
 * @param manifest what the training job recorded for this version
 * @param inputs the manifest's inputs prepared for request validation
 * @param scorer the bundle, loaded
 */
public record LoadedModel(Manifest manifest, InputSchema inputs, ScoringModel scorer) {}
