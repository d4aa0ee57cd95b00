package dev.tidewater.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tidewater.api.v1alpha1.service.EcsServiceSpec;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * Our API covers the ECS API: walks the AWS SDK's request models field by field (recursively) and
 * fails on any SDK field that is neither in our classes, with a compatible type, nor on the
 * documented exclusion list below; and on any field of ours that is neither in the SDK nor a
 * documented Tidewater-only field.
 */
class ApiCoversSdkModelsTest {

  /** SDK fields deliberately not in our API, with why. Keys: SdkModel.field. */
  static final Map<String, String> EXCLUDED =
      Map.of(
          "CreateServiceRequest.cluster",
          "the ECS cluster comes from the Cluster resource (clusterRef)",
          "CreateServiceRequest.serviceName",
          "the service name derives from metadata.name (AwsNames, ECS_SERVICE)",
          "CreateServiceRequest.taskDefinition",
          "replaced by taskDefinitionRef: a TaskDefinition resource and an optional pinned revision",
          "CreateServiceRequest.clientToken",
          "the operator generates it from the resource uid, for crash-safe CreateService");

  /** Our fields with no SDK counterpart, with why. Keys: OurClass.field. */
  static final Map<String, String> TIDEWATER_ONLY =
      Map.ofEntries(
          Map.entry("TaskDefinitionSpec.clusterRef", "which Cluster (backend) the resource uses"),
          Map.entry("TaskDefinitionSpec.taskRoleRef", "a TaskRole resource instead of an ARN"),
          Map.entry("TaskDefinitionSpec.executionRoleRef", "a TaskRole resource instead of an ARN"),
          Map.entry(
              "TaskDefinitionSpec.revisionHistoryLimit", "revisions kept beyond those in use"),
          Map.entry("TaskDefinitionSpec.deletionPolicy", "Delete or Retain on deletion"),
          Map.entry("TaskDefinitionSpec.adopt", "register in a family whose revisions others made"),
          Map.entry("EcsServiceSpec.clusterRef", "which Cluster (backend) the resource uses"),
          Map.entry("EcsServiceSpec.taskDefinitionRef", "replaces taskDefinition"),
          Map.entry("EcsServiceSpec.autoscaling", "Application Auto Scaling / HPA settings"),
          Map.entry("EcsServiceSpec.deletionPolicy", "Delete or Retain on deletion"),
          Map.entry("EcsServiceSpec.adopt", "take over an existing service of the same name"));

  private final List<String> missing = new ArrayList<>();
  private final List<String> extra = new ArrayList<>();
  private final List<String> wrongType = new ArrayList<>();

  @Test
  void taskDefinitionSpecCoversRegisterTaskDefinitionRequest() {
    compare(RegisterTaskDefinitionRequest::builder, TaskDefinitionSpec.class);
    assertCovered();
  }

  @Test
  void serviceSpecCoversCreateServiceRequest() {
    compare(CreateServiceRequest::builder, EcsServiceSpec.class);
    assertCovered();
  }

  @Test
  void exclusionListIsShortAndJustified() {
    assertThat(EXCLUDED)
        .hasSizeLessThanOrEqualTo(6)
        .allSatisfy((k, why) -> assertThat(why).isNotBlank());
  }

  private void assertCovered() {
    assertThat(missing)
        .as("SDK fields missing from our API (add them or exclude with a reason)")
        .isEmpty();
    assertThat(wrongType).as("fields whose type differs from the SDK's").isEmpty();
    assertThat(extra)
        .as("our fields unknown to the SDK (typo, or document as Tidewater-only)")
        .isEmpty();
  }

  private void compare(Supplier<? extends SdkBuilder<?, ?>> builder, Class<?> ours) {
    SdkPojo sdk = (SdkPojo) builder.get().build();
    String sdkName = sdk.getClass().getSimpleName();
    Map<String, Field> fields = publicFields(ours);
    for (SdkField<?> f : sdk.sdkFields()) {
      String name = f.locationName();
      String key = sdkName + "." + name;
      if (EXCLUDED.containsKey(key)) {
        assertThat(fields).as("%s is excluded but present", key).doesNotContainKey(name);
        continue;
      }
      Field field = fields.remove(name);
      if (field == null) {
        missing.add(key);
        continue;
      }
      checkType(key, f, field);
    }
    for (String name : fields.keySet()) {
      String key = ours.getSimpleName() + "." + name;
      if (!TIDEWATER_ONLY.containsKey(key)) {
        extra.add(key);
      }
    }
  }

  private void checkType(String key, SdkField<?> f, Field field) {
    MarshallingType<?> t = f.marshallingType();
    Class<?> type = field.getType();
    if (t == MarshallingType.STRING || t == MarshallingType.INSTANT) {
      expect(key, type, String.class);
    } else if (t == MarshallingType.INTEGER) {
      expect(key, type, Integer.class);
    } else if (t == MarshallingType.BOOLEAN) {
      expect(key, type, Boolean.class);
    } else if (t == MarshallingType.DOUBLE) {
      expect(key, type, Double.class);
    } else if (t == MarshallingType.DOCUMENT) {
      expect(key, type, JsonNode.class);
    } else if (t == MarshallingType.MAP) {
      expect(key, type, Map.class);
      MapTrait trait = f.getTrait(MapTrait.class);
      if (trait.valueFieldInfo().marshallingType() != MarshallingType.STRING) {
        wrongType.add(key + " (map of non-strings is not modelled)");
      }
    } else if (t == MarshallingType.LIST) {
      expect(key, type, List.class);
      SdkField<?> member = f.getTrait(ListTrait.class).memberFieldInfo();
      Class<?> element = elementClass(field);
      if (member.marshallingType() == MarshallingType.SDK_POJO) {
        compare(() -> (SdkBuilder<?, ?>) member.constructor().get(), element);
      } else if (member.marshallingType() == MarshallingType.STRING) {
        expect(key + "[]", element, String.class);
      } else if (member.marshallingType() == MarshallingType.INTEGER) {
        expect(key + "[]", element, Integer.class);
      } else {
        wrongType.add(key + "[] (" + member.marshallingType() + " not modelled)");
      }
    } else if (t == MarshallingType.SDK_POJO) {
      compare(() -> (SdkBuilder<?, ?>) f.constructor().get(), type);
    } else {
      wrongType.add(key + " (" + t + " not modelled)");
    }
  }

  private void expect(String key, Class<?> actual, Class<?> expected) {
    if (actual != expected) {
      wrongType.add(key + ": ours " + actual.getSimpleName() + ", SDK " + expected.getSimpleName());
    }
  }

  private static Class<?> elementClass(Field field) {
    if (field.getGenericType() instanceof ParameterizedType p
        && p.getActualTypeArguments()[0] instanceof Class<?> c) {
      return c;
    }
    return Object.class;
  }

  private static Map<String, Field> publicFields(Class<?> type) {
    Map<String, Field> out = new LinkedHashMap<>();
    for (Field f : type.getFields()) {
      if (!Modifier.isStatic(f.getModifiers())) {
        out.put(f.getName(), f);
      }
    }
    return out;
  }

  @Test
  void theWalkReallyChecksNestedFields() {
    // a guard that the comparison is not vacuous: the walk reaches deep SDK fields
    compare(RegisterTaskDefinitionRequest::builder, Object.class);
    assertThat(missing)
        .contains(
            "RegisterTaskDefinitionRequest.containerDefinitions",
            "RegisterTaskDefinitionRequest.family");
    missing.clear();
    compare(
        () -> software.amazon.awssdk.services.ecs.model.ContainerDefinition.builder(),
        dev.tidewater.api.v1alpha1.taskdefinition.Volume.class);
    assertThat(missing)
        .contains("ContainerDefinition.linuxParameters", "ContainerDefinition.image");
    assertThat(Set.copyOf(extra)).contains("Volume.efsVolumeConfiguration");
  }
}
