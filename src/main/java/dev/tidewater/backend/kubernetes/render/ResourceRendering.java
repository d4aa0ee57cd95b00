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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

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

  /** The task-level cpu / memory / ephemeral storage shares per container. */
  record TaskResources(
      Integer taskCpu,
      Integer taskMemory,
      int[] cpuShare,
      int[] memoryShare,
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
    int[] cpuShare = new int[n];
    int[] memoryShare = new int[n];
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
        split(cpu, d -> d.cpu, order, cpuShare);
        r.warn(
            "cpu",
            MappingReasons.TASK_RESOURCES_SPLIT,
            "the API server has no pod-level resources, so task cpu "
                + r.task.cpu
                + " is not a pod total: containers without their own cpu request an even share"
                + " of what the others leave (init containers all of it), and each container"
                + " is limited to the task cpu");
      }
      if (memory != null) {
        split(
            memory,
            d -> d.memoryReservation != null ? d.memoryReservation : d.memory,
            order,
            memoryShare);
        r.warn(
            "memory",
            MappingReasons.TASK_RESOURCES_SPLIT,
            "the API server has no pod-level resources, so task memory "
                + r.task.memory
                + " is not a pod total: containers without their own memory request an even"
                + " share of what the others leave (init containers all of it), and each"
                + " container without its own hard limit is limited to the task memory");
      }
    }
    Integer ephemeral = null;
    int[] ephemeralShare = new int[n];
    if (r.task.ephemeralStorage != null && r.task.ephemeralStorage.sizeInGiB != null) {
      ephemeral = r.task.ephemeralStorage.sizeInGiB * EcsUnits.MIB_PER_GB;
      List<Integer> longRunning = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (order.role(i) != Role.INIT) {
          longRunning.add(i);
        }
      }
      share(ephemeral, longRunning, ephemeralShare);
      r.warn(
          "ephemeralStorage",
          MappingReasons.EPHEMERAL_STORAGE_SPLIT,
          "a pod has no total ephemeral storage; each long-running container requests an even"
              + " share of "
              + r.task.ephemeralStorage.sizeInGiB
              + " GiB and is limited to all of it");
    }
    return new TaskResources(cpu, memory, cpuShare, memoryShare, ephemeral, ephemeralShare);
  }

  /**
   * Shares {@code total} out to the containers without their own value: long-running ones (regular
   * and sidecars, which run together) split what the other long-running ones leave; a
   * run-to-completion init container runs before them and may use the whole task amount.
   */
  private void split(
      int total, Function<ContainerDefinition, Integer> own, ContainerStartOrder order, int[] out) {
    List<Integer> without = new ArrayList<>();
    int used = 0;
    for (int i = 0; i < r.defs.size(); i++) {
      Integer value = own.apply(r.defs.get(i));
      boolean has = value != null && value > 0;
      if (order.role(i) == Role.INIT) {
        out[i] = has ? 0 : total;
      } else if (has) {
        used += value;
      } else {
        without.add(i);
      }
    }
    share(total - used, without, out);
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
    if (d.cpu != null && d.cpu > 0) {
      requests.put("cpu", new Quantity(EcsUnits.millicoresQuantity(d.cpu)));
    } else if (t.cpuShare()[i] > 0) {
      requests.put("cpu", new Quantity(EcsUnits.millicoresQuantity(t.cpuShare()[i])));
    }
    Integer reservation = d.memoryReservation != null ? d.memoryReservation : d.memory;
    if (reservation != null && reservation > 0) {
      requests.put("memory", new Quantity(EcsUnits.mibQuantity(reservation)));
    } else if (t.memoryShare()[i] > 0) {
      requests.put("memory", new Quantity(EcsUnits.mibQuantity(t.memoryShare()[i])));
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
