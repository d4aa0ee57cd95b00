package dev.tidewater.backend.kubernetes.render;

import static dev.tidewater.backend.kubernetes.render.PodRendering.blankToNull;
import static dev.tidewater.backend.kubernetes.render.PodRendering.containerPath;
import static dev.tidewater.backend.kubernetes.render.PodRendering.isDigits;

import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.ResourceRequirement;
import dev.tidewater.backend.kubernetes.render.ContainerStartOrder.Role;
import dev.tidewater.model.EcsUnits;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resource family: task cpu, memory and ephemeralStorage (as pod-level resources, or shared out
 * over the containers where the API server has none), container cpu, memory and memoryReservation,
 * and GPUs from resourceRequirements.
 */
final class ResourceRendering {
  private final PodRendering r;

  ResourceRendering(PodRendering r) {
    this.r = r;
  }

  /**
   * What each container requests: {@code cpuMillis[i]} millicores and {@code memoryMib[i]} MiB (0 =
   * no request), and its ephemeral storage share; the task values for the limits.
   */
  record TaskResources(
      Integer taskCpu,
      Integer taskMemory,
      long[] cpuMillis,
      long[] memoryMib,
      Integer ephemeralMib,
      int[] ephemeralShare) {}

  TaskResources taskResources(ContainerStartOrder order) {
    Integer cpu = null;
    Integer memory = null;
    if (blankToNull(r.task.cpu) != null) {
      try {
        cpu = EcsUnits.parseTaskCpu(r.task.cpu);
      } catch (EcsUnits.InvalidUnitException e) {
        r.refuse("cpu", MappingReasons.INVALID_TASK_CPU, e.getMessage());
      }
    }
    if (blankToNull(r.task.memory) != null) {
      try {
        memory = EcsUnits.parseTaskMemory(r.task.memory);
      } catch (EcsUnits.InvalidUnitException e) {
        r.refuse("memory", MappingReasons.INVALID_TASK_MEMORY, e.getMessage());
      }
    }
    int n = r.defs.size();
    long[] ownCpu = new long[n];
    long[] ownMemory = new long[n];
    long[] memoryCap = new long[n];
    for (int i = 0; i < n; i++) {
      ContainerDefinition d = r.defs.get(i);
      ownCpu[i] = d.cpu != null && d.cpu > 0 ? d.cpu : 0;
      Integer reservation = reservation(d);
      ownMemory[i] = reservation != null && reservation > 0 ? reservation : 0;
      memoryCap[i] = d.memory != null && d.memory > 0 ? d.memory : Integer.MAX_VALUE;
    }
    refuseWhatExceedsTheTask(cpu, memory, ownCpu, ownMemory);
    long[] cpuMillis;
    long[] memoryMib;
    if (r.in.podLevelResources() || cpu == null) {
      cpuMillis = ownCpuMillis(ownCpu);
    } else {
      cpuMillis = splitCpu(cpu, ownCpu, order);
    }
    if (r.in.podLevelResources() || memory == null) {
      memoryMib = ownMemory.clone();
    } else {
      memoryMib = splitMemory(memory, ownMemory, memoryCap, order);
    }
    if (r.in.podLevelResources()) {
      ResourceRequirements total = new ResourceRequirements();
      Map<String, Quantity> amounts = new LinkedHashMap<>();
      if (cpu != null) {
        amounts.put("cpu", new Quantity(EcsUnits.millicoresQuantity(cpu)));
      }
      if (memory != null) {
        amounts.put("memory", new Quantity(EcsUnits.mibQuantity(memory)));
      }
      if (!amounts.isEmpty()) {
        total.setRequests(new LinkedHashMap<>(amounts));
        total.setLimits(new LinkedHashMap<>(amounts));
        r.pod.setResources(total);
      }
    } else {
      if (cpu != null) {
        r.warn(
            "cpu",
            MappingReasons.TASK_RESOURCES_SPLIT,
            "the API server has no pod-level resources, so task cpu "
                + r.task.cpu
                + " is not a pod total: the long-running containers request all of it between"
                + " them (their own cpu, the rest shared evenly by those without one, or in"
                + " proportion to their own when all have one), an init container what the"
                + " sidecars running beside it leave, and each container is limited to the task"
                + " cpu");
      }
      if (memory != null) {
        r.warn(
            "memory",
            MappingReasons.TASK_RESOURCES_SPLIT,
            "the API server has no pod-level resources, so task memory "
                + r.task.memory
                + " is not a pod total: the long-running containers request all of it between"
                + " them (their own reservation, the rest shared evenly by those without one, or"
                + " in proportion to their own when all have one, never above a container's"
                + " hard limit), an init container what the sidecars running beside it leave,"
                + " and each container without its own hard limit is limited to the task"
                + " memory");
      }
    }
    Integer ephemeral = null;
    int[] ephemeralShare = new int[n];
    if (r.task.ephemeralStorage != null && r.task.ephemeralStorage.sizeInGiB != null) {
      ephemeral = r.task.ephemeralStorage.sizeInGiB * EcsUnits.MIB_PER_GB;
      List<Integer> longRunning = longRunning(order);
      share(ephemeral, longRunning, ephemeralShare);
      r.warn(
          "ephemeralStorage",
          MappingReasons.EPHEMERAL_STORAGE_SPLIT,
          "a pod has no total ephemeral storage; each long-running container requests an even"
              + " share of "
              + r.task.ephemeralStorage.sizeInGiB
              + " GiB and is limited to all of it");
    }
    return new TaskResources(cpu, memory, cpuMillis, memoryMib, ephemeral, ephemeralShare);
  }

  private static Integer reservation(ContainerDefinition d) {
    return d.memoryReservation != null ? d.memoryReservation : d.memory;
  }

  /**
   * ECS refuses containers that reserve more than the task, and under pod-level resources so does
   * the API server; the validator says so first, this keeps the renderer from emitting it anyway.
   */
  private void refuseWhatExceedsTheTask(
      Integer cpu, Integer memory, long[] ownCpu, long[] ownMemory) {
    long cpuSum = 0;
    long memorySum = 0;
    for (int i = 0; i < r.defs.size(); i++) {
      ContainerDefinition d = r.defs.get(i);
      cpuSum += ownCpu[i];
      memorySum += ownMemory[i];
      if (d.memory != null && d.memoryReservation != null && d.memoryReservation > d.memory) {
        r.refuse(
            containerPath(i) + ".memoryReservation",
            MappingReasons.MEMORY_RESERVATION_ABOVE_MEMORY,
            "memoryReservation "
                + d.memoryReservation
                + " MiB is more than memory "
                + d.memory
                + " MiB: a request above the limit");
      }
      if (memory != null && d.memory != null && d.memory > memory) {
        r.refuse(
            containerPath(i) + ".memory",
            MappingReasons.CONTAINER_MEMORY_EXCEEDS_TASK,
            "memory " + d.memory + " MiB is more than the task memory " + memory + " MiB");
      }
    }
    if (cpu != null && cpuSum > cpu) {
      r.refuse(
          "cpu",
          MappingReasons.CONTAINER_CPU_TOTAL_EXCEEDS_TASK,
          "the containers ask for "
              + cpuSum
              + " CPU units in total, more than the task cpu "
              + cpu);
    }
    if (memory != null && memorySum > memory) {
      r.refuse(
          "memory",
          MappingReasons.CONTAINER_MEMORY_TOTAL_EXCEEDS_TASK,
          "the containers reserve "
              + memorySum
              + " MiB in total, more than the task memory "
              + memory
              + " MiB");
    }
  }

  /** The containers' own cpu in millicores, rounded together (see {@link ResourceShares}). */
  private static long[] ownCpuMillis(long[] ownCpu) {
    ResourceShares.Exact exact = ResourceShares.whole(ownCpu).scaled(1000, EcsUnits.UNITS_PER_VCPU);
    long[] millis = ResourceShares.largestRemainder(exact, exact.ceilTotal());
    ResourceShares.atLeastOne(millis, positive(ownCpu));
    return millis;
  }

  /**
   * Task cpu without pod-level resources: the long-running containers request exactly the task's
   * millicores between them, an init container what the sidecars started before it leave.
   */
  private long[] splitCpu(int cpu, long[] ownCpu, ContainerStartOrder order) {
    long taskMillis = EcsUnits.unitsToMillicores(cpu);
    List<Integer> longRunning = longRunning(order);
    long[] cap = new long[ownCpu.length];
    Arrays.fill(cap, cpu);
    ResourceShares.Exact exact =
        ResourceShares.fill(cpu, ownCpu, cap, longRunning).scaled(1000, EcsUnits.UNITS_PER_VCPU);
    long[] millis = ResourceShares.largestRemainder(exact, exact.ceilTotal());
    // every long-running container requests something, even where the others' own amounts fill
    // the task: an HPA computes nothing for a pod with a container without a request
    ResourceShares.atLeastOne(millis, longRunningFlags(order, ownCpu.length));
    long[] limit = new long[ownCpu.length];
    Arrays.fill(limit, taskMillis);
    initRequests(millis, taskMillis, ownCpuMillis(ownCpu), limit, order);
    return millis;
  }

  /** As {@link #splitCpu}, in MiB; no container requests more than its own hard limit. */
  private long[] splitMemory(
      int memory, long[] ownMemory, long[] memoryCap, ContainerStartOrder order) {
    long[] cap = new long[memoryCap.length];
    for (int i = 0; i < cap.length; i++) {
      cap[i] = Math.min(memoryCap[i], memory);
    }
    ResourceShares.Exact exact = ResourceShares.fill(memory, ownMemory, cap, longRunning(order));
    long[] mib = ResourceShares.largestRemainder(exact, exact.ceilTotal());
    ResourceShares.atLeastOne(mib, longRunningFlags(order, ownMemory.length));
    initRequests(mib, memory, ownMemory, memoryCap, order);
    return mib;
  }

  private static boolean[] longRunningFlags(ContainerStartOrder order, int n) {
    boolean[] flags = new boolean[n];
    for (int i = 0; i < n; i++) {
      flags[i] = order.role(i) != Role.INIT;
    }
    return flags;
  }

  /**
   * Sets the requests of the run-to-completion init containers: the task amount less the sidecars
   * started before each (they keep running beside it), no more than its own amount when it has one
   * and its limit. So the pod's effective request, max(init + sidecars before it, all long-running
   * containers), is the task amount.
   */
  private static void initRequests(
      long[] amounts, long task, long[] own, long[] cap, ContainerStartOrder order) {
    long sidecars = 0;
    for (int i : order.initOrder()) {
      if (order.role(i) == Role.SIDECAR) {
        sidecars += amounts[i];
      } else if (order.role(i) == Role.INIT) {
        long available = Math.max(task - sidecars, 0);
        long request = own[i] > 0 ? Math.min(own[i], available) : available;
        amounts[i] = Math.min(request, cap[i]);
      }
    }
  }

  private List<Integer> longRunning(ContainerStartOrder order) {
    List<Integer> longRunning = new ArrayList<>();
    for (int i = 0; i < r.defs.size(); i++) {
      if (order.role(i) != Role.INIT) {
        longRunning.add(i);
      }
    }
    return longRunning;
  }

  private static boolean[] positive(long[] values) {
    boolean[] out = new boolean[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i] > 0;
    }
    return out;
  }

  // Even split of amount across the indexes; the first ones get the remainder of the division.
  private static void share(int amount, List<Integer> indexes, int[] out) {
    if (amount <= 0 || indexes.isEmpty()) {
      return;
    }
    int each = amount / indexes.size();
    int rest = amount % indexes.size();
    for (int k = 0; k < indexes.size(); k++) {
      out[indexes.get(k)] = each + (k < rest ? 1 : 0);
    }
  }

  ResourceRequirements containerResources(int i, ContainerDefinition d, TaskResources t) {
    Map<String, Quantity> requests = new LinkedHashMap<>();
    Map<String, Quantity> limits = new LinkedHashMap<>();
    if (t.cpuMillis()[i] > 0) {
      requests.put("cpu", new Quantity(EcsUnits.millicores(t.cpuMillis()[i])));
    }
    Integer reservation = reservation(d);
    if (t.memoryMib()[i] > 0) {
      requests.put("memory", new Quantity(EcsUnits.mibQuantity((int) t.memoryMib()[i])));
    }
    if (!r.in.podLevelResources() && t.taskCpu() != null) {
      limits.put("cpu", new Quantity(EcsUnits.millicoresQuantity(t.taskCpu())));
    }
    if (d.memory != null && d.memory > 0) {
      limits.put("memory", new Quantity(EcsUnits.mibQuantity(d.memory)));
    } else if (!r.in.podLevelResources() && t.taskMemory() != null) {
      int limit = Math.max(t.taskMemory(), reservation == null ? 0 : reservation);
      limits.put("memory", new Quantity(EcsUnits.mibQuantity(limit)));
    }
    if (t.ephemeralMib() != null && t.ephemeralShare()[i] > 0) {
      requests.put("ephemeral-storage", new Quantity(EcsUnits.mibQuantity(t.ephemeralShare()[i])));
      limits.put("ephemeral-storage", new Quantity(EcsUnits.mibQuantity(t.ephemeralMib())));
    }
    if (d.resourceRequirements != null) {
      for (int k = 0; k < d.resourceRequirements.size(); k++) {
        ResourceRequirement req = d.resourceRequirements.get(k);
        String path = containerPath(i) + ".resourceRequirements[" + k + "]";
        if ("GPU".equalsIgnoreCase(req.type)) {
          String v = req.value == null ? "" : req.value.strip();
          if (!isDigits(v) || Integer.parseInt(v) <= 0) {
            r.refuse(
                path + ".value",
                MappingReasons.INVALID_GPU_COUNT,
                "GPU count \"" + req.value + "\" is not a positive whole number");
            continue;
          }
          requests.put(PodTemplateRenderer.GPU_RESOURCE, new Quantity(v));
          limits.put(PodTemplateRenderer.GPU_RESOURCE, new Quantity(v));
        } else {
          r.warn(
              path,
              MappingReasons.INFERENCE_ACCELERATOR_NOT_MAPPED,
              "Elastic Inference accelerator \"" + req.value + "\" does not exist on Kubernetes");
        }
      }
    }
    if (requests.isEmpty() && limits.isEmpty()) {
      return null;
    }
    ResourceRequirements rr = new ResourceRequirements();
    if (!requests.isEmpty()) {
      rr.setRequests(requests);
    }
    if (!limits.isEmpty()) {
      rr.setLimits(limits);
    }
    return rr;
  }
}
