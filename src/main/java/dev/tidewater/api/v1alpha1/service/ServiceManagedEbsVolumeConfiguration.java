package dev.tidewater.api.v1alpha1.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** An EBS volume ECS creates per task. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceManagedEbsVolumeConfiguration {

  @JsonPropertyDescription("Encrypt the volume.")
  public Boolean encrypted;

  @JsonPropertyDescription("KMS key.")
  public String kmsKeyId;

  @JsonPropertyDescription("gp3, gp2, io1, io2, st1, sc1, standard.")
  public String volumeType;

  @JsonPropertyDescription("Size in GiB.")
  @Min(1)
  public Integer sizeInGiB;

  @JsonPropertyDescription("Snapshot to create from.")
  public String snapshotId;

  @JsonPropertyDescription("MiB/s to initialise from a snapshot.")
  @Min(0)
  public Integer volumeInitializationRate;

  @JsonPropertyDescription("IOPS.")
  @Min(0)
  public Integer iops;

  @JsonPropertyDescription("Throughput in MiB/s.")
  @Min(0)
  public Integer throughput;

  @JsonPropertyDescription("Tags.")
  @Size(max = 10)
  public List<EbsTagSpecification> tagSpecifications;

  @JsonPropertyDescription("Infrastructure role ECS uses to manage the volume.")
  @Required
  public String roleArn;

  @JsonPropertyDescription("ext3, ext4, xfs or ntfs.")
  @SchemaEnum({"ext3", "ext4", "xfs", "ntfs"})
  public String filesystemType;
}
