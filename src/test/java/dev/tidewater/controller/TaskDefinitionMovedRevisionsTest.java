package dev.tidewater.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionRevision;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A TaskDefinition whose Cluster moved to the kubernetes backend while Services still run its ECS
 * revisions keeps those revisions (with their ARNs) in status next to the new backend's: a rollback
 * or a Service a failed move kept on ECS plans from them.
 */
class TaskDefinitionMovedRevisionsTest {

  private static TaskDefinitionRevision revision(int number, String arn) {
    TaskDefinitionRevision r = new TaskDefinitionRevision();
    r.revision = number;
    r.hash = "h" + number;
    r.taskDefinitionArn = arn;
    return r;
  }

  private static final String ARN_4 =
      "arn:aws:ecs:us-east-1:123456789012:task-definition/shop_web:4";
  private static final String ARN_5 =
      "arn:aws:ecs:us-east-1:123456789012:task-definition/shop_web:5";

  @Test
  void theOldBackendsRevisionsStayNextToTheNewOnes() {
    List<TaskDefinitionRevision> kubernetes = List.of(revision(1, null));
    List<TaskDefinitionRevision> previous = List.of(revision(4, ARN_4), revision(5, ARN_5));

    List<TaskDefinitionRevision> kept = TaskDefinitionReconciler.withOldSide(kubernetes, previous);

    assertThat(kept)
        .extracting(r -> r.revision + "=" + r.taskDefinitionArn)
        .containsExactly("1=null", "4=" + ARN_4, "5=" + ARN_5);
  }

  @Test
  void aRevisionListedTwiceIsKeptOnceAndEntriesWithoutArnAreNotCarriedOver() {
    // a second pass: the previous status already holds both backends' entries
    List<TaskDefinitionRevision> kubernetes = List.of(revision(1, null), revision(2, null));
    List<TaskDefinitionRevision> previous =
        List.of(revision(1, null), revision(5, ARN_5), revision(1, null));

    List<TaskDefinitionRevision> kept = TaskDefinitionReconciler.withOldSide(kubernetes, previous);

    assertThat(kept)
        .extracting(r -> r.revision + "=" + r.taskDefinitionArn)
        .containsExactly("1=null", "2=null", "5=" + ARN_5);
  }
}
