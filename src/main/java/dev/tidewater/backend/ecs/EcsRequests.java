package dev.tidewater.backend.ecs;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;

/**
 * Pure mapping between Tidewater specs and ECS SDK requests, and from SDK objects to the ECS JSON
 * shape.
 *
 * <p>The spec classes carry ECS's own field names, so a spec becomes a request by Jackson: the
 * spec's JSON (minus the Tidewater-only fields) is read into the SDK's serialisable builder. No
 * field is mapped by hand, so a field added to both sides is carried without a code change here.
 *
 * <p>Role references ({@code taskRoleRef}, {@code executionRoleRef}) are Tidewater-only: the ECS
 * backend resolves them to the role ARNs of the referenced TaskRoles and passes those to {@link
 * #registerRequest(TaskDefinitionSpec, String, String)}.
 */
public final class EcsRequests {

  /**
   * Fields of {@link TaskDefinitionSpec} that ECS does not know; they never reach
   * RegisterTaskDefinition.
   */
  public static final Set<String> TASK_DEFINITION_TIDEWATER_FIELDS =
      Set.of(
          "clusterRef",
          "taskRoleRef",
          "executionRoleRef",
          "revisionHistoryLimit",
          "deletionPolicy",
          "adopt");

  /**
   * Fields of {@code EcsServiceSpec} that ECS does not know (CreateService gets the task
   * definition, cluster and name from elsewhere).
   */
  public static final Set<String> SERVICE_TIDEWATER_FIELDS =
      Set.of("taskDefinitionRef", "autoscaling", "clusterRef", "deletionPolicy", "adopt");

  /**
   * Read-only fields of the ECS TaskDefinition model (describe output) that RegisterTaskDefinition
   * does not take: the members of the SDK's {@code TaskDefinition} absent from {@code
   * RegisterTaskDefinitionRequest}.
   */
  public static final List<String> TASK_DEFINITION_DESCRIBE_ONLY_FIELDS =
      List.of(
          "taskDefinitionArn",
          "revision",
          "status",
          "requiresAttributes",
          "compatibilities",
          "registeredAt",
          "registeredBy",
          "deregisteredAt");

  // Strict on purpose: a spec field the SDK builder does not know is a mapping gap to fix here,
  // not something to drop silently on the way to ECS.
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(MapperFeature.CAN_OVERRIDE_ACCESS_MODIFIERS)
          .build();

  private EcsRequests() {}

  /**
   * The RegisterTaskDefinition request for {@code spec}, with the role ARNs as the spec gives them
   * (role references left unresolved).
   */
  public static RegisterTaskDefinitionRequest registerRequest(TaskDefinitionSpec spec) {
    return registerRequest(spec, null, null);
  }

  /**
   * The RegisterTaskDefinition request for {@code spec}; a non-null {@code taskRoleArn} or {@code
   * executionRoleArn} (resolved from the spec's role references by the caller) replaces the spec's
   * own value.
   */
  public static RegisterTaskDefinitionRequest registerRequest(
      TaskDefinitionSpec spec, String taskRoleArn, String executionRoleArn) {
    ObjectNode json = MAPPER.valueToTree(spec);
    json.remove(TASK_DEFINITION_TIDEWATER_FIELDS);
    if (taskRoleArn != null) {
      json.put("taskRoleArn", taskRoleArn);
    }
    if (executionRoleArn != null) {
      json.put("executionRoleArn", executionRoleArn);
    }
    try {
      RegisterTaskDefinitionRequest.Builder builder =
          MAPPER.treeToValue(json, RegisterTaskDefinitionRequest.serializableBuilderClass());
      return builder.build();
    } catch (IOException e) {
      // Only a spec field the SDK does not know gets here: a bug in the API classes.
      throw new UncheckedIOException("cannot map TaskDefinitionSpec to the ECS request", e);
    }
  }

  /**
   * The spec a registered task definition (DescribeTaskDefinition) was made from, role ARNs as
   * registered: what a Service on the ecs backend would run, for the guardrail check of a revision
   * registered under an older Cluster or policy.
   */
  public static TaskDefinitionSpec specOf(
      software.amazon.awssdk.services.ecs.model.TaskDefinition registered) {
    ObjectNode json = (ObjectNode) toJson(registered);
    json.remove(TASK_DEFINITION_DESCRIBE_ONLY_FIELDS);
    try {
      return MAPPER.treeToValue(json, TaskDefinitionSpec.class);
    } catch (IOException e) {
      // Only an SDK member the API classes lack gets here: a bug in the API classes.
      throw new UncheckedIOException("cannot map the ECS task definition to TaskDefinitionSpec", e);
    }
  }

  /**
   * The ECS JSON shape of an SDK object (request or model), as the ECS API and {@code aws ecs} read
   * and write it: members by their wire names, unset members left out, empty lists kept.
   */
  public static JsonNode toJson(SdkPojo pojo) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    for (SdkField<?> field : pojo.sdkFields()) {
      JsonNode value = valueToJson(field.getValueOrDefault(pojo));
      if (value != null) {
        out.set(field.locationName(), value);
      }
    }
    return out;
  }

  private static JsonNode valueToJson(Object value) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    // The SDK's auto-construct collections stand for "not set", unlike an empty list the user set.
    if (value == null
        || value instanceof SdkAutoConstructList<?>
        || value instanceof SdkAutoConstructMap<?, ?>) {
      return null;
    }
    if (value instanceof SdkPojo pojo) {
      return toJson(pojo);
    }
    if (value instanceof List<?> list) {
      ArrayNode array = f.arrayNode();
      for (Object item : list) {
        JsonNode node = valueToJson(item);
        array.add(node == null ? f.nullNode() : node);
      }
      return array;
    }
    if (value instanceof Map<?, ?> map) {
      ObjectNode object = f.objectNode();
      map.forEach(
          (k, v) -> {
            JsonNode node = valueToJson(v);
            object.set(String.valueOf(k), node == null ? f.nullNode() : node);
          });
      return object;
    }
    if (value instanceof String s) {
      return f.textNode(s);
    }
    if (value instanceof Boolean b) {
      return f.booleanNode(b);
    }
    if (value instanceof Integer i) {
      return f.numberNode(i);
    }
    if (value instanceof Long l) {
      return f.numberNode(l);
    }
    if (value instanceof Double d) {
      return f.numberNode(d);
    }
    if (value instanceof Float fl) {
      return f.numberNode(fl);
    }
    if (value instanceof BigDecimal d) {
      return f.numberNode(d);
    }
    if (value instanceof BigInteger i) {
      return f.numberNode(i);
    }
    if (value instanceof Instant instant) {
      // ECS (JSON protocol) writes timestamps as epoch seconds with a fraction.
      return f.numberNode(
          BigDecimal.valueOf(instant.getEpochSecond())
              .add(BigDecimal.valueOf(instant.getNano(), 9))
              .stripTrailingZeros());
    }
    if (value instanceof SdkBytes bytes) {
      return f.textNode(Base64.getEncoder().encodeToString(bytes.asByteArray()));
    }
    if (value instanceof Document document) {
      return documentToJson(document);
    }
    throw new IllegalArgumentException(
        "no JSON form for SDK value of type " + value.getClass().getName());
  }

  private static JsonNode documentToJson(Document document) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (document.isNull()) {
      return f.nullNode();
    }
    if (document.isString()) {
      return f.textNode(document.asString());
    }
    if (document.isBoolean()) {
      return f.booleanNode(document.asBoolean());
    }
    if (document.isNumber()) {
      return f.numberNode(new BigDecimal(document.asNumber().stringValue()));
    }
    if (document.isList()) {
      ArrayNode array = f.arrayNode();
      document.asList().forEach(d -> array.add(documentToJson(d)));
      return array;
    }
    ObjectNode object = f.objectNode();
    document.asMap().forEach((k, v) -> object.set(k, documentToJson(v)));
    return object;
  }
}
