package dev.tidewater.backend.kubernetes.children;

import dev.tidewater.api.v1alpha1.task.ContainerRunStatus;
import dev.tidewater.api.v1alpha1.task.TaskRunStatus;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Task's pods in ECS's words (pure): each pod is a task with ECS's lastStatus, stopCode and
 * stoppedReason, and each container its status, exit code and reason, under its ECS name.
 */
public final class TaskPods {

  /** ECS's stopCode of a task whose essential container exited. */
  public static final String ESSENTIAL_CONTAINER_EXITED = "EssentialContainerExited";

  /** ECS's stopCode of a task that never got its containers running. */
  public static final String TASK_FAILED_TO_START = "TaskFailedToStart";

  /** ECS's stopCode of a task someone stopped. */
  public static final String USER_INITIATED = "UserInitiated";

  /** ECS's own words for {@link #ESSENTIAL_CONTAINER_EXITED}. */
  public static final String ESSENTIAL_CONTAINER_EXITED_REASON =
      "Essential container in task exited";

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private static final String COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";

  private TaskPods() {}

  /**
   * The pods of {@code job}: those it controls, by its uid (a Task deleted and made again under the
   * same name has a new Job with a new uid, so the old one's pods are never read as its own).
   */
  public static List<Pod> of(Job job, Collection<Pod> pods) {
    String uid = job.getMetadata().getUid();
    if (uid == null) return List.of();
    return pods.stream()
        .filter(
            p ->
                p.getMetadata().getOwnerReferences() != null
                    && p.getMetadata().getOwnerReferences().stream()
                        .anyMatch(
                            o -> uid.equals(o.getUid()) && Boolean.TRUE.equals(o.getController())))
        .toList();
  }

  /**
   * What was last seen of a Task whose Job is gone (deleted by hand; a Task runs once, so it is not
   * made again): each task not stopped is stopped ({@code UserInitiated}: someone deleted it), and
   * each of the {@code count} tasks never seen failed to start, both saying the Job was deleted.
   */
  public static List<TaskRunStatus> jobDeleted(List<TaskRunStatus> last, int count, String job) {
    String why = "Job " + job + " was deleted before this task stopped";
    List<TaskRunStatus> out = new ArrayList<>();
    for (TaskRunStatus t : last) {
      if ("STOPPED".equals(t.lastStatus)) {
        out.add(t);
        continue;
      }
      TaskRunStatus s = JSON.clone(t);
      s.lastStatus = "STOPPED";
      s.stopCode = USER_INITIATED;
      s.stoppedReason = why;
      out.add(s);
    }
    while (out.size() < count) {
      TaskRunStatus s = new TaskRunStatus();
      s.lastStatus = "STOPPED";
      s.stopCode = TASK_FAILED_TO_START;
      s.stoppedReason = "Job " + job + " was deleted before this task started";
      out.add(s);
    }
    return out;
  }

  /**
   * One entry per pod, by completion index (task order), then creation.
   *
   * @param containerNames Kubernetes container name → ECS container name
   * @param essential the ECS names of the essential containers
   */
  public static List<TaskRunStatus> tasks(
      List<Pod> pods, Map<String, String> containerNames, Set<String> essential) {
    return pods.stream()
        .sorted(
            Comparator.comparing((Pod p) -> index(p))
                .thenComparing(p -> p.getMetadata().getCreationTimestamp()))
        .map(p -> task(p, containerNames, essential))
        .toList();
  }

  private static int index(Pod p) {
    var a = p.getMetadata().getAnnotations();
    try {
      return a == null || a.get(COMPLETION_INDEX) == null
          ? Integer.MAX_VALUE
          : Integer.parseInt(a.get(COMPLETION_INDEX));
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }

  /** One pod as an ECS task. */
  public static TaskRunStatus task(
      Pod pod, Map<String, String> containerNames, Set<String> essential) {
    TaskRunStatus t = new TaskRunStatus();
    t.taskArn = pod.getMetadata().getName();
    var status = pod.getStatus();
    String phase = status == null || status.getPhase() == null ? "Pending" : status.getPhase();
    List<ContainerRunStatus> containers = new ArrayList<>();
    if (status != null) {
      // init containers first: the task's own order puts sidecars (non-essential) beside the rest
      for (ContainerStatus c : nonNull(status.getInitContainerStatuses())) {
        containers.add(container(c, containerNames));
      }
      for (ContainerStatus c : nonNull(status.getContainerStatuses())) {
        containers.add(container(c, containerNames));
      }
    }
    t.containers = containers.isEmpty() ? null : containers;
    t.startedAt = status == null ? null : status.getStartTime();
    boolean stopped = "Succeeded".equals(phase) || "Failed".equals(phase);
    if (!stopped) {
      boolean scheduled =
          status != null
              && nonNull(status.getConditions()).stream()
                  .anyMatch(
                      c -> "PodScheduled".equals(c.getType()) && "True".equals(c.getStatus()));
      t.lastStatus =
          pod.getMetadata().getDeletionTimestamp() != null
              ? "DEACTIVATING"
              : "Running".equals(phase) ? "RUNNING" : scheduled ? "PENDING" : "PROVISIONING";
      return t;
    }
    t.lastStatus = "STOPPED";
    t.stoppedAt =
        containers.stream()
            .map(c -> finishedAt(status, c.name, containerNames))
            .filter(s -> s != null)
            .max(Comparator.naturalOrder())
            .orElse(null);
    boolean essentialExited =
        containers.stream().anyMatch(c -> essential.contains(c.name) && c.exitCode != null);
    if (essentialExited) {
      t.stopCode = ESSENTIAL_CONTAINER_EXITED;
      t.stoppedReason = ESSENTIAL_CONTAINER_EXITED_REASON;
    } else if (disrupted(pod)) {
      t.stopCode = USER_INITIATED;
      t.stoppedReason = status.getMessage() == null ? "Task stopped" : status.getMessage();
    } else {
      t.stopCode = TASK_FAILED_TO_START;
      t.stoppedReason =
          status.getMessage() != null
              ? status.getMessage()
              : status.getReason() != null ? status.getReason() : "the task's containers never ran";
    }
    return t;
  }

  private static boolean disrupted(Pod pod) {
    return nonNull(pod.getStatus().getConditions()).stream()
        .map(PodCondition::getType)
        .anyMatch("DisruptionTarget"::equals);
  }

  private static String finishedAt(
      io.fabric8.kubernetes.api.model.PodStatus status,
      String ecsName,
      Map<String, String> containerNames) {
    List<ContainerStatus> all = new ArrayList<>(nonNull(status.getInitContainerStatuses()));
    all.addAll(nonNull(status.getContainerStatuses()));
    return all.stream()
        .filter(c -> ecsName.equals(containerNames.getOrDefault(c.getName(), c.getName())))
        .filter(c -> c.getState() != null && c.getState().getTerminated() != null)
        .map(c -> c.getState().getTerminated().getFinishedAt())
        .findFirst()
        .orElse(null);
  }

  private static ContainerRunStatus container(ContainerStatus c, Map<String, String> names) {
    ContainerRunStatus out = new ContainerRunStatus();
    out.name = names.getOrDefault(c.getName(), c.getName());
    var state = c.getState();
    if (state != null && state.getTerminated() != null) {
      out.lastStatus = "STOPPED";
      out.exitCode = state.getTerminated().getExitCode();
      String reason = state.getTerminated().getReason();
      out.reason =
          "OOMKilled".equals(reason)
              ? "OutOfMemoryError: Container killed due to memory usage"
              : "Completed".equals(reason) || "Error".equals(reason) ? null : reason;
    } else if (state != null && state.getRunning() != null) {
      out.lastStatus = "RUNNING";
    } else {
      out.lastStatus = "PENDING";
      if (state != null && state.getWaiting() != null) out.reason = state.getWaiting().getReason();
    }
    return out;
  }

  private static <T> List<T> nonNull(List<T> list) {
    return list == null ? List.of() : list;
  }
}
