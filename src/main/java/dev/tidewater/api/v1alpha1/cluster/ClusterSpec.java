package dev.tidewater.api.v1alpha1.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;

/** Where workloads run. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClusterSpec {

  /** {@code kubernetes} (the default) or {@code ecs}. */
  @Pattern("^(kubernetes|ecs)$")
  private String backend;

  public String getBackend() {
    return backend;
  }

  public void setBackend(String backend) {
    this.backend = backend;
  }
}
