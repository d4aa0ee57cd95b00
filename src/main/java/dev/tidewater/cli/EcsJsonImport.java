package dev.tidewater.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tidewater.api.v1alpha1.common.Tag;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.service.EcsServiceSpec;
import dev.tidewater.api.v1alpha1.service.TaskDefinitionRef;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.backend.ecs.EcsRequests;
import dev.tidewater.model.AwsNames;
import dev.tidewater.model.Problem;
import dev.tidewater.model.TaskDefinitionValidator;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns ECS JSON into Tidewater custom resources: a task definition (the RegisterTaskDefinition
 * request shape, or {@code aws ecs describe-task-definition} output, wrapped or not) becomes a
 * {@code TaskDefinition}; a service definition (the CreateService request shape, as ecspresso keeps
 * it) becomes a {@code Service}; {@code aws ecs run-task} input a {@code Task} ({@link
 * EcsRunTaskImport}); an EventBridge Scheduler schedule or an EventBridge rule with ECS targets
 * {@code ScheduledTask}s ({@link EcsScheduleImport}). The shape is told from the keys.
 *
 * <p>Input ECS would refuse is rejected with one problem per fault, each with the JSON path in the
 * input. Three normalisations are applied, and nothing else is changed:
 *
 * <ul>
 *   <li>fields only describe output has are dropped ({@link #DESCRIBE_ONLY_FIELDS}, {@link
 *       #SERVICE_DESCRIBE_ONLY_FIELDS}), as are the CreateService fields a Service resource says
 *       elsewhere ({@link #SERVICE_REQUEST_ONLY_FIELDS});
 *   <li>JSON {@code null} members are dropped: describe output writes every unset field as null;
 *   <li>{@code ""} values of enum fields ({@code ipcMode}, {@code pidMode}, {@code networkMode},
 *       {@code versionConsistency}, ...) are dropped: the AWS SDKs write an unset enum as {@code
 *       ""} and ECS reads it as unset, while the CRD's enum would reject it.
 * </ul>
 */
public final class EcsJsonImport {

  /**
   * Read-only fields of the ECS TaskDefinition model (describe output) that RegisterTaskDefinition
   * does not take: the members of the SDK's {@code TaskDefinition} absent from {@code
   * RegisterTaskDefinitionRequest}.
   */
  public static final List<String> DESCRIBE_ONLY_FIELDS =
      EcsRequests.TASK_DEFINITION_DESCRIBE_ONLY_FIELDS;

  /**
   * Read-only fields of the ECS Service model (describe output, and ecspresso service definitions
   * written from it) that CreateService does not take: the members of the SDK's {@code Service}
   * absent from {@code CreateServiceRequest}.
   */
  public static final List<String> SERVICE_DESCRIBE_ONLY_FIELDS =
      List.of(
          "serviceArn",
          "clusterArn",
          "status",
          "runningCount",
          "pendingCount",
          "platformFamily",
          "taskSets",
          "deployments",
          "roleArn",
          "events",
          "createdAt",
          "createdBy",
          "currentServiceDeployment",
          "currentServiceRevisions",
          "resourceManagementType");

  /**
   * CreateService fields a Service resource does not carry: {@code cluster} (the Cluster resource
   * says where), {@code serviceName} (becomes metadata.name), {@code taskDefinition} (becomes
   * spec.taskDefinitionRef), {@code clientToken} (the ECS backend makes its own).
   */
  public static final List<String> SERVICE_REQUEST_ONLY_FIELDS =
      List.of("cluster", "serviceName", "taskDefinition", "clientToken");

  // Keys that only a service definition has; a task definition has containerDefinitions.
  private static final Set<String> SERVICE_MARKERS =
      Set.of(
          "serviceName",
          "desiredCount",
          "launchType",
          "schedulingStrategy",
          "deploymentConfiguration",
          "networkConfiguration",
          "loadBalancers",
          "capacityProviderStrategy",
          "serviceArn");

  private static final ShapeCheck.Settings SETTINGS =
      new ShapeCheck.Settings(
          true,
          true,
          Map.of(
              TaskDefinitionSpec.class, EcsRequests.TASK_DEFINITION_TIDEWATER_FIELDS,
              EcsServiceSpec.class, EcsRequests.SERVICE_TIDEWATER_FIELDS),
          Map.of(TaskDefinitionSpec.class, Set.of("family")));

  private static final Pattern TASK_DEFINITION_ARN =
      Pattern.compile("arn:[^:]+:ecs:[^:]*:[^:]*:task-definition/([^:]+)(?::([^:]*))?");
  private static final Pattern FAMILY_AND_REVISION = Pattern.compile("([^:]+)(?::([^:]*))?");

  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private EcsJsonImport() {}

  /**
   * One imported resource, and comment lines (without {@code "# "}) to print above it: what the
   * input said that the resource says elsewhere or not at all.
   */
  public record ImportedResource(CustomResource<?, ?> resource, List<String> comments) {}

  /** What importing one file gave: resources when it is valid, else its problems. */
  public record Outcome(List<ImportedResource> resources, List<Problem> problems) {

    /** Whether the file imported without problems. */
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /**
   * Imports one file's text.
   *
   * @param fileName the file's name, for a resource name when the input has none
   * @param taskDefinition the TaskDefinition a service definition runs when it names none
   *     (ecspresso keeps it in its config), or null
   */
  public static Outcome importJson(String text, String fileName, TaskDefinitionRef taskDefinition) {
    JsonNode root;
    try {
      root = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return failed(parseProblem(e));
    }
    if (root == null || root.isMissingNode()) {
      return failed(new Problem("$", "InvalidJson", "the file is empty; expected a JSON object"));
    }
    if (!root.isObject()) {
      return failed(
          new Problem(
              "$",
              "WrongType",
              "expected a JSON object (a task or service definition), got "
                  + ShapeCheck.describe(root)));
    }
    JsonNode wrapped = root.get("taskDefinition");
    if (root.has("containerDefinitions")) {
      return taskDefinition((ObjectNode) root, null, fileName);
    }
    if (wrapped != null && wrapped.isObject()) {
      return taskDefinition((ObjectNode) wrapped, (ObjectNode) root, fileName);
    }
    ObjectNode object = (ObjectNode) root;
    if (EcsScheduleImport.isSchedule(object)) {
      return EcsScheduleImport.importSchedule(object, fileName);
    }
    if (EcsScheduleImport.isRule(object)) {
      return EcsScheduleImport.importRule(object, fileName);
    }
    if (EcsScheduleImport.isRuleWithoutTargets(object)) {
      return failed(
          new Problem(
              "$",
              "UnknownShape",
              "an EventBridge rule without its targets: give both, as {\"Rule\": <aws events"
                  + " describe-rule output>, \"Targets\": <the Targets of aws events"
                  + " list-targets-by-rule>}"));
    }
    if (EcsRunTaskImport.matches(object)) {
      return EcsRunTaskImport.importRunTask(object, fileName);
    }
    if ((wrapped != null && wrapped.isTextual()) || SERVICE_MARKERS.stream().anyMatch(root::has)) {
      return service(object, fileName, taskDefinition);
    }
    return failed(
        new Problem(
            "$",
            "UnknownShape",
            "neither a task definition (it has no containerDefinitions), a service definition"
                + " (it has none of taskDefinition, serviceName, desiredCount, launchType,"
                + " schedulingStrategy), RunTask input (taskDefinition with count, overrides,"
                + " startedBy, group or referenceId), an EventBridge Scheduler schedule"
                + " (ScheduleExpression and Target) nor an EventBridge rule ({\"Rule\": ...,"
                + " \"Targets\": [...]})"));
  }

  private static Outcome taskDefinition(ObjectNode input, ObjectNode wrapper, String fileName) {
    String prefix = wrapper == null ? "" : "taskDefinition";
    List<Problem> problems = new ArrayList<>();
    JsonNode wrapperTags = null;
    if (wrapper != null) {
      ShapeCheck.Result w =
          ShapeCheck.check(
              wrapperWithoutTaskDefinition(wrapper), DescribeOutput.class, "", SETTINGS);
      problems.addAll(w.problems());
      wrapperTags = w.normalised() == null ? null : w.normalised().get("tags");
    }
    ObjectNode spec = input.deepCopy();
    spec.remove(DESCRIBE_ONLY_FIELDS);
    ShapeCheck.Result result = ShapeCheck.check(spec, TaskDefinitionSpec.class, prefix, SETTINGS);
    problems.addAll(result.problems());
    if (wrapperTags != null && result.normalised().has("tags")) {
      problems.add(
          new Problem(
              "tags",
              "Conflict",
              "tags are given both here and in taskDefinition.tags; keep one of them"));
    }
    if (!problems.isEmpty()) {
      return failed(problems);
    }
    ObjectNode normalised = (ObjectNode) result.normalised();
    if (wrapperTags != null) {
      normalised.set("tags", wrapperTags);
    }
    TaskDefinitionSpec typed = convert(normalised, TaskDefinitionSpec.class);
    boolean tagsFromWrapper = wrapperTags != null;
    for (Problem p : validate(typed)) {
      String path =
          tagsFromWrapper && p.path().startsWith("tags")
              ? p.path()
              : prefix.isEmpty() ? p.path() : prefix + "." + p.path();
      problems.add(new Problem(path, p.reason(), p.message()));
    }
    if (!problems.isEmpty()) {
      return failed(problems);
    }
    TaskDefinition resource = new TaskDefinition();
    resource.setMetadata(
        new ObjectMetaBuilder()
            .withName(ResourceNames.fromEcsName(typed.family, ResourceNames.baseName(fileName)))
            .build());
    resource.setSpec(typed);
    return new Outcome(List.of(new ImportedResource(resource, List.of())), List.of());
  }

  private static Outcome service(ObjectNode input, String fileName, TaskDefinitionRef fallback) {
    List<Problem> problems = new ArrayList<>();
    List<String> comments = new ArrayList<>();
    ObjectNode spec = input.deepCopy();
    spec.remove(SERVICE_DESCRIBE_ONLY_FIELDS);
    String cluster = text(spec, "cluster", problems);
    String serviceName = text(spec, "serviceName", problems);
    String taskDefinition = text(spec, "taskDefinition", problems);
    text(spec, "clientToken", problems);
    spec.remove(SERVICE_REQUEST_ONLY_FIELDS);
    if (cluster != null) {
      comments.add("cluster \"" + cluster + "\" is set by the Cluster resource");
    }
    if (serviceName != null) {
      AwsNames.Kind.ECS_SERVICE
          .violation(serviceName)
          .ifPresent(
              v ->
                  problems.add(
                      new Problem(
                          "serviceName",
                          "InvalidValue",
                          "\""
                              + serviceName
                              + "\" "
                              + v
                              + "; ECS allows "
                              + AwsNames.Kind.ECS_SERVICE.allowedCharacters())));
    }
    TaskDefinitionRef ref = fallback;
    if (taskDefinition != null) {
      ref = taskDefinitionRef(taskDefinition, problems);
    } else if (fallback == null) {
      comments.add(
          "spec.taskDefinitionRef is required: the input names no task definition;"
              + " set it, or import with --task-definition");
    }
    ShapeCheck.Result result = ShapeCheck.check(spec, EcsServiceSpec.class, "", SETTINGS);
    problems.addAll(result.problems());
    if (!problems.isEmpty()) {
      return failed(problems);
    }
    EcsServiceSpec typed = convert(result.normalised(), EcsServiceSpec.class);
    typed.taskDefinitionRef = ref;
    EcsService resource = new EcsService();
    resource.setMetadata(
        new ObjectMetaBuilder()
            .withName(ResourceNames.fromEcsName(serviceName, ResourceNames.baseName(fileName)))
            .build());
    resource.setSpec(typed);
    return new Outcome(List.of(new ImportedResource(resource, List.copyOf(comments))), List.of());
  }

  /**
   * The TaskDefinition a service definition's {@code taskDefinition} names: {@code family}, {@code
   * family:revision} or a task definition ARN.
   */
  static TaskDefinitionRef taskDefinitionRef(String value, List<Problem> problems) {
    return taskDefinitionRef(value, "taskDefinition", problems);
  }

  /**
   * As {@link #taskDefinitionRef(String, List)}, for a value at {@code path} (RunTask's {@code
   * taskDefinition}, EventBridge's {@code EcsParameters.TaskDefinitionArn}).
   */
  static TaskDefinitionRef taskDefinitionRef(String value, String path, List<Problem> problems) {
    Optional<String> placeholder = TemplatePlaceholders.find(value, false);
    if (placeholder.isPresent()) {
      problems.add(
          new Problem(
              path,
              "TemplatePlaceholder",
              ShapeCheck.placeholderMessage(value, placeholder.get())));
      return null;
    }
    Matcher m = TASK_DEFINITION_ARN.matcher(value);
    if (m.matches()) {
      Optional<String> arnProblem = EcsValueRules.arnProblem(value);
      if (arnProblem.isPresent()) {
        problems.add(new Problem(path, "InvalidValue", arnProblem.get()));
        return null;
      }
    } else {
      m = FAMILY_AND_REVISION.matcher(value);
      if (!m.matches() || value.startsWith("arn:")) {
        problems.add(
            new Problem(
                path,
                "InvalidValue",
                "\""
                    + value
                    + "\" is not a task definition: use family, family:revision or its ARN"));
        return null;
      }
    }
    String family = m.group(1);
    String revision = m.group(2);
    Optional<String> familyProblem = AwsNames.Kind.TASK_FAMILY.violation(family);
    if (familyProblem.isPresent()) {
      problems.add(
          new Problem(path, "InvalidValue", "family \"" + family + "\" " + familyProblem.get()));
      return null;
    }
    TaskDefinitionRef ref = new TaskDefinitionRef();
    ref.name = ResourceNames.fromEcsName(family, family);
    if (revision != null) {
      if (!revision.matches("[1-9][0-9]{0,8}")) {
        problems.add(
            new Problem(
                path,
                "InvalidValue",
                "revision \""
                    + revision
                    + "\" of \""
                    + value
                    + "\" is not a positive whole number"));
        return null;
      }
      ref.revision = Integer.valueOf(revision);
    }
    return ref;
  }

  // A string member, checked for type and placeholders; null when absent or wrong.
  static String text(ObjectNode node, String name, List<Problem> problems) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      problems.add(
          new Problem(name, "WrongType", "expected a string, got " + ShapeCheck.describe(value)));
      return null;
    }
    Optional<String> placeholder = TemplatePlaceholders.find(value.textValue(), false);
    if (placeholder.isPresent() && !name.equals("taskDefinition")) {
      problems.add(
          new Problem(
              name,
              "TemplatePlaceholder",
              ShapeCheck.placeholderMessage(value.textValue(), placeholder.get())));
      return null;
    }
    return value.textValue();
  }

  private static List<Problem> validate(TaskDefinitionSpec spec) {
    try {
      return new TaskDefinitionValidator().validate(spec);
    } catch (RuntimeException e) {
      return List.of(validatorFailed("$", e));
    }
  }

  /**
   * The one problem reported when the task definition validator itself throws: the validator is
   * someone else's seam, and a bug there must not become a stack trace here.
   */
  static Problem validatorFailed(String path, Exception e) {
    return new Problem(
        path,
        "ValidatorFailed",
        "the task definition validator failed ("
            + e.getClass().getSimpleName()
            + "): "
            + e.getMessage());
  }

  static <T> T convert(JsonNode node, Class<T> type) {
    try {
      return MAPPER.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      // The shape check accepted the tree, so the API class and the check disagree: a bug.
      throw new IllegalStateException("checked input does not fit " + type.getSimpleName(), e);
    }
  }

  private static ObjectNode wrapperWithoutTaskDefinition(ObjectNode wrapper) {
    ObjectNode copy = wrapper.deepCopy();
    copy.remove("taskDefinition");
    return copy;
  }

  /** A problem for input that is not JSON, at the JSON path and position where parsing stopped. */
  static Problem parseProblem(JsonProcessingException e) {
    String path = "$";
    String after = "";
    String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    if (e.getProcessor() instanceof JsonParser parser) {
      JsonStreamContext context = parser.getParsingContext();
      // Past a complete member ("a": 1 <here>) the fault is in the object, after that member;
      // right after a key ("a": <here>) it is that member's value. Jackson reads a key and its
      // value in one step, so only its message tells the two apart.
      boolean afterMember =
          context.inObject()
              && context.getCurrentName() != null
              && (message.contains("to start field name")
                  || message.contains("comma to separate Object entries"));
      path = pathOf(context, !afterMember);
      if (afterMember) {
        after = ", after \"" + context.getCurrentName() + "\"";
      }
    }
    JsonLocation at = e.getLocation();
    String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    return new Problem(
        path,
        "InvalidJson",
        "not valid JSON" + where + after + ": " + ShapeCheck.firstLine(message));
  }

  private static String pathOf(JsonStreamContext innermost, boolean withCurrentName) {
    List<JsonStreamContext> chain = new ArrayList<>();
    for (JsonStreamContext c = innermost; c != null && !c.inRoot(); c = c.getParent()) {
      chain.add(0, c);
    }
    String path = "";
    for (JsonStreamContext c : chain) {
      if (c == innermost && !withCurrentName) {
        break;
      }
      if (c.inArray()) {
        path = path + "[" + Math.max(c.getCurrentIndex(), 0) + "]";
      } else if (c.inObject() && c.getCurrentName() != null) {
        path = ShapeCheck.join(path, c.getCurrentName());
      }
    }
    return path.isEmpty() ? "$" : path;
  }

  private static Outcome failed(Problem problem) {
    return failed(List.of(problem));
  }

  static Outcome failed(List<Problem> problems) {
    return new Outcome(List.of(), List.copyOf(problems));
  }

  /** The part of {@code aws ecs describe-task-definition} output around the task definition. */
  static final class DescribeOutput {
    /** Tags of the task definition, given beside it rather than in it. */
    public List<Tag> tags;
  }
}
