package dev.tidewater.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import dev.tidewater.cli.EcsJsonImport.ImportedResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Writes custom resources as a YAML stream for {@code kubectl apply -f -}: apiVersion, kind,
 * metadata.name and spec only, documents separated by {@code ---}, comments above each.
 */
final class ResourceYaml {

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  // YAML 1.1 reads an unquoted 2027-01-01T00:00:00Z as a timestamp, and kubectl's YAML to JSON
  // conversion rewrites it (to UTC): a ScheduledTask's startDate must stay the string it was.
  private static final Pattern YAML11_TIMESTAMP =
      Pattern.compile("[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt \t].*)?");
  private static final ObjectMapper YAML =
      new YAMLMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              // "256" must stay a string: task cpu and memory are strings in ECS and in the CRD.
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
              .stringQuotingChecker(
                  new StringQuotingChecker.Default() {
                    @Override
                    public boolean needToQuoteValue(String value) {
                      return super.needToQuoteValue(value)
                          || YAML11_TIMESTAMP.matcher(value).matches();
                    }
                  })
              .build());

  private ResourceYaml() {}

  /** The YAML stream of {@code resources}. */
  static String write(List<ImportedResource> resources) {
    StringBuilder out = new StringBuilder();
    for (ImportedResource r : resources) {
      if (out.length() > 0) {
        out.append("---\n");
      }
      for (String comment : r.comments()) {
        out.append("# ").append(comment.replace('\n', ' ')).append('\n');
      }
      try {
        out.append(YAML.writeValueAsString(tree(r.resource())));
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out.toString();
  }

  /** The resource as it is applied: no status, no empty metadata. */
  static ObjectNode tree(CustomResource<?, ?> resource) {
    ObjectNode doc = JsonNodeFactory.instance.objectNode();
    doc.put("apiVersion", HasMetadata.getApiVersion(resource.getClass()));
    doc.put("kind", HasMetadata.getKind(resource.getClass()));
    doc.putObject("metadata").put("name", resource.getMetadata().getName());
    doc.set("spec", JSON.valueToTree(resource.getSpec()));
    return doc;
  }
}
