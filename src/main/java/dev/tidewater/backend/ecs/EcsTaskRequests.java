package dev.tidewater.backend.ecs;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tidewater.api.v1alpha1.task.Task;
import dev.tidewater.api.v1alpha1.task.TaskTemplate;
import dev.tidewater.model.AwsNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;

/**
 * The RunTask request of a Task (pure): the spec's RunTask fields as they are (the API classes
 * follow the SDK's shape), the registered revision's ARN, owner tags, the startedBy the backend
 * finds the tasks by again and a client token derived from the Task.
 */
public final class EcsTaskRequests {

  /** The startedBy of a Task that sets none: unique per Task, so ListTasks finds only its tasks. */
  public static final String STARTED_BY_PREFIX = "tidewater/";

  // Strict: a spec field the SDK builder does not know is a mapping gap to fix here.
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(MapperFeature.CAN_OVERRIDE_ACCESS_MODIFIERS)
          .build();

  /** Fields of a Task's spec that are Tidewater's, not RunTask's. */
  private static final List<String> TIDEWATER_FIELDS =
      List.of(
          "taskDefinitionRef", "clusterRef", "ttlSecondsAfterFinished", "deletionPolicy", "tags");

  private EcsTaskRequests() {}

  /**
   * The startedBy of {@code task}'s tasks: the spec's, else {@value #STARTED_BY_PREFIX} and the
   * Task's uid (RunTask allows 128 letters, digits, hyphens, slashes and underscores).
   */
  public static String startedBy(Task task) {
    return task.getSpec().startedBy != null
        ? task.getSpec().startedBy
        : STARTED_BY_PREFIX + task.getMetadata().getUid();
  }

  /**
   * The client token of {@code task}'s RunTask: from its uid alone, since a Task runs once (an edit
   * of its TTL bumps the generation and must not start a second set of tasks).
   */
  public static String clientToken(Task task) {
    return AwsNames.of(AwsNames.Kind.CLIENT_TOKEN, "task", task.getMetadata().getUid());
  }

  /** The RunTask request of {@code spec} on {@code clusterArn}. */
  public static RunTaskRequest runTask(
      TaskTemplate spec,
      String clusterArn,
      String taskDefinitionArn,
      String startedBy,
      String clientToken,
      Map<String, String> tags) {
    ObjectNode json = MAPPER.valueToTree(spec);
    json.remove(TIDEWATER_FIELDS);
    JsonNode overrides = json.get("overrides");
    if (overrides instanceof ObjectNode o) {
      o.remove("taskRoleRef");
    }
    json.put("cluster", clusterArn);
    json.put("taskDefinition", taskDefinitionArn);
    json.put("startedBy", startedBy);
    json.put("clientToken", clientToken);
    if (!json.has("count")) json.put("count", 1);
    try {
      return MAPPER
          .treeToValue(json, RunTaskRequest.serializableBuilderClass())
          .tags(EcsServiceRequests.tags(tags))
          .build();
    } catch (IOException e) {
      // only a spec field the SDK does not know gets here: a bug in the API classes
      throw new UncheckedIOException("cannot map the Task spec to RunTask", e);
    }
  }
}
