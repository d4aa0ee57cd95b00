package dev.tidewater.api.v1alpha1.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.Map;

/**
 * The StorageClasses that a Service's managed EBS volumes (volumeConfigurations) are provisioned
 * from on the kubernetes backend.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StorageSettings {

  @JsonPropertyDescription(
      "StorageClass of managed EBS volumes whose volumeType has no entry in ebsStorageClassByVolumeType; absent: the cluster's default StorageClass.")
  @Size(max = 253)
  public String ebsStorageClass;

  @JsonPropertyDescription(
      "StorageClass per EBS volumeType (gp3, gp2, io1, io2, st1, sc1, standard), e.g. {io2: ebs-io2}.")
  public Map<String, String> ebsStorageClassByVolumeType;
}
