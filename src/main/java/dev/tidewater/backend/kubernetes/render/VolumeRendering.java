package dev.tidewater.backend.kubernetes.render;

import static dev.tidewater.backend.kubernetes.render.PodRendering.blankToNull;
import static dev.tidewater.backend.kubernetes.render.PodRendering.containerPath;
import static dev.tidewater.backend.kubernetes.render.PodRendering.isTrue;

import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.DockerVolumeConfiguration;
import dev.tidewater.api.v1alpha1.taskdefinition.EfsVolumeConfiguration;
import dev.tidewater.api.v1alpha1.taskdefinition.LinuxParameters;
import dev.tidewater.api.v1alpha1.taskdefinition.MountPoint;
import dev.tidewater.api.v1alpha1.taskdefinition.Tmpfs;
import dev.tidewater.api.v1alpha1.taskdefinition.Volume;
import dev.tidewater.api.v1alpha1.taskdefinition.VolumeFrom;
import dev.tidewater.backend.kubernetes.KubernetesNames;
import dev.tidewater.model.EcsUnits;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The volume family: the task's volumes (host paths behind guardrails, EFS as claims, the rest as
 * emptyDirs), mountPoints and volumesFrom, and the memory emptyDirs of sharedMemorySize and tmpfs.
 * Owns the pod's volume names, which must be unique across all of them.
 */
final class VolumeRendering {
  private final PodRendering r;
  private final Set<String> volumeNames = new HashSet<>();
  private final List<io.fabric8.kubernetes.api.model.Volume> volumes = new ArrayList<>();
  private final Map<String, String> volumeNameByEcsName = new HashMap<>();
  private final Map<String, String> efsSubPathByEcsName = new HashMap<>();

  VolumeRendering(PodRendering r) {
    this.r = r;
  }

  /** The pod's volumes so far (the list {@link #containerMounts} still adds to). */
  List<io.fabric8.kubernetes.api.model.Volume> volumes() {
    return volumes;
  }

  private String volumeName(String base) {
    String name = KubernetesNames.dnsLabel(base);
    for (int attempt = 0; volumeNames.contains(name); attempt++) {
      name = KubernetesNames.hashedDnsLabel(base, attempt);
    }
    volumeNames.add(name);
    return name;
  }

  void taskVolumes() {
    List<Volume> taskVolumes = r.task.volumes == null ? List.of() : r.task.volumes;
    for (int j = 0; j < taskVolumes.size(); j++) {
      Volume v = taskVolumes.get(j);
      String path = "volumes[" + j + "]";
      String ecsName = v.name == null ? "volume-" + j : v.name;
      String name = volumeName(ecsName);
      volumeNameByEcsName.putIfAbsent(ecsName, name);
      VolumeBuilder b = new VolumeBuilder().withName(name);
      if (isTrue(v.configuredAtLaunch)) {
        r.warn(
            path + ".configuredAtLaunch",
            MappingReasons.VOLUME_CONFIGURED_AT_LAUNCH,
            "the volume is configured by the Service at launch; the template has an emptyDir"
                + " in its place");
        b.withNewEmptyDir().endEmptyDir();
      } else if (v.efsVolumeConfiguration != null) {
        EfsVolumeConfiguration efs = v.efsVolumeConfiguration;
        String ap =
            efs.authorizationConfig == null
                ? null
                : blankToNull(efs.authorizationConfig.accessPointId);
        String claim =
            KubernetesNames.dnsSubdomain("efs-" + efs.fileSystemId + (ap == null ? "" : "-" + ap));
        b.withNewPersistentVolumeClaim().withClaimName(claim).endPersistentVolumeClaim();
        String root = blankToNull(efs.rootDirectory);
        if (root != null && !root.equals("/")) {
          efsSubPathByEcsName.put(ecsName, root.replaceAll("^/+|/+$", ""));
        }
        r.warn(
            path + ".efsVolumeConfiguration",
            MappingReasons.EFS_NEEDS_PERSISTENT_VOLUME_CLAIM,
            "the pod mounts the PersistentVolumeClaim \""
                + claim
                + "\", which must exist (a PersistentVolume of the EFS CSI driver for "
                + efs.fileSystemId
                + (ap == null ? "" : " access point " + ap)
                + "); transit encryption and IAM authorisation are settings of that volume");
      } else if (v.fsxWindowsFileServerVolumeConfiguration != null) {
        r.warn(
            path + ".fsxWindowsFileServerVolumeConfiguration",
            MappingReasons.FSX_VOLUME_NOT_MAPPED,
            "FSx for Windows File Server is not mounted; the pod gets an empty emptyDir in its"
                + " place (use an SMB CSI PersistentVolumeClaim on Kubernetes)");
        b.withNewEmptyDir().endEmptyDir();
      } else if (v.host != null && blankToNull(v.host.sourcePath) != null) {
        // refused (PodSecurityGuardrails) unless the Cluster allows host paths
        b.withNewHostPath().withPath(v.host.sourcePath).endHostPath();
      } else if (v.dockerVolumeConfiguration != null) {
        dockerVolume(v.dockerVolumeConfiguration, path + ".dockerVolumeConfiguration");
        b.withNewEmptyDir().endEmptyDir();
      } else {
        // A host volume without sourcePath, or a bare name: Docker-managed, task lifetime.
        b.withNewEmptyDir().endEmptyDir();
      }
      volumes.add(b.build());
    }
  }

  private void dockerVolume(DockerVolumeConfiguration d, String path) {
    if ("shared".equals(d.scope)) {
      r.warn(
          path + ".scope",
          MappingReasons.SHARED_VOLUME_NOT_MAPPED,
          "a shared Docker volume outlives tasks on ECS; the pod gets a fresh emptyDir"
              + " (use a PersistentVolumeClaim to share data on Kubernetes)");
    }
    if (blankToNull(d.driver) != null && !"local".equals(d.driver)) {
      r.warn(
          path + ".driver",
          MappingReasons.DOCKER_VOLUME_DRIVER_NOT_MAPPED,
          "Docker volume driver \"" + d.driver + "\" is not used; the pod gets an emptyDir");
    }
    if (d.driverOpts != null && !d.driverOpts.isEmpty()) {
      r.warn(
          path + ".driverOpts",
          MappingReasons.DOCKER_VOLUME_DRIVER_NOT_MAPPED,
          "Docker volume driver options are not used; the pod gets an emptyDir");
    }
    if (d.labels != null && !d.labels.isEmpty()) {
      r.warn(
          path + ".labels",
          MappingReasons.DOCKER_VOLUME_DRIVER_NOT_MAPPED,
          "an emptyDir has no labels");
    }
  }

  /** Volume mounts of each container from mountPoints, then volumesFrom. */
  List<List<VolumeMount>> mounts() {
    List<List<VolumeMount>> own = new ArrayList<>();
    for (int i = 0; i < r.defs.size(); i++) {
      List<VolumeMount> list = new ArrayList<>();
      List<MountPoint> points = r.defs.get(i).mountPoints;
      if (points != null) {
        for (int k = 0; k < points.size(); k++) {
          MountPoint mp = points.get(k);
          String volume = mp.sourceVolume == null ? null : volumeNameByEcsName.get(mp.sourceVolume);
          if (volume == null) {
            r.refuse(
                containerPath(i) + ".mountPoints[" + k + "].sourceVolume",
                MappingReasons.UNKNOWN_VOLUME,
                "mount point names volume \""
                    + mp.sourceVolume
                    + "\", which is not a volume of this task");
            continue;
          }
          VolumeMount m = new VolumeMount();
          m.setName(volume);
          m.setMountPath(mp.containerPath);
          if (isTrue(mp.readOnly)) {
            m.setReadOnly(true);
          }
          m.setSubPath(efsSubPathByEcsName.get(mp.sourceVolume));
          list.add(m);
        }
      }
      own.add(list);
    }
    Map<String, Integer> byName = new HashMap<>();
    for (int i = 0; i < r.defs.size(); i++) {
      byName.putIfAbsent(r.defs.get(i).name, i);
    }
    List<List<VolumeMount>> all = new ArrayList<>();
    for (int i = 0; i < r.defs.size(); i++) {
      List<VolumeMount> list = new ArrayList<>(own.get(i));
      Set<Integer> visited = new HashSet<>();
      visited.add(i);
      addVolumesFrom(i, i, false, own, byName, visited, list, containerPath(i));
      all.add(list);
    }
    return all;
  }

  // Docker copies the source's mounts, including those it got through volumesFrom itself.
  private void addVolumesFrom(
      int target,
      int source,
      boolean forceReadOnly,
      List<List<VolumeMount>> own,
      Map<String, Integer> byName,
      Set<Integer> visited,
      List<VolumeMount> out,
      String pathPrefix) {
    List<VolumeFrom> from = r.defs.get(source).volumesFrom;
    if (from == null) {
      return;
    }
    for (int k = 0; k < from.size(); k++) {
      VolumeFrom vf = from.get(k);
      Integer src = vf.sourceContainer == null ? null : byName.get(vf.sourceContainer);
      if (src == null) {
        if (source == target) {
          r.refuse(
              pathPrefix + ".volumesFrom[" + k + "].sourceContainer",
              MappingReasons.UNKNOWN_SOURCE_CONTAINER,
              "volumesFrom names container \""
                  + vf.sourceContainer
                  + "\", which is not a container of this task");
        }
        continue;
      }
      if (!visited.add(src)) {
        continue;
      }
      boolean ro = forceReadOnly || isTrue(vf.readOnly);
      for (VolumeMount m : own.get(src)) {
        VolumeMount copy = new VolumeMount();
        copy.setName(m.getName());
        copy.setMountPath(m.getMountPath());
        copy.setSubPath(m.getSubPath());
        if (ro || isTrue(m.getReadOnly())) {
          copy.setReadOnly(true);
        }
        out.add(copy);
      }
      addVolumesFrom(target, src, ro, own, byName, visited, out, pathPrefix);
    }
  }

  /**
   * Container {@code i}'s mounts: {@code mounts} (from {@link #mounts}) plus its /dev/shm and tmpfs
   * memory emptyDirs, whose volumes it adds to the pod; one mount per path.
   */
  List<VolumeMount> containerMounts(int i, ContainerDefinition d, List<VolumeMount> mounts) {
    List<VolumeMount> out = new ArrayList<>(mounts);
    LinuxParameters lp = d.linuxParameters;
    if (lp != null) {
      if (lp.sharedMemorySize != null && lp.sharedMemorySize > 0) {
        String name = volumeName(r.containerName(i) + "-dshm");
        volumes.add(memoryEmptyDir(name, lp.sharedMemorySize));
        VolumeMount m = new VolumeMount();
        m.setName(name);
        m.setMountPath("/dev/shm");
        out.add(m);
      }
      if (lp.tmpfs != null) {
        for (int k = 0; k < lp.tmpfs.size(); k++) {
          Tmpfs t = lp.tmpfs.get(k);
          String name = volumeName(r.containerName(i) + "-tmpfs-" + k);
          volumes.add(memoryEmptyDir(name, t.size));
          VolumeMount m = new VolumeMount();
          m.setName(name);
          m.setMountPath(t.containerPath);
          out.add(m);
          if (t.mountOptions != null && !t.mountOptions.isEmpty()) {
            r.warn(
                containerPath(i) + ".linuxParameters.tmpfs[" + k + "].mountOptions",
                MappingReasons.TMPFS_MOUNT_OPTIONS_NOT_MAPPED,
                "a memory emptyDir takes no mount options ("
                    + String.join(",", t.mountOptions)
                    + ")");
          }
        }
      }
    }
    // The API server rejects two mounts at one path; the first (mountPoints first) wins.
    Set<String> paths = new HashSet<>();
    List<VolumeMount> unique = new ArrayList<>();
    for (VolumeMount m : out) {
      if (m.getMountPath() == null || paths.add(m.getMountPath())) {
        unique.add(m);
      } else {
        r.warn(
            containerPath(i) + ".mountPoints",
            MappingReasons.DUPLICATE_MOUNT_PATH,
            "more than one volume is mounted at "
                + m.getMountPath()
                + "; only the first is kept (mountPoints, then volumesFrom, /dev/shm, tmpfs)");
      }
    }
    return unique.isEmpty() ? null : unique;
  }

  private static io.fabric8.kubernetes.api.model.Volume memoryEmptyDir(String name, Integer mib) {
    VolumeBuilder b = new VolumeBuilder().withName(name);
    if (mib != null && mib > 0) {
      b.withNewEmptyDir()
          .withMedium("Memory")
          .withSizeLimit(new Quantity(EcsUnits.mibQuantity(mib)))
          .endEmptyDir();
    } else {
      b.withNewEmptyDir().withMedium("Memory").endEmptyDir();
    }
    return b.build();
  }
}
