package io.mlplatform.serving.http;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The JSON dialect of the API. */
final class Json {

  private Json() {}

  static ObjectMapper newMapper() {
    return JsonMapper.builder()
        // {"a": 1, "a": 2} is ambiguous: which value would the model see? Refuse it.
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        // '{"instances": [...]} garbage' is not one JSON document.
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();
  }
}
