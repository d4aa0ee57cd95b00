package dev.tidewater.backend.kubernetes.render;

import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.cluster.StorageSettings;
import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.service.ServiceManagedEbsVolumeConfiguration;
import dev.tidewater.api.v1alpha1.service.ServiceVolumeConfiguration;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.api.v1alpha1.taskdefinition.Volume;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Service's managed EBS volumes ({@code volumeConfigurations}) as generic ephemeral volumes: a
 * PersistentVolumeClaim per pod, created with the pod and deleted with it, as ECS creates an EBS
 * volume per task and deletes it when the task stops. The claim asks for {@code sizeInGiB},
 * ReadWriteOnce, from the StorageClass the Cluster names for the volume type ({@code
 * storage.ebsStorageClassByVolumeType}, else {@code storage.ebsStorageClass}, else the cluster's
 * default). What a claim cannot carry (snapshot, IOPS, throughput, encryption, tags, file system
 * type, initialisation rate) belongs to the StorageClass and is a warning.
 */
final class ManagedEbsVolumes {

  private ManagedEbsVolumes() {}

  /**
   * Replaces the placeholder of each configured task volume in {@code pod} (the renderer puts the
   * task's volumes first, in the task's order); returns the indexes of the task volumes replaced.
   */
  static Set<Integer> apply(
      List<ServiceVolumeConfiguration> configurations,
      TaskDefinitionSpec task,
      ClusterSpec cluster,
      PodSpec pod,
      List<StatusWarning> warnings) {
    Set<Integer> replaced = new LinkedHashSet<>();
    if (configurations == null) {
      return replaced;
    }
    List<Volume> volumes = task.volumes == null ? List.of() : task.volumes;
    for (int i = 0; i < configurations.size(); i++) {
      ServiceVolumeConfiguration vc = configurations.get(i);
      String path = "volumeConfigurations[" + i + "]";
      int j = indexOf(volumes, vc.name);
      if (j < 0 || !Boolean.TRUE.equals(volumes.get(j).configuredAtLaunch)) {
        continue; // refused by EcsServiceValidator.volumeConfigurations before rendering
      }
      ServiceManagedEbsVolumeConfiguration ebs = vc.managedEBSVolume;
      if (ebs == null) {
        warnings.add(
            new StatusWarning(
                path,
                MappingReasons.EBS_VOLUME_SETTING_NOT_MAPPED,
                "no managedEBSVolume: the pod keeps an emptyDir for \"" + vc.name + "\""));
        continue;
      }
      String ebsPath = path + ".managedEBSVolume";
      if (ebs.sizeInGiB == null && blank(ebs.snapshotId)) {
        continue; // refused by EcsServiceValidator.volumeConfigurations before rendering
      }
      String storageClass = storageClass(ebs, cluster, ebsPath, warnings);
      unsupported(ebs, storageClass, ebsPath, warnings);
      if (ebs.sizeInGiB == null) {
        warnings.add(
            new StatusWarning(
                ebsPath + ".sizeInGiB",
                MappingReasons.EBS_VOLUME_SETTING_NOT_MAPPED,
                "without sizeInGiB the size would come from the snapshot, which is not restored;"
                    + " the pod keeps an emptyDir for \""
                    + vc.name
                    + "\""));
        continue;
      }
      if (pod.getVolumes() == null || j >= pod.getVolumes().size()) {
        throw new IllegalStateException("the template has no volume " + j + " for " + vc.name);
      }
      String name = pod.getVolumes().get(j).getName();
      pod.getVolumes()
          .set(
              j,
              new VolumeBuilder()
                  .withName(name)
                  .withNewEphemeral()
                  .withNewVolumeClaimTemplate()
                  .withNewSpec()
                  .withAccessModes("ReadWriteOnce")
                  .withStorageClassName(storageClass)
                  .withNewResources()
                  .addToRequests("storage", new Quantity(ebs.sizeInGiB + "Gi"))
                  .endResources()
                  .endSpec()
                  .endVolumeClaimTemplate()
                  .endEphemeral()
                  .build());
      replaced.add(j);
    }
    return replaced;
  }

  private static int indexOf(List<Volume> volumes, String name) {
    for (int j = 0; j < volumes.size(); j++) {
      if (volumes.get(j).name != null && volumes.get(j).name.equals(name)) {
        return j;
      }
    }
    return -1;
  }

  /** The class for the volume type, else the Cluster's EBS class, else null (the default). */
  private static String storageClass(
      ServiceManagedEbsVolumeConfiguration ebs,
      ClusterSpec cluster,
      String path,
      List<StatusWarning> warnings) {
    StorageSettings storage = cluster == null ? null : cluster.storage;
    Map<String, String> byType = storage == null ? null : storage.ebsStorageClassByVolumeType;
    String fallback =
        storage == null || blank(storage.ebsStorageClass) ? null : storage.ebsStorageClass;
    if (blank(ebs.volumeType)) {
      return fallback;
    }
    String typed = byType == null ? null : byType.get(ebs.volumeType.strip());
    if (!blank(typed)) {
      return typed.strip();
    }
    warnings.add(
        new StatusWarning(
            path + ".volumeType",
            MappingReasons.EBS_VOLUME_SETTING_NOT_MAPPED,
            "the Cluster names no StorageClass for volumeType "
                + ebs.volumeType
                + " (storage.ebsStorageClassByVolumeType); the volume gets the type of "
                + className(fallback)));
    return fallback;
  }

  private static void unsupported(
      ServiceManagedEbsVolumeConfiguration ebs,
      String storageClass,
      String path,
      List<StatusWarning> warnings) {
    String ofClass = "; that is a parameter of " + className(storageClass);
    if (!blank(ebs.snapshotId)) {
      warn(
          warnings,
          path + ".snapshotId",
          "the volume starts empty: snapshot "
              + ebs.snapshotId
              + " is not restored (a claim restores only a VolumeSnapshot as its dataSource)");
    }
    if (Boolean.TRUE.equals(ebs.encrypted)) {
      warn(warnings, path + ".encrypted", "encryption is not asked for" + ofClass);
    }
    if (!blank(ebs.kmsKeyId)) {
      warn(warnings, path + ".kmsKeyId", "KMS key " + ebs.kmsKeyId + " is not used" + ofClass);
    }
    if (ebs.iops != null) {
      warn(warnings, path + ".iops", "iops " + ebs.iops + " is not asked for" + ofClass);
    }
    if (ebs.throughput != null) {
      warn(
          warnings,
          path + ".throughput",
          "throughput " + ebs.throughput + " MiB/s is not asked for" + ofClass);
    }
    if (!blank(ebs.filesystemType)) {
      warn(
          warnings,
          path + ".filesystemType",
          "file system " + ebs.filesystemType + " is not asked for" + ofClass);
    }
    if (ebs.volumeInitializationRate != null) {
      warn(
          warnings,
          path + ".volumeInitializationRate",
          "the initialisation rate applies to snapshots, which are not restored");
    }
    if (ebs.tagSpecifications != null && !ebs.tagSpecifications.isEmpty()) {
      warn(warnings, path + ".tagSpecifications", "the volume is not tagged" + ofClass);
    }
  }

  private static String className(String storageClass) {
    return storageClass == null
        ? "the cluster's default StorageClass"
        : "StorageClass " + storageClass;
  }

  private static void warn(List<StatusWarning> warnings, String path, String message) {
    warnings.add(new StatusWarning(path, MappingReasons.EBS_VOLUME_SETTING_NOT_MAPPED, message));
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
