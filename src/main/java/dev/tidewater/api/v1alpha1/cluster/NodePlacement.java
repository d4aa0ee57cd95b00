package dev.tidewater.api.v1alpha1.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/** Node selector and tolerations for one kind of capacity. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodePlacement {

  @JsonPropertyDescription("Node labels pods must match.")
  public Map<String, String> nodeSelector;

  @JsonPropertyDescription("Tolerations pods get.")
  @Size(max = 20)
  public List<Toleration> tolerations;
}
