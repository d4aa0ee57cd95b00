package dev.tidewater.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Drift read from managedFields, against Deployments as the test ground's API server returned them:
 * {@code desired.yaml} applied with Tidewater's field manager, then changed by kubectl (see each
 * fixture's name).
 */
class AppliedFieldsTest {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final Path DIR = Path.of("src/test/resources/applied-fields");

  private static Deployment read(String file) {
    try {
      return JSON.unmarshal(Files.readString(DIR.resolve(file)), Deployment.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Deployment desired(String name) {
    Deployment d = read("desired.yaml");
    d.getMetadata().setName(name);
    return d;
  }

  @Test
  void anObjectAsWeAppliedItHasNoDrift() {
    assertThat(AppliedFields.lostField(desired("fresh"), read("fresh.json"))).isEmpty();
  }

  @Test
  void kubectlScaleTakesTheReplicas() {
    assertThat(AppliedFields.lostField(desired("scaled"), read("scaled.json")))
        .contains("spec.replicas");
  }

  @Test
  void kubectlSetImageTakesTheContainersImage() {
    assertThat(AppliedFields.lostField(desired("image"), read("image.json")))
        .contains("spec.template.spec.containers[0].image");
  }

  @Test
  void aLabelOfOursRemovedIsDrift() {
    assertThat(AppliedFields.lostField(desired("unlabelled"), read("unlabelled.json")))
        .contains("metadata.labels.keep");
  }

  @Test
  void anEnvironmentVariableOfOursRemovedIsDrift() {
    assertThat(AppliedFields.lostField(desired("envremoved"), read("envremoved.json")))
        .contains("spec.template.spec.containers[0].env");
  }

  @Test
  void anotherManagersAnnotationIsNotDrift() {
    assertThat(AppliedFields.lostField(desired("annotated"), read("annotated.json"))).isEmpty();
  }

  @Test
  void aWriteOfTheSameValueIsNotDrift() {
    assertThat(AppliedFields.lostField(desired("sameimage"), read("sameimage.json"))).isEmpty();
  }

  @Test
  void aFieldWeStartSettingIsNotOursYet() {
    Deployment more = desired("fresh");
    more.getMetadata().getAnnotations().put("new", "1");

    assertThat(AppliedFields.lostField(more, read("fresh.json")))
        .contains("metadata.annotations.new");
  }

  @Test
  void anObjectWithoutManagedFieldsCannotTellAndIsLeftAlone() {
    Deployment bare = read("scaled.json");
    bare.getMetadata().setManagedFields(null);

    assertThat(AppliedFields.lostField(desired("scaled"), bare)).isEmpty();
  }

  @Test
  void anObjectNeverAppliedByUsIsDrift() {
    Deployment foreign = read("fresh.json");
    foreign.getMetadata().getManagedFields().removeIf(e -> e.getManager().equals("tidewater"));

    assertThat(AppliedFields.drifted(desired("fresh"), foreign)).isTrue();
  }
}
