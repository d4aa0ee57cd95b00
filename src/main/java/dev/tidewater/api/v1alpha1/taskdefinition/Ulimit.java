package dev.tidewater.api.v1alpha1.taskdefinition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;
import io.fabric8.generator.annotation.Required;

/** A ulimit of the container. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Ulimit {

  @JsonPropertyDescription("The ulimit name.")
  @Required
  @SchemaEnum({
    "core",
    "cpu",
    "data",
    "fsize",
    "locks",
    "memlock",
    "msgqueue",
    "nice",
    "nofile",
    "nproc",
    "rss",
    "rtprio",
    "rttime",
    "sigpending",
    "stack"
  })
  public String name;

  @JsonPropertyDescription("Soft limit.")
  @Required
  public Integer softLimit;

  @JsonPropertyDescription("Hard limit.")
  @Required
  public Integer hardLimit;
}
