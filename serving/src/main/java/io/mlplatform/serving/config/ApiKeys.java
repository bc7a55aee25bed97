package io.mlplatform.serving.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlplatform.serving.auth.ApiKey;
import io.mlplatform.serving.auth.Scope;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code apiKeys}: in the file a list of {@code {name, key, scopes}}, in the environment
 * ({@code MLPLATFORM_API_KEYS}) or as one string {@code name:scope+scope:secret,name:scope:secret}.
 * Error messages name the key, never its secret: fields written in the wrong order put the secret
 * where a name or a scope belongs, so a name or scope is echoed only when it is too short to be a
 * secret (secrets have at least 16 characters) and looks like one.
 */
final class ApiKeys {

  private static final Pattern SCOPE_LIKE = Pattern.compile("[A-Za-z]{1,15}");

  private ApiKeys() {}

  /**
   * " (name)" when the name can be shown, else "": a value of 16 characters or more may be a
   * secret.
   */
  static String shown(String name) {
    return name.length() < 16 && ApiKey.NAME.matcher(name).matches() ? " (" + name + ")" : "";
  }

  static List<ApiKey> parse(ConfigValues.Setting setting, List<String> errors) {
    List<ApiKey> keys = new ArrayList<>();
    if (setting == null) {
      return keys;
    }
    JsonNode value = setting.value();
    String where = " (from " + setting.source() + ")";
    if (value.isTextual()) {
      String text = value.asText().trim();
      if (text.isEmpty()) {
        return keys;
      }
      String[] entries = text.split(",");
      for (int i = 0; i < entries.length; i++) {
        String[] parts = entries[i].trim().split(":", -1);
        if (parts.length != 3) {
          errors.add(ConfigKeys.API_KEYS + "[" + i + "]: must be name:scope+scope:secret" + where);
          continue;
        }
        add(
            keys,
            i,
            parts[0].trim(),
            List.of(parts[1].split("\\+")),
            parts[2].trim(),
            where,
            errors);
      }
    } else if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        JsonNode entry = value.get(i);
        if (!entry.isObject()
            || !entry.path("name").isTextual()
            || !entry.path("key").isTextual()
            || !entry.path("scopes").isArray()) {
          errors.add(
              ConfigKeys.API_KEYS
                  + "["
                  + i
                  + "]: must be {name: ..., key: ..., scopes: [...]}"
                  + where);
          continue;
        }
        List<String> scopes = new ArrayList<>();
        entry.get("scopes").forEach(s -> scopes.add(s.asText()));
        add(
            keys,
            i,
            entry.get("name").asText().trim(),
            scopes,
            entry.get("key").asText().trim(),
            where,
            errors);
      }
    } else {
      errors.add(
          ConfigKeys.API_KEYS + ": must be a list of keys or a name:scope:secret string" + where);
    }
    return keys;
  }

  private static void add(
      List<ApiKey> keys,
      int index,
      String name,
      List<String> scopeIds,
      String secret,
      String where,
      List<String> errors) {
    String at = ConfigKeys.API_KEYS + "[" + index + "]";
    String named = at + shown(name);
    int before = errors.size();
    if (!ApiKey.NAME.matcher(name).matches()) {
      errors.add(at + ": name must be 1-64 letters, digits, '_', '.' or '-'" + where);
    }
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    for (String id : scopeIds) {
      Scope scope = Scope.parse(id);
      if (scope == null) {
        String shownScope = SCOPE_LIKE.matcher(id.trim()).matches() ? " '" + id.trim() + "'" : "";
        errors.add(
            named + ": unknown scope" + shownScope + "; known: predict, metrics, admin" + where);
      } else {
        scopes.add(scope);
      }
    }
    if (scopeIds.isEmpty()) {
      errors.add(named + ": needs at least one scope" + where);
    }
    if (!ApiKey.SECRET.matcher(secret).matches()) {
      errors.add(
          named
              + ": the secret must be 16-512 characters of A-Z a-z 0-9 . _ ~ + / = -"
              + " (try: openssl rand -hex 24)"
              + where);
    }
    if (errors.size() == before) {
      keys.add(new ApiKey(name, scopes, secret));
    }
  }
}
