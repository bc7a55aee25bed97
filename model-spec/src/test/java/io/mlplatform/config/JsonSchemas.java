package io.mlplatform.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Keeps the JSON Schemas of conf/schemas honest in tests: the keys a schema describes, to compare
 * with the keys a loader accepts, and validation of the shipped YAML against a schema. Shared
 * through model-spec's test-jar (type test-jar, scope test) by every module with a config schema.
 */
public final class JsonSchemas {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private JsonSchemas() {}

  /**
   * The project's root (the directory holding conf/schemas), found upwards from the working
   * directory.
   */
  public static Path root() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("conf/schemas"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no conf/schemas above " + Path.of("").toAbsolutePath());
  }

  public static JsonNode read(Path file) {
    try {
      return (file.toString().endsWith(".json") ? JSON : YAML).readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Every object the schema describes with {@code properties}, by path ("" for the root, "a.b"
   * below; the items of an array take the array's path), to the names of its properties.
   * Conditional parts ({@code allOf}, {@code if/then}) are left out: they refine keys, they add
   * none.
   */
  public static Map<String, Set<String>> keys(JsonNode schema) {
    Map<String, Set<String>> keys = new TreeMap<>();
    walk(schema, "", keys);
    return keys;
  }

  private static void walk(JsonNode node, String path, Map<String, Set<String>> keys) {
    if (node.has("items")) {
      walk(node.get("items"), path, keys);
    }
    JsonNode properties = node.get("properties");
    if (properties == null) {
      return;
    }
    Set<String> names = keys.computeIfAbsent(path, p -> new TreeSet<>());
    for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> property = it.next();
      names.add(property.getKey());
      walk(
          property.getValue(),
          path.isEmpty() ? property.getKey() : path + "." + property.getKey(),
          keys);
    }
  }

  /**
   * @return one line per violation of {@code schemaFile} by the YAML or JSON {@code file}; empty
   *     when valid
   */
  public static List<String> validate(Path schemaFile, Path file) {
    return validate(schemaFile, read(file));
  }

  public static List<String> validate(Path schemaFile, JsonNode instance) {
    String text;
    try {
      text = Files.readString(schemaFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Schema schema =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(text, InputFormat.JSON);
    return schema.validate(instance).stream()
        .map(e -> e.getInstanceLocation() + ": " + e.getMessage())
        .toList();
  }

  /**
   * The schema a YAML file names on its first line for editors ({@code # yaml-language-server:
   * $schema=...}).
   */
  public static Path declaredSchema(Path yamlFile) {
    String first;
    try {
      first = Files.readAllLines(yamlFile).get(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String prefix = "# yaml-language-server: $schema=";
    if (!first.startsWith(prefix)) {
      throw new AssertionError(yamlFile + " does not start with '" + prefix + "...'");
    }
    return yamlFile.getParent().resolve(first.substring(prefix.length()).trim()).normalize();
  }
}
