package dev.tidewater.backend.kubernetes.children;

import io.fabric8.kubernetes.api.model.IntOrString;

/**
 * ECS's deployment bounds as Kubernetes rolling-update and disruption-budget values (pure).
 *
 * <p>ECS keeps at least {@code ceil(desired × minimumHealthyPercent / 100)} tasks RUNNING and at
 * most {@code floor(desired × maximumPercent / 100)} RUNNING or PENDING. Kubernetes rounds a
 * percentage {@code maxSurge} up (so 3 tasks at 150 % would allow 5 pods where ECS allows 4) and a
 * percentage {@code maxUnavailable} down; with a known replica count the bounds are therefore given
 * as absolute numbers, computed with ECS's rounding. docs/kubernetes-mapping.md ("A Service's
 * objects") has the table and the edge cases.
 */
public final class EcsDeploymentBounds {

  /** ECS's default minimum healthy percent of a REPLICA service. */
  public static final int REPLICA_MINIMUM_HEALTHY = 100;

  /** ECS's default maximum percent of a REPLICA service. */
  public static final int REPLICA_MAXIMUM = 200;

  /** ECS's default minimum healthy percent of a DAEMON service (its maximum is 100: no surge). */
  public static final int DAEMON_MINIMUM_HEALTHY = 0;

  /** A rolling update's {@code maxSurge} and {@code maxUnavailable}. */
  public record RollingUpdate(IntOrString maxSurge, IntOrString maxUnavailable) {}

  private EcsDeploymentBounds() {}

  /** The fewest tasks ECS keeps running: the minimum healthy percent of desired, rounded up. */
  public static int minimumHealthyTasks(int desired, int minimumHealthyPercent) {
    return (int) ((desired * (long) minimumHealthyPercent + 99) / 100);
  }

  /** The most tasks ECS runs during a deployment: the maximum percent of desired, rounded down. */
  public static int maximumTasks(int desired, int maximumPercent) {
    return (int) (desired * (long) maximumPercent / 100);
  }

  /**
   * A Deployment's bounds for {@code replicas} pods (absolute, exactly ECS's task counts), or for
   * replicas the HPA owns ({@code replicas} null) between {@code minTasks} and its maximum.
   *
   * <p>When ECS's rounding leaves no room at all (e.g. 1 task at 100 % / 150 %), Kubernetes would
   * refuse (or, at run time, force {@code maxUnavailable} 1); Tidewater surges one pod instead, so
   * the healthy count never drops below ECS's minimum.
   *
   * <p>Under an HPA the count changes without Tidewater: {@code maxUnavailable} is the percentage
   * {@code 100 - minimumHealthyPercent}, which Kubernetes rounds down exactly as ECS rounds the
   * minimum up; {@code maxSurge} is the percentage when it is a whole multiple of 100 (exact at
   * every count), else the absolute surge ECS allows at {@code minTasks}, never more than ECS
   * allows at any larger count.
   */
  public static RollingUpdate replica(
      Integer minimumHealthyPercent, Integer maximumPercent, Integer replicas, int minTasks) {
    int min = minimumHealthyPercent == null ? REPLICA_MINIMUM_HEALTHY : minimumHealthyPercent;
    int max = maximumPercent == null ? REPLICA_MAXIMUM : maximumPercent;
    if (replicas != null) {
      int surge = Math.max(0, maximumTasks(replicas, max) - replicas);
      int unavailable = Math.max(0, replicas - minimumHealthyTasks(replicas, min));
      if (surge == 0 && unavailable == 0) surge = 1;
      return new RollingUpdate(new IntOrString(surge), new IntOrString(unavailable));
    }
    int surgePercent = Math.max(0, max - 100);
    int unavailablePercent = Math.max(0, 100 - min);
    IntOrString unavailable = new IntOrString(unavailablePercent + "%");
    if (surgePercent > 0 && surgePercent % 100 == 0) {
      return new RollingUpdate(new IntOrString(surgePercent + "%"), unavailable);
    }
    int least = Math.max(1, minTasks);
    int surge = Math.max(0, maximumTasks(least, max) - least);
    if (surge == 0 && least - minimumHealthyTasks(least, min) == 0) surge = 1;
    return new RollingUpdate(new IntOrString(surge), unavailable);
  }

  /**
   * A DaemonSet's {@code maxUnavailable}: {@code 100 - minimumHealthyPercent} percent with ECS's
   * DAEMON default of 0 % (so all at once, as ECS replaces daemon tasks), at least 1 % (a DaemonSet
   * needs some room; ECS's DAEMON maximum of 100 % leaves no surge). Kubernetes rounds a
   * DaemonSet's percentage up, so on few nodes one more node than ECS's rounding may be replaced at
   * once: the node count is not known when the object is rendered.
   */
  public static IntOrString daemonMaxUnavailable(Integer minimumHealthyPercent) {
    int min = minimumHealthyPercent == null ? DAEMON_MINIMUM_HEALTHY : minimumHealthyPercent;
    return new IntOrString(Math.max(1, 100 - min) + "%");
  }

  /**
   * A PodDisruptionBudget's {@code minAvailable}: the minimum healthy percent, which the disruption
   * controller rounds up as ECS does, so a drain keeps the tasks ECS keeps.
   */
  public static IntOrString minAvailable(int minimumHealthyPercent) {
    return new IntOrString(minimumHealthyPercent + "%");
  }
}
