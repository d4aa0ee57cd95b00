package dev.tidewater.backend.ecs;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.Attachment;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

/**
 * Which of an ECS service's tasks serve behind its target groups: a task is ready when it is
 * RUNNING and its target is {@code healthy} in the target group of every one of the service's load
 * balancers. Pure, tested as data; the reads are {@link EcsServiceBackend#observeSide}'s.
 *
 * <p>A task's target in a group is what ECS registers for it: for an {@code ip} target group the
 * private IPv4 address of the task's ENI (awsvpc) and the load balancer's container port; for an
 * {@code instance} target group the EC2 instance id of the task's container instance (bridge, host)
 * and the host port its {@code networkBindings} give the container port. A target group holds
 * targets of its own type only, and the two kinds of id never look alike, so a task matches by
 * whichever of the two it has.
 */
public final class EcsTaskTargets {

  private EcsTaskTargets() {}

  /** One target as ECS registers it: an IP address or an instance id, and a port. */
  public record Target(String id, int port) {}

  /**
   * How many of {@code tasks} are ready.
   *
   * @param tasks the service's tasks (DescribeTasks)
   * @param instanceIds the EC2 instance id of each container instance ARN the tasks name
   *     (DescribeContainerInstances); may lack those of awsvpc tasks
   * @param loadBalancers the service's load balancers (only those with a target group count)
   * @param health each target group's targets (DescribeTargetHealth), by target group ARN; a group
   *     missing here has no healthy target
   */
  public static int ready(
      List<Task> tasks,
      Map<String, String> instanceIds,
      List<LoadBalancer> loadBalancers,
      Map<String, List<TargetHealthDescription>> health) {
    List<LoadBalancer> groups =
        loadBalancers.stream().filter(lb -> lb.targetGroupArn() != null).toList();
    int ready = 0;
    for (Task task : tasks) {
      if (!"RUNNING".equals(task.lastStatus())) continue;
      boolean healthyEverywhere = true;
      for (LoadBalancer lb : groups) {
        Set<Target> healthy = healthyTargets(health.getOrDefault(lb.targetGroupArn(), List.of()));
        if (targetsOf(task, instanceIds, lb).stream().noneMatch(healthy::contains)) {
          healthyEverywhere = false;
          break;
        }
      }
      if (healthyEverywhere) ready++;
    }
    return ready;
  }

  /** The targets ECS would register for {@code task} behind {@code lb}. */
  public static List<Target> targetsOf(
      Task task, Map<String, String> instanceIds, LoadBalancer lb) {
    List<Target> out = new ArrayList<>();
    if (lb.containerPort() == null) return out;
    String ip = privateIp(task);
    if (ip != null) out.add(new Target(ip, lb.containerPort()));
    String instance =
        task.containerInstanceArn() == null ? null : instanceIds.get(task.containerInstanceArn());
    if (instance != null) {
      for (Container c : task.containers()) {
        if (lb.containerName() != null && !lb.containerName().equals(c.name())) continue;
        for (NetworkBinding b : c.networkBindings()) {
          if (Objects.equals(b.containerPort(), lb.containerPort()) && b.hostPort() != null) {
            out.add(new Target(instance, b.hostPort()));
          }
        }
      }
    }
    return out;
  }

  /** The private IPv4 address of the task's ENI (awsvpc), else null. */
  public static String privateIp(Task task) {
    for (Attachment a : task.attachments()) {
      if (!"ElasticNetworkInterface".equals(a.type())) continue;
      for (KeyValuePair d : a.details()) {
        if ("privateIPv4Address".equals(d.name()) && d.value() != null) return d.value();
      }
    }
    return null;
  }

  /**
   * Whether a task is placed on a container instance whose EC2 instance id would be its target (it
   * has no ENI address of its own): only those need DescribeContainerInstances.
   */
  public static boolean needsInstanceId(Task task) {
    return task.containerInstanceArn() != null && privateIp(task) == null;
  }

  private static Set<Target> healthyTargets(List<TargetHealthDescription> descriptions) {
    Set<Target> out = new HashSet<>();
    for (TargetHealthDescription d : descriptions) {
      if (d.target() == null || d.targetHealth() == null || d.target().port() == null) continue;
      if ("healthy".equals(d.targetHealth().stateAsString())) {
        out.add(new Target(d.target().id(), d.target().port()));
      }
    }
    return out;
  }
}
