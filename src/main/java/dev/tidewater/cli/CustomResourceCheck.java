package dev.tidewater.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tidewater.api.v1alpha1.TidewaterKinds;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRouteSpec;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTaskSpec;
import dev.tidewater.api.v1alpha1.service.EcsServiceSpec;
import dev.tidewater.api.v1alpha1.task.TaskSpec;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.api.v1alpha1.taskrole.TaskRoleSpec;
import dev.tidewater.model.EcsServiceValidator;
import dev.tidewater.model.LoadBalancerRouteValidator;
import dev.tidewater.model.Problem;
import dev.tidewater.model.ScheduledTaskRuns;
import dev.tidewater.model.ScheduledTaskValidator;
import dev.tidewater.model.TaskDefinitionValidator;
import dev.tidewater.model.TaskRoleValidator;
import dev.tidewater.model.TaskValidator;
import dev.tidewater.model.ValidationContext;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Checks Tidewater custom resources in YAML (one or many documents) the way the API server and the
 * operator would: apiVersion, kind and metadata.name, the spec's shape against the kind's class
 * (unknown fields, types, enums, required fields, ranges, placeholders), then the kind's validator.
 */
public final class CustomResourceCheck {

  private static final Set<String> TOP_LEVEL_FIELDS =
      Set.of("apiVersion", "kind", "metadata", "spec", "status");
  private static final String API_VERSION = TidewaterKinds.GROUP + "/" + TidewaterKinds.VERSION;
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final ShapeCheck.Settings SETTINGS =
      new ShapeCheck.Settings(false, false, Map.of(), Map.of());
  private static final ObjectMapper YAML = new YAMLMapper(new YAMLFactory());
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private CustomResourceCheck() {}

  /**
   * One document's result.
   *
   * @param label {@code Kind/name}, or {@code document N} when the document has no usable kind
   * @param problems its problems, paths from the document root ({@code spec.containerDefinitions})
   */
  public record Checked(String label, List<Problem> problems, String namespace) {

    /** A document without a usable namespace. */
    public Checked(String label, List<Problem> problems) {
      this(label, problems, null);
    }
  }

  /** Checks every document of one file's text, in order, without Cluster guardrails. */
  public static List<Checked> check(String text) {
    return check(text, InputClusters.NONE);
  }

  /**
   * Checks every document of one file's text, in order; a resource whose Cluster is among {@code
   * clusters} is validated with that Cluster's guardrails and backend, as the operator would.
   */
  static List<Checked> check(String text, InputClusters clusters) {
    List<Checked> results = new ArrayList<>();
    int index = 0;
    try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(text)) {
      while (docs.hasNextValue()) {
        JsonNode doc = docs.nextValue();
        index++;
        if (doc == null || doc.isNull() || doc.isMissingNode()) {
          continue;
        }
        results.add(checkDocument(doc, index, clusters));
      }
    } catch (JsonProcessingException e) {
      results.add(new Checked("document " + (index + 1), List.of(parseProblem(e))));
    } catch (IOException e) {
      results.add(
          new Checked(
              "document " + (index + 1),
              List.of(new Problem("", "Unreadable", "cannot read: " + e.getMessage()))));
    }
    return results;
  }

  private static Checked checkDocument(JsonNode doc, int index, InputClusters clusters) {
    String fallbackLabel = "document " + index;
    if (!doc.isObject()) {
      return new Checked(
          fallbackLabel,
          List.of(
              new Problem(
                  "",
                  "WrongType",
                  "expected a Kubernetes resource, got " + ShapeCheck.describe(doc))));
    }
    List<Problem> problems = new ArrayList<>();
    JsonNode kindNode = doc.get("kind");
    Class<? extends HasMetadata> type =
        kindNode != null && kindNode.isTextual()
            ? TidewaterKinds.byKind(kindNode.textValue())
            : null;
    if (type == null) {
      String kinds =
          java.util.stream.Stream.concat(
                  TidewaterKinds.ALL.stream(), TidewaterKinds.CLUSTER_SCOPED.stream())
              .map(HasMetadata::getKind)
              .collect(Collectors.joining(", "));
      problems.add(
          new Problem(
              "kind",
              kindNode == null ? "Required" : "UnknownKind",
              (kindNode == null
                      ? "missing"
                      : ShapeCheck.describe(kindNode) + " is not a Tidewater kind")
                  + "; expected one of "
                  + kinds));
      return new Checked(fallbackLabel, problems);
    }
    JsonNode nameNode = doc.path("metadata").path("name");
    String label =
        HasMetadata.getKind(type)
            + "/"
            + (nameNode.isTextual() ? nameNode.textValue() : "(unnamed)");
    JsonNode apiVersion = doc.get("apiVersion");
    if (apiVersion == null || !API_VERSION.equals(apiVersion.asText(null))) {
      problems.add(
          new Problem(
              "apiVersion",
              apiVersion == null ? "Required" : "InvalidValue",
              (apiVersion == null ? "missing" : ShapeCheck.describe(apiVersion) + " is wrong")
                  + "; expected \""
                  + API_VERSION
                  + "\""));
    }
    for (Iterator<String> it = doc.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!TOP_LEVEL_FIELDS.contains(field)) {
        problems.add(
            new Problem(
                field,
                "UnknownField",
                "\"" + field + "\" is not a field of a Kubernetes resource"));
      }
    }
    metadata(doc.get("metadata"), problems);
    Class<?> specType = specClass(type);
    JsonNode spec = doc.get("spec");
    if (spec == null || spec.isNull()) {
      problems.add(
          new Problem(
              "spec", "Required", "missing: every " + HasMetadata.getKind(type) + " has a spec"));
      return new Checked(label, problems);
    }
    ShapeCheck.Result shape = ShapeCheck.check(spec, specType, "spec", SETTINGS);
    problems.addAll(shape.problems());
    if (shape.problems().isEmpty()) {
      JsonNode namespace = doc.path("metadata").path("namespace");
      JsonNode clusterRef = spec.path("clusterRef").path("name");
      ValidationContext context =
          clusters.context(
              namespace.isTextual() ? namespace.textValue() : null,
              clusterRef.isTextual() ? clusterRef.textValue() : null);
      problems.addAll(validators(shape.normalised(), specType, context));
    }
    JsonNode namespace = doc.path("metadata").path("namespace");
    return new Checked(label, problems, namespace.isTextual() ? namespace.textValue() : null);
  }

  private static void metadata(JsonNode metadata, List<Problem> problems) {
    if (metadata == null || metadata.isNull()) {
      problems.add(
          new Problem("metadata.name", "Required", "missing: every resource needs a name"));
      return;
    }
    if (!metadata.isObject()) {
      problems.add(
          new Problem(
              "metadata", "WrongType", "expected an object, got " + ShapeCheck.describe(metadata)));
      return;
    }
    JsonNode name = metadata.get("name");
    if (name == null || name.isNull()) {
      problems.add(
          new Problem("metadata.name", "Required", "missing: every resource needs a name"));
    } else if (!name.isTextual()
        || name.textValue().length() > 253
        || !DNS_SUBDOMAIN.matcher(name.textValue()).matches()) {
      problems.add(
          new Problem(
              "metadata.name",
              "InvalidValue",
              ShapeCheck.describe(name)
                  + " is not a valid name: lower-case letters, digits, '-' and '.', starting and"
                  + " ending with a letter or digit, at most 253 characters"));
    }
    JsonNode namespace = metadata.get("namespace");
    if (namespace != null
        && !namespace.isNull()
        && !(namespace.isTextual()
            && namespace.textValue().length() <= 63
            && DNS_LABEL.matcher(namespace.textValue()).matches())) {
      problems.add(
          new Problem(
              "metadata.namespace",
              "InvalidValue",
              ShapeCheck.describe(namespace) + " is not a valid namespace name"));
    }
    try {
      JSON.treeToValue(metadata, ObjectMeta.class);
    } catch (JsonProcessingException e) {
      problems.add(
          new Problem(
              "metadata",
              "WrongType",
              "not valid object metadata: " + ShapeCheck.firstLine(e.getOriginalMessage())));
    }
  }

  /**
   * The validator of each kind's spec, with what is known of the resource's Cluster ({@link
   * ValidationContext#NONE} when it is not in the input: no guardrails).
   */
  private static final Map<Class<?>, BiFunction<Object, ValidationContext, List<Problem>>>
      VALIDATORS =
          Map.of(
              TaskDefinitionSpec.class,
              (spec, context) ->
                  new TaskDefinitionValidator().validate((TaskDefinitionSpec) spec, context),
              EcsServiceSpec.class,
              (spec, context) -> new EcsServiceValidator().validate((EcsServiceSpec) spec),
              LoadBalancerRouteSpec.class,
              (spec, context) ->
                  new LoadBalancerRouteValidator().validate((LoadBalancerRouteSpec) spec, context),
              TaskRoleSpec.class,
              (spec, context) -> new TaskRoleValidator().validate((TaskRoleSpec) spec, context),
              TaskSpec.class,
              (spec, context) -> TaskValidator.validate((TaskSpec) spec),
              ScheduledTaskSpec.class,
              (spec, context) -> scheduledTask((ScheduledTaskSpec) spec, context));

  /**
   * A ScheduledTask's problems as its reconciler finds them: AWS's rules on the schedule (and, on a
   * kubernetes Cluster of the input, what no CronJob can run), and the task's RunTask rules.
   * Offline there is no creation time: a rate without startDate is checked from the whole hour.
   */
  private static List<Problem> scheduledTask(ScheduledTaskSpec spec, ValidationContext context) {
    List<Problem> problems =
        new ArrayList<>(ScheduledTaskValidator.validate(spec, context, Optional.empty()));
    problems.addAll(ScheduledTaskRuns.taskPaths(TaskValidator.validateTemplate(spec.task)));
    return problems;
  }

  private static List<Problem> validators(
      JsonNode spec, Class<?> specType, ValidationContext context) {
    BiFunction<Object, ValidationContext, List<Problem>> validator = VALIDATORS.get(specType);
    if (validator == null) {
      return List.of(); // a Cluster has no cross-field rules beyond its schema
    }
    try {
      return validator.apply(JSON.treeToValue(spec, specType), context).stream()
          // validator paths are already dotted paths (rules[0].priority), not single keys
          .map(
              p ->
                  new Problem(
                      p.path().isEmpty() ? "spec" : "spec." + p.path(), p.reason(), p.message()))
          .toList();
    } catch (JsonProcessingException | RuntimeException e) {
      return List.of(EcsJsonImport.validatorFailed("spec", e));
    }
  }

  private static Class<?> specClass(Class<?> resource) {
    ParameterizedType superType = (ParameterizedType) resource.getGenericSuperclass();
    return (Class<?>) superType.getActualTypeArguments()[0];
  }

  private static Problem parseProblem(JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
      Mark mark = yaml.getProblemMark();
      String context = yaml.getContext() == null ? "" : yaml.getContext() + ": ";
      return new Problem(
          "",
          "InvalidYaml",
          "not valid YAML at line "
              + (mark.getLine() + 1)
              + ", column "
              + (mark.getColumn() + 1)
              + ": "
              + context
              + yaml.getProblem());
    }
    JsonLocation at = e.getLocation();
    String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    return new Problem(
        "", "InvalidYaml", "not valid YAML" + where + ": " + ShapeCheck.firstLine(message));
  }
}
