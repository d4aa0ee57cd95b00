package dev.tidewater.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tidewater.testing.Crds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The committed CRDs keep the promises of the design: no defaults in any schema (the spec is the
 * user's), list maps where names must be unique, the {@code ecs} category, short names, status
 * subresource and printer columns, and bounded strings and lists wherever a CEL rule reads them (so
 * the API server's cost estimate stays low and the rule never has to be dropped).
 */
class CrdSchemaTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** CEL macros that bind a variable to each element of the list they are called on. */
  private static final Set<String> MACROS = Set.of("all", "exists", "exists_one", "map", "filter");

  /** {@code a.b.c} optionally followed by a call, {@code (v,} when the call is a macro. */
  private static final Pattern CHAIN =
      Pattern.compile(
          "\\b([A-Za-z_]\\w*)((?:\\.[A-Za-z_]\\w*)+)(\\((?:\\s*([A-Za-z_]\\w*)\\s*,)?)?");

  private static final Pattern STRING_LITERAL =
      Pattern.compile("'(?:[^'\\\\]|\\\\.)*'|\"(?:[^\"\\\\]|\\\\.)*\"");

  private static Map<String, JsonNode> crds() {
    Map<String, JsonNode> byKind = new TreeMap<>();
    for (Path file : Crds.files()) {
      try {
        JsonNode crd = YAML.readTree(file.toFile());
        byKind.put(crd.at("/spec/names/kind").asText(), crd);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return byKind;
  }

  private static JsonNode version(JsonNode crd) {
    JsonNode versions = crd.at("/spec/versions");
    assertThat(versions.size()).as("one version per CRD").isEqualTo(1);
    return versions.get(0);
  }

  private static JsonNode schema(JsonNode crd) {
    return version(crd).at("/schema/openAPIV3Schema");
  }

  @Test
  void everyKindIsThere() {
    assertThat(crds().keySet())
        .containsExactlyInAnyOrder(
            "Cluster",
            "TaskDefinition",
            "Service",
            "TaskRole",
            "LoadBalancerRoute",
            "Task",
            "ScheduledTask",
            "TenancyPolicy");
  }

  /** The namespaced kinds users write workloads with (all but the cluster-scoped policy). */
  private static Map<String, JsonNode> workloadCrds() {
    Map<String, JsonNode> all = new TreeMap<>(crds());
    all.remove("TenancyPolicy");
    return all;
  }

  @Test
  void theTenancyPolicyIsClusterScopedOutOfTheEcsCategory() {
    JsonNode crd = crds().get("TenancyPolicy");
    assertThat(crd.at("/spec/scope").asText()).isEqualTo("Cluster");
    assertThat(texts(crd.at("/spec/names/shortNames"))).containsExactly("tenancypolicy");
    assertThat(texts(crd.at("/spec/names/categories")))
        .as("kubectl get ecs lists a namespace's workloads, not the policies over it")
        .isEmpty();
  }

  // --- no defaults ---

  /**
   * Visits every schema object of a tree: the schema keywords that hold schemas are followed, so a
   * property that is merely named like a keyword is a property, not a keyword.
   */
  static void eachSchema(JsonNode schema, String path, BiConsumer<String, JsonNode> visit) {
    if (schema == null || !schema.isObject()) return;
    visit.accept(path, schema);
    schema
        .path("properties")
        .fields()
        .forEachRemaining(p -> eachSchema(p.getValue(), path + "." + p.getKey(), visit));
    JsonNode items = schema.get("items");
    if (items != null && items.isArray()) {
      for (int i = 0; i < items.size(); i++) eachSchema(items.get(i), path + "[" + i + "]", visit);
    } else {
      eachSchema(items, path + "[]", visit);
    }
    eachSchema(schema.get("additionalProperties"), path + "{}", visit);
    eachSchema(schema.get("not"), path + "(not)", visit);
    for (String list : List.of("allOf", "anyOf", "oneOf")) {
      JsonNode members = schema.path(list);
      for (int i = 0; i < members.size(); i++) {
        eachSchema(members.get(i), path + "(" + list + i + ")", visit);
      }
    }
  }

  static List<String> defaults(JsonNode schema) {
    List<String> found = new ArrayList<>();
    eachSchema(
        schema,
        "",
        (path, s) -> {
          if (s.has("default")) found.add(path.isEmpty() ? "<root>" : path);
        });
    return found;
  }

  @Test
  void noSchemaHasADefault() {
    crds()
        .forEach(
            (kind, crd) ->
                assertThat(defaults(schema(crd)))
                    .as("%s: defaults belong in the canonicaliser, never in the schema", kind)
                    .isEmpty());
  }

  @Test
  void theDefaultsCheckFindsTheKeywordButNotAPropertyNamedDefault() throws IOException {
    JsonNode schema =
        YAML.readTree(
            """
            type: object
            properties:
              default:
                type: string
              policy:
                type: object
                properties:
                  rules:
                    type: array
                    items:
                      type: object
                      properties:
                        mode: {type: string, default: fast}
            """);

    assertThat(defaults(schema)).containsExactly(".policy.rules[].mode");
  }

  // --- list maps ---

  @Test
  void namedListsAreListMapsWithRequiredKeys() {
    Map<String, JsonNode> crds = crds();
    Map<String, String> expected =
        Map.ofEntries(
            Map.entry("TaskDefinition .spec.containerDefinitions", "name"),
            Map.entry("TaskDefinition .spec.volumes", "name"),
            Map.entry("TaskDefinition .spec.containerDefinitions[].environment", "name"),
            Map.entry("TaskDefinition .spec.containerDefinitions[].secrets", "name"),
            Map.entry("TaskDefinition .spec.containerDefinitions[].ulimits", "name"),
            Map.entry("TaskDefinition .spec.containerDefinitions[].dependsOn", "containerName"),
            Map.entry("TaskRole .spec.inlinePolicies", "name"),
            Map.entry("Service .spec.capacityProviderStrategy", "capacityProvider"));
    expected.forEach(
        (where, key) -> {
          String[] kindAndPath = where.split(" ");
          JsonNode list = find(schema(crds.get(kindAndPath[0])), kindAndPath[1]);
          assertThat(list).as("%s exists", where).isNotNull();
          assertThat(list.path("x-kubernetes-list-type").asText()).as(where).isEqualTo("map");
          assertThat(texts(list.path("x-kubernetes-list-map-keys")))
              .as("%s keys", where)
              .containsExactly(key);
          assertThat(texts(list.at("/items/required")))
              .as("%s: a list-map key must be required (there are no defaults)", where)
              .contains(key);
        });
  }

  /** The schema at a path like {@code .spec.containerDefinitions[].environment}. */
  private static JsonNode find(JsonNode root, String path) {
    Map<String, JsonNode> all = new HashMap<>();
    eachSchema(root, "", all::put);
    return all.get(path);
  }

  private static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  // --- names, subresources, printer columns ---

  @Test
  void everyKindIsInTheEcsCategoryWithItsShortNamesAndStatus() {
    Map<String, List<String>> shortNames =
        Map.of(
            "Cluster", List.of("ecscluster"),
            "TaskDefinition", List.of("taskdef", "td"),
            "Service", List.of("ecssvc"),
            "TaskRole", List.of("taskrole"),
            "LoadBalancerRoute", List.of("lbroute"),
            "Task", List.of("ecstask"),
            "ScheduledTask", List.of("schedtask"));
    workloadCrds()
        .forEach(
            (kind, crd) -> {
              assertThat(crd.at("/spec/group").asText()).isEqualTo("ecs.tidewater.dev");
              assertThat(crd.at("/spec/scope").asText()).as(kind).isEqualTo("Namespaced");
              assertThat(texts(crd.at("/spec/names/categories"))).as(kind).containsExactly("ecs");
              assertThat(texts(crd.at("/spec/names/shortNames")))
                  .as(kind)
                  .containsExactlyInAnyOrderElementsOf(shortNames.get(kind));
              assertThat(version(crd).at("/subresources/status").isObject())
                  .as("%s has the status subresource", kind)
                  .isTrue();
            });
  }

  @Test
  void printerColumnsShowReadinessReasonAgeAndServiceCounts() {
    Map<String, JsonNode> crds = workloadCrds();
    crds.forEach(
        (kind, crd) -> {
          List<String> columns = columns(crd);
          assertThat(columns)
              .as("%s: the Ready condition's status and reason, then Age, come last", kind)
              .endsWith("Ready", "Reason", "Age");
          assertThat(column(crd, "Ready").path("jsonPath").asText())
              .as(kind)
              .isEqualTo(".status.conditions[?(@.type==\"Ready\")].status");
          assertThat(column(crd, "Reason").path("jsonPath").asText())
              .as(kind)
              .isEqualTo(".status.conditions[?(@.type==\"Ready\")].reason");
        });
    assertThat(columns(crds.get("Service")))
        .containsSubsequence(
            "Desired", "Running", "Pending", "Revision", "Rollout", "Ready", "Age");
  }

  private static List<String> columns(JsonNode crd) {
    return version(crd).path("additionalPrinterColumns").findValuesAsText("name");
  }

  private static JsonNode column(JsonNode crd, String name) {
    return StreamSupport.stream(version(crd).path("additionalPrinterColumns").spliterator(), false)
        .filter(c -> c.path("name").asText().equals(name))
        .findFirst()
        .orElseThrow();
  }

  // --- kubectl explain ---

  /** Schema paths without a description; list items and map values are described by their field. */
  static List<String> undescribed(JsonNode schema) {
    List<String> found = new ArrayList<>();
    eachSchema(
        schema,
        "",
        (path, s) -> {
          if (path.endsWith("[]") || path.endsWith("{}") || path.endsWith(")")) return;
          if (s.path("description").asText("").isBlank()) {
            found.add(path.isEmpty() ? "<root>" : path);
          }
        });
    return found;
  }

  @Test
  void kubectlExplainDescribesEveryKindItsSpecStatusAndFields() {
    crds()
        .forEach(
            (kind, crd) ->
                assertThat(undescribed(schema(crd)))
                    .as("%s: kubectl explain would show <empty> for", kind)
                    .isEmpty());
    JsonNode service = schema(crds().get("Service"));
    assertThat(service.path("description").asText())
        .as("the Service kind tells how to name it past the core Service")
        .contains("ecssvc", "service.ecs.tidewater.dev");
    assertThat(
            schema(crds().get("Cluster"))
                .at("/properties/status/properties/conditions/items")
                .at("/properties/reason/description")
                .asText())
        .as("the fields of embedded Kubernetes types are described too")
        .isNotBlank();
  }

  @Test
  void theDescriptionCheckFindsAnUndescribedFieldButNotListItems() throws IOException {
    JsonNode schema =
        YAML.readTree(
            """
            type: object
            description: a kind
            properties:
              spec:
                type: object
                description: the spec
                properties:
                  ports:
                    type: array
                    description: ports
                    items:
                      type: object
                      properties:
                        port: {type: integer}
            """);

    assertThat(undescribed(schema)).containsExactly(".spec.ports[].port");
  }

  // --- CEL rules read only bounded strings and lists ---

  /** Every field a rule reads, with what is wrong about it ("" when it is bounded). */
  static Map<String, String> celReads(JsonNode root) {
    Map<String, String> reads = new TreeMap<>();
    eachSchema(
        root,
        "",
        (path, schema) -> {
          for (JsonNode rule : schema.path("x-kubernetes-validations")) {
            String text = STRING_LITERAL.matcher(rule.path("rule").asText()).replaceAll("''");
            Map<String, JsonNode> vars = new HashMap<>();
            Map<String, String> varPaths = new HashMap<>();
            vars.put("self", schema);
            varPaths.put("self", path);
            Matcher m = CHAIN.matcher(text);
            while (m.find()) {
              String head = m.group(1);
              if (!vars.containsKey(head)) continue;
              List<String> fields = new ArrayList<>(List.of(m.group(2).substring(1).split("\\.")));
              String call = m.group(3) != null ? fields.remove(fields.size() - 1) : null;
              JsonNode node = vars.get(head);
              String at = varPaths.get(head);
              for (String field : fields) {
                JsonNode next = node.path("properties").get(field);
                at = at + "." + field;
                if (next == null) {
                  reads.put(at, "not in the schema");
                  break;
                }
                node = next;
                reads.merge(at, boundProblem(node), (a, b) -> a.isEmpty() ? b : a);
              }
              if (call != null && MACROS.contains(call) && m.group(4) != null) {
                JsonNode element = node.path("items");
                vars.put(m.group(4), element);
                varPaths.put(m.group(4), at + "[]");
                // the variable itself may be compared, as in requiresCompatibilities.exists(c, ...)
                reads.merge(at + "[]", boundProblem(element), (a, b) -> a.isEmpty() ? b : a);
              }
            }
          }
        });
    return reads;
  }

  private static String boundProblem(JsonNode schema) {
    String type = schema.path("type").asText();
    if (type.equals("string") && !schema.has("maxLength") && !schema.has("enum")) {
      return "a string without maxLength";
    }
    if (type.equals("array") && !schema.has("maxItems")) return "a list without maxItems";
    if (type.equals("object")
        && schema.has("additionalProperties")
        && !schema.has("maxProperties")) {
      return "a map without maxProperties";
    }
    return "";
  }

  @Test
  void celRulesReadOnlyBoundedStringsAndLists() {
    crds()
        .forEach(
            (kind, crd) -> {
              Map<String, String> reads = celReads(schema(crd));
              reads.values().removeIf(String::isEmpty);
              assertThat(reads).as("%s: fields read by CEL rules", kind).isEmpty();
            });
  }

  @Test
  void theCelCheckFollowsMacrosAndFindsUnboundedFields() throws IOException {
    JsonNode schema =
        YAML.readTree(
            """
            type: object
            x-kubernetes-validations:
            - rule: "self.items.all(i, i.name != 'x' && i.tags.exists(t, t.size() > 0)) && has(self.mode)"
            properties:
              mode: {type: string, enum: [a, b]}
              items:
                type: array
                maxItems: 10
                items:
                  type: object
                  properties:
                    name: {type: string}
                    tags: {type: array, items: {type: string}}
            """);

    assertThat(celReads(schema))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                ".items", "",
                ".items[]", "",
                ".mode", "",
                ".items[].name", "a string without maxLength",
                ".items[].tags", "a list without maxItems",
                ".items[].tags[]", "a string without maxLength"));
  }

  @Test
  void theCelCheckSeesTheListsTheRulesWalk() {
    Map<String, JsonNode> crds = crds();

    assertThat(celReads(schema(crds.get("TaskDefinition"))))
        .containsKeys(
            ".spec.containerDefinitions",
            ".spec.containerDefinitions[].portMappings",
            ".spec.containerDefinitions[].portMappings[].hostPort",
            ".spec.containerDefinitions[].portMappings[].containerPortRange",
            ".spec.requiresCompatibilities[]",
            ".spec.taskRoleArn");
    assertThat(celReads(schema(crds.get("LoadBalancerRoute"))))
        .containsKeys(
            ".spec.rules", ".spec.rules[].conditions.hostHeaders", ".spec.loadBalancer.type");
    assertThat(celReads(schema(crds.get("Cluster"))))
        .containsKeys(".spec.eks.oidcProviderArn", ".spec.routing.gatewayRef");
  }
}
