package dev.tidewater.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The API reference ({@code docs/api-reference.md}) generated from the committed CRDs: one table
 * per kind and nested object, with each field's type, constraints and description, so the reference
 * can never say something the API server does not enforce.
 */
public final class ApiReference {

  static final Path DOC = Path.of("docs/api-reference.md");
  private static final Path CRDS = Path.of("crds");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final List<String> KIND_ORDER =
      List.of("Cluster", "TaskDefinition", "Service", "TaskRole", "LoadBalancerRoute");

  private ApiReference() {}

  /** The reference as generated from {@code crds/}. */
  public static String generate() {
    List<JsonNode> crds = new ArrayList<>();
    try (Stream<Path> files = Files.list(CRDS)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yml")).toList()) {
        crds.add(YAML.readTree(f.toFile()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    crds.sort(
        (a, b) ->
            Integer.compare(
                KIND_ORDER.indexOf(a.at("/spec/names/kind").asText()),
                KIND_ORDER.indexOf(b.at("/spec/names/kind").asText())));
    StringBuilder out = new StringBuilder();
    out.append("# API reference (ecs.tidewater.dev/v1alpha1)\n\n")
        .append("<!-- Generated from crds/ by hack/update-api-docs.sh; do not edit. -->\n\n")
        .append(
            "Every kind is namespaced and in the category `ecs` (`kubectl get ecs`). Constraints"
                + " are those of the CRD schema, enforced by the API server; the validator adds"
                + " the cross-field rules described in [validation.md](validation.md).\n\n");
    for (JsonNode crd : crds) {
      out.append("- [").append(crd.at("/spec/names/kind").asText()).append("](#");
      out.append(crd.at("/spec/names/kind").asText().toLowerCase()).append(")\n");
    }
    out.append('\n');
    for (JsonNode crd : crds) {
      kind(crd, out);
    }
    return out.toString();
  }

  private static void kind(JsonNode crd, StringBuilder out) {
    String kind = crd.at("/spec/names/kind").asText();
    JsonNode version = crd.at("/spec/versions/0");
    JsonNode schema = version.at("/schema/openAPIV3Schema");
    out.append("## ").append(kind).append("\n\n");
    if (schema.has("description")) {
      out.append(schema.path("description").asText()).append("\n\n");
    }
    List<String> shortNames = new ArrayList<>();
    crd.at("/spec/names/shortNames").forEach(n -> shortNames.add("`" + n.asText() + "`"));
    out.append("Plural `")
        .append(crd.at("/spec/names/plural").asText())
        .append("`, short names ")
        .append(String.join(", ", shortNames))
        .append(".\n\n");
    JsonNode columns = version.path("additionalPrinterColumns");
    if (columns.size() > 0) {
      out.append("`kubectl get` columns: ");
      List<String> names = new ArrayList<>();
      columns.forEach(c -> names.add(c.path("name").asText()));
      out.append(String.join(", ", names)).append(".\n\n");
    }
    object(kind + ".spec", schema.at("/properties/spec"), true, out);
    object(kind + ".status", schema.at("/properties/status"), true, out);
  }

  /** A table of the fields of {@code node}; {@code described}: its own description first. */
  private static void object(String path, JsonNode node, boolean described, StringBuilder out) {
    JsonNode props = node.path("properties");
    if (props.isMissingNode() || props.size() == 0) {
      return;
    }
    Set<String> required = new TreeSet<>();
    node.path("required").forEach(r -> required.add(r.asText()));
    out.append("### `").append(path).append("`\n\n");
    if (described && node.has("description")) {
      out.append(node.path("description").asText()).append("\n\n");
    }
    rules(node, out);
    out.append("| field | type | constraints | description |\n|---|---|---|---|\n");
    List<Map.Entry<String, JsonNode>> nested = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode f = field.getValue();
      out.append("| `")
          .append(field.getKey())
          .append("`")
          .append(required.contains(field.getKey()) ? " (required)" : "")
          .append(" | ")
          .append(type(f))
          .append(" | ")
          .append(constraints(f))
          .append(" | ")
          .append(cell(f.path("description").asText("")))
          .append(" |\n");
      JsonNode inner = "array".equals(f.path("type").asText()) ? f.path("items") : f;
      if (inner.has("properties")) {
        nested.add(Map.entry(field.getKey(), inner));
      }
    }
    out.append('\n');
    for (Map.Entry<String, JsonNode> n : nested) {
      boolean list = "array".equals(props.path(n.getKey()).path("type").asText());
      object(path + "." + n.getKey() + (list ? "[]" : ""), n.getValue(), false, out);
    }
  }

  private static void rules(JsonNode node, StringBuilder out) {
    JsonNode rules = node.path("x-kubernetes-validations");
    if (rules.size() == 0) {
      return;
    }
    out.append("Rules checked by the API server:\n\n");
    rules.forEach(r -> out.append("- ").append(r.path("message").asText()).append('\n'));
    out.append('\n');
  }

  private static String type(JsonNode f) {
    String type = f.path("type").asText(null);
    if (type == null) {
      return f.path("x-kubernetes-preserve-unknown-fields").asBoolean() ? "any (YAML / JSON)" : "";
    }
    if ("array".equals(type)) {
      String item = f.path("items").path("type").asText("any");
      return "list of " + item;
    }
    if ("object".equals(type) && f.has("additionalProperties")) {
      return "map of " + f.path("additionalProperties").path("type").asText("any");
    }
    return type;
  }

  private static String constraints(JsonNode f) {
    List<String> c = new ArrayList<>();
    JsonNode target = "array".equals(f.path("type").asText()) ? f.path("items") : f;
    if (target.has("enum")) {
      List<String> values = new ArrayList<>();
      target.path("enum").forEach(v -> values.add("`" + v.asText() + "`"));
      c.add("one of " + String.join(", ", values));
    }
    bound(c, f, "minimum", "≥ ");
    bound(c, f, "maximum", "≤ ");
    bound(c, f, "minLength", "length ≥ ");
    bound(c, f, "maxLength", "length ≤ ");
    bound(c, f, "minItems", "items ≥ ");
    bound(c, f, "maxItems", "items ≤ ");
    if (f.has("pattern")) {
      c.add("pattern `" + f.path("pattern").asText() + "`");
    }
    if ("map".equals(f.path("x-kubernetes-list-type").asText())) {
      List<String> keys = new ArrayList<>();
      f.path("x-kubernetes-list-map-keys").forEach(k -> keys.add("`" + k.asText() + "`"));
      c.add("unique by " + String.join(", ", keys));
    }
    return cell(String.join("; ", c));
  }

  private static void bound(List<String> c, JsonNode f, String key, String prefix) {
    if (f.has(key)) {
      c.add(prefix + f.path(key).asText());
    }
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }

  /** Writes the reference ({@code hack/update-api-docs.sh}). */
  public static void main(String[] args) throws IOException {
    Files.writeString(DOC, generate());
  }
}
