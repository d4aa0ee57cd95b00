package dev.tidewater.backend.kubernetes.render;

import static dev.tidewater.backend.kubernetes.render.PodRendering.blankToNull;
import static dev.tidewater.backend.kubernetes.render.PodRendering.containerPath;
import static dev.tidewater.backend.kubernetes.render.PodRendering.isTrue;

import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerRestartPolicy;
import dev.tidewater.api.v1alpha1.taskdefinition.LinuxParameters;

/**
 * Warnings for the task and container fields with no Kubernetes counterpart (or only a rough one),
 * which no other family owns: proxy, accelerators, fault injection, links, logging, ulimits,
 * restart policy, devices, swap, init process.
 */
final class UnmappedFields {
  private final PodRendering r;

  UnmappedFields(PodRendering r) {
    this.r = r;
  }

  void taskFields() {
    if (r.task.proxyConfiguration != null) {
      r.warn(
          "proxyConfiguration",
          MappingReasons.PROXY_CONFIGURATION_NOT_MAPPED,
          "the App Mesh proxy container runs, but no traffic is redirected through it (no"
              + " iptables init); use a service mesh's own injection on Kubernetes");
    }
    if (r.task.inferenceAccelerators != null && !r.task.inferenceAccelerators.isEmpty()) {
      r.warn(
          "inferenceAccelerators",
          MappingReasons.INFERENCE_ACCELERATOR_NOT_MAPPED,
          "Elastic Inference accelerators do not exist on Kubernetes; request GPUs instead");
    }
    if (isTrue(r.task.enableFaultInjection)) {
      r.warn(
          "enableFaultInjection",
          MappingReasons.FAULT_INJECTION_NOT_MAPPED,
          "ECS fault injection endpoints are not available in the pod");
    }
    if (blankToNull(r.task.taskRoleArn) != null && r.task.taskRoleRef == null) {
      r.warn(
          "taskRoleArn",
          MappingReasons.TASK_ROLE_ARN_NEEDS_TASK_ROLE,
          "a literal task role ARN gives the pod no credentials on Kubernetes; use taskRoleRef"
              + " to a TaskRole, which becomes the pod's ServiceAccount");
    }
  }

  void containerFields(int i, ContainerDefinition d) {
    String p = containerPath(i);
    if (d.links != null && !d.links.isEmpty()) {
      r.warn(
          p + ".links",
          MappingReasons.LINKS_NOT_MAPPED,
          "containers of a pod reach each other on localhost; link aliases are not defined");
    }
    if (d.logConfiguration != null) {
      r.warn(
          p + ".logConfiguration",
          MappingReasons.LOG_CONFIGURATION_NOT_MAPPED,
          "log driver "
              + d.logConfiguration.logDriver
              + " is not used: container output goes to the node's log collector");
    }
    if (d.firelensConfiguration != null) {
      r.warn(
          p + ".firelensConfiguration",
          MappingReasons.FIRELENS_CONFIGURATION_NOT_MAPPED,
          "the log router container runs, but no container's logs are routed to it");
    }
    if (d.environmentFiles != null && !d.environmentFiles.isEmpty()) {
      r.warn(
          p + ".environmentFiles",
          MappingReasons.ENVIRONMENT_FILES_NOT_MAPPED,
          "environment files in S3 are not loaded; use environment or a ConfigMap");
    }
    if (d.ulimits != null && !d.ulimits.isEmpty()) {
      r.warn(
          p + ".ulimits",
          MappingReasons.ULIMITS_NOT_MAPPED,
          "Kubernetes has no per-container ulimits; the container runtime's defaults apply");
    }
    if (d.startTimeout != null) {
      r.warn(
          p + ".startTimeout",
          MappingReasons.START_TIMEOUT_NOT_MAPPED,
          "Kubernetes waits for dependencies without a time limit (startup probes bound"
              + " HEALTHY waits)");
    }
    if (d.credentialSpecs != null && !d.credentialSpecs.isEmpty()) {
      r.warn(
          p + ".credentialSpecs",
          MappingReasons.CREDENTIAL_SPECS_NOT_MAPPED,
          "gMSA credential specs need a GMSACredentialSpec resource on Kubernetes; not applied");
    }
    if (isTrue(d.disableNetworking)) {
      r.warn(
          p + ".disableNetworking",
          MappingReasons.DISABLE_NETWORKING_NOT_MAPPED,
          "containers of a pod share its network; networking cannot be disabled for one");
    }
    ContainerRestartPolicy rp = d.restartPolicy;
    if (rp != null && isTrue(rp.enabled)) {
      if (rp.ignoredExitCodes != null && !rp.ignoredExitCodes.isEmpty()) {
        r.warn(
            p + ".restartPolicy.ignoredExitCodes",
            MappingReasons.RESTART_POLICY_APPROXIMATED,
            "Kubernetes restarts the container whatever its exit code");
      }
      if (rp.restartAttemptPeriod != null) {
        r.warn(
            p + ".restartPolicy.restartAttemptPeriod",
            MappingReasons.RESTART_POLICY_APPROXIMATED,
            "Kubernetes restarts with its own exponential back-off");
      }
    }
    LinuxParameters lp = d.linuxParameters;
    if (lp != null) {
      if (lp.devices != null && !lp.devices.isEmpty()) {
        r.warn(
            p + ".linuxParameters.devices",
            MappingReasons.DEVICES_NOT_MAPPED,
            "host devices are not exposed; use a device plugin resource on Kubernetes");
      }
      if (lp.maxSwap != null) {
        r.warn(
            p + ".linuxParameters.maxSwap",
            MappingReasons.SWAP_NOT_MAPPED,
            "swap is a node setting on Kubernetes");
      }
      if (lp.swappiness != null) {
        r.warn(
            p + ".linuxParameters.swappiness",
            MappingReasons.SWAP_NOT_MAPPED,
            "swappiness is a node setting on Kubernetes");
      }
      if (isTrue(lp.initProcessEnabled) && "host".equals(blankToNull(r.task.pidMode))) {
        // the host's PID namespace has its own init; Kubernetes refuses sharing the pod's as well
        r.warn(
            p + ".linuxParameters.initProcessEnabled",
            MappingReasons.INIT_PROCESS_APPROXIMATED,
            "with pidMode host the containers run in the host's process namespace, whose init"
                + " reaps zombies; no init process is added");
      } else if (isTrue(lp.initProcessEnabled)) {
        r.pod.setShareProcessNamespace(true);
        r.warn(
            p + ".linuxParameters.initProcessEnabled",
            MappingReasons.INIT_PROCESS_APPROXIMATED,
            "the pod shares one process namespace, whose PID 1 (the pause process) reaps"
                + " zombies; the containers also see each other's processes");
      }
    }
  }
}
