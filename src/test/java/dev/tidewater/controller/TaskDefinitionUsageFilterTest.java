package dev.tidewater.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTask;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTaskSpec;
import dev.tidewater.api.v1alpha1.service.TaskDefinitionRef;
import dev.tidewater.api.v1alpha1.task.Task;
import dev.tidewater.api.v1alpha1.task.TaskSpec;
import dev.tidewater.api.v1alpha1.task.TaskTemplate;
import org.junit.jupiter.api.Test;

/**
 * What of a Task or ScheduledTask wakes its TaskDefinition: the reference by value, so a status
 * write of either (every poll of a running task) that leaves the reference as it was wakes nothing.
 */
class TaskDefinitionUsageFilterTest {

  private static TaskDefinitionRef ref(String name, Integer revision) {
    TaskDefinitionRef r = new TaskDefinitionRef();
    r.name = name;
    r.revision = revision;
    return r;
  }

  private static Task task(TaskDefinitionRef ref) {
    Task t = new Task();
    t.setSpec(new TaskSpec());
    t.getSpec().taskDefinitionRef = ref;
    return t;
  }

  private static ScheduledTask scheduled(TaskDefinitionRef ref) {
    ScheduledTask t = new ScheduledTask();
    t.setSpec(new ScheduledTaskSpec());
    t.getSpec().task = new TaskTemplate();
    t.getSpec().task.taskDefinitionRef = ref;
    return t;
  }

  @Test
  void equalReferencesAreTheSameUsage() {
    // two objects read from two events: equal by value, not by identity
    assertThat(TaskDefinitionReconciler.usage(task(ref("web", 3))))
        .isEqualTo(TaskDefinitionReconciler.usage(task(ref("web", 3))));
    assertThat(TaskDefinitionReconciler.scheduledUsage(scheduled(ref("web", null))))
        .isEqualTo(TaskDefinitionReconciler.scheduledUsage(scheduled(ref("web", null))));
  }

  @Test
  void aChangedReferenceIsAnotherUsage() {
    assertThat(TaskDefinitionReconciler.usage(task(ref("web", 3))))
        .isNotEqualTo(TaskDefinitionReconciler.usage(task(ref("web", 4))));
    assertThat(TaskDefinitionReconciler.scheduledUsage(scheduled(ref("web", null))))
        .isNotEqualTo(TaskDefinitionReconciler.scheduledUsage(scheduled(ref("jobs", null))));
  }
}
