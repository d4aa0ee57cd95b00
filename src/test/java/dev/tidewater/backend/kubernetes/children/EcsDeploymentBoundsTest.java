package dev.tidewater.backend.kubernetes.children;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import org.junit.jupiter.api.Test;

/**
 * The rolling-update and disruption-budget numbers against ECS's formula: at least {@code
 * ceil(desired × min% / 100)} tasks running, at most {@code floor(desired × max% / 100)}; each
 * Kubernetes value resolved the way the Deployment, DaemonSet and disruption controllers resolve
 * it.
 */
class EcsDeploymentBoundsTest {

  private static final int[] MINIMUM = {0, 10, 25, 33, 50, 67, 75, 90, 100};
  private static final int[] MAXIMUM = {100, 101, 110, 125, 150, 175, 200, 250, 300, 400};

  /** Kubernetes' resolution of maxSurge (percent rounded up) for {@code replicas}. */
  private static int surge(IntOrString v, int replicas) {
    return v.getStrVal() == null
        ? v.getIntVal()
        : (int) Math.ceil(replicas * percent(v) / 100.0 - 1e-9);
  }

  /** Kubernetes' resolution of a Deployment's maxUnavailable (percent rounded down). */
  private static int unavailable(IntOrString v, int replicas) {
    return v.getStrVal() == null ? v.getIntVal() : replicas * percent(v) / 100;
  }

  private static int percent(IntOrString v) {
    return Integer.parseInt(v.getStrVal().replace("%", ""));
  }

  @Test
  void aFixedCountAllowsExactlyTheTaskCountsEcsAllows() {
    for (int desired = 0; desired <= 40; desired++) {
      for (int min : MINIMUM) {
        for (int max : MAXIMUM) {
          if (min > max || (min == 100 && max == 100)) continue; // refused by the validator
          var b = EcsDeploymentBounds.replica(min, max, desired, 1);
          String at = desired + " tasks at " + min + " % / " + max + " %";
          int ecsMin = (int) Math.ceil(desired * min / 100.0 - 1e-9);
          int ecsMax = (int) Math.floor(desired * max / 100.0 + 1e-9);
          assertThat(b.maxSurge().getIntVal()).as(at).isNotNull();
          assertThat(b.maxUnavailable().getIntVal()).as(at).isNotNull();
          assertThat(desired - b.maxUnavailable().getIntVal()).as(at).isEqualTo(ecsMin);
          if (ecsMax == desired && ecsMin == desired) {
            // ECS's rounding leaves no room: one pod of surge, never fewer healthy
            assertThat(b.maxSurge().getIntVal()).as(at).isEqualTo(1);
          } else {
            assertThat(desired + b.maxSurge().getIntVal())
                .as(at)
                .isEqualTo(Math.max(desired, ecsMax));
          }
        }
      }
    }
  }

  @Test
  void threeTasksAt150PercentMayRunFourNotFive() {
    var b = EcsDeploymentBounds.replica(50, 150, 3, 1);
    assertThat(b.maxSurge()).isEqualTo(new IntOrString(1));
    // min healthy ceil(1.5) = 2: one task may be down
    assertThat(b.maxUnavailable()).isEqualTo(new IntOrString(1));
  }

  @Test
  void theEcsDefaultsAreAHundredAndTwoHundredPercent() {
    var b = EcsDeploymentBounds.replica(null, null, 4, 1);
    assertThat(b.maxSurge()).isEqualTo(new IntOrString(4));
    assertThat(b.maxUnavailable()).isEqualTo(new IntOrString(0));
  }

  @Test
  void underAnHpaNoCountExceedsEcsBoundsAndTheMinimumIsExact() {
    for (int minTasks = 0; minTasks <= 10; minTasks++) {
      for (int min : MINIMUM) {
        for (int max : MAXIMUM) {
          if (min > max || (min == 100 && max == 100)) continue;
          var b = EcsDeploymentBounds.replica(min, max, null, minTasks);
          assertThat(b.maxUnavailable().getStrVal()).isEqualTo((100 - min) + "%");
          boolean fallback = false;
          for (int desired = Math.max(1, minTasks); desired <= 60; desired++) {
            String at = desired + " pods (minTasks " + minTasks + ") at " + min + " / " + max;
            int ecsMin = (int) Math.ceil(desired * min / 100.0 - 1e-9);
            int ecsMax = (int) Math.floor(desired * max / 100.0 + 1e-9);
            int surge = surge(b.maxSurge(), desired);
            int down = unavailable(b.maxUnavailable(), desired);
            assertThat(desired - down).as(at).isEqualTo(ecsMin);
            if (desired + surge > ecsMax) {
              // only the one-pod surge where ECS's rounding leaves no room at minTasks
              assertThat(surge).as(at).isEqualTo(1);
              fallback = true;
            }
            assertThat(surge + down).as(at + ": Kubernetes needs room").isPositive();
          }
          if (fallback) {
            int least = Math.max(1, minTasks);
            assertThat(EcsDeploymentBounds.maximumTasks(least, max)).isEqualTo(least);
            assertThat(EcsDeploymentBounds.minimumHealthyTasks(least, min)).isEqualTo(least);
          }
        }
      }
    }
  }

  @Test
  void wholeHundredsOfSurgeStayPercentagesUnderAnHpa() {
    assertThat(EcsDeploymentBounds.replica(100, 200, null, 2).maxSurge())
        .isEqualTo(new IntOrString("100%"));
    assertThat(EcsDeploymentBounds.replica(50, 150, null, 4).maxSurge())
        .isEqualTo(new IntOrString(2));
  }

  @Test
  void theDisruptionBudgetKeepsWhatEcsKeeps() {
    for (int desired = 1; desired <= 40; desired++) {
      for (int min : MINIMUM) {
        IntOrString v = EcsDeploymentBounds.minAvailable(min);
        // the disruption controller rounds a minAvailable percentage up
        int kept = (int) Math.ceil(desired * percent(v) / 100.0 - 1e-9);
        assertThat(kept)
            .as(desired + " at " + min)
            .isEqualTo(EcsDeploymentBounds.minimumHealthyTasks(desired, min));
      }
    }
    // 3 replicas at 50 %: ECS keeps 2 (the old maxUnavailable 50 % left 1)
    assertThat(EcsDeploymentBounds.minimumHealthyTasks(3, 50)).isEqualTo(2);
  }

  @Test
  void aDaemonDefaultsToEcsDaemonBounds() {
    assertThat(EcsDeploymentBounds.daemonMaxUnavailable(null)).isEqualTo(new IntOrString("100%"));
    assertThat(EcsDeploymentBounds.daemonMaxUnavailable(50)).isEqualTo(new IntOrString("50%"));
    assertThat(EcsDeploymentBounds.daemonMaxUnavailable(100)).isEqualTo(new IntOrString("1%"));
  }
}
