package dev.tidewater.backend.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.common.Tag;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTaskSpec;
import dev.tidewater.api.v1alpha1.service.AwsVpcConfiguration;
import dev.tidewater.api.v1alpha1.service.NetworkConfiguration;
import dev.tidewater.api.v1alpha1.service.TaskDefinitionRef;
import dev.tidewater.api.v1alpha1.task.ContainerOverride;
import dev.tidewater.api.v1alpha1.task.TaskOverride;
import dev.tidewater.api.v1alpha1.task.TaskTemplate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.scheduler.model.CreateScheduleRequest;
import software.amazon.awssdk.services.scheduler.model.GetScheduleResponse;
import software.amazon.awssdk.services.scheduler.model.ScheduleState;
import software.amazon.awssdk.services.scheduler.model.UpdateScheduleRequest;

/** The schedule requests of a ScheduledTask, and what counts as a difference worth a write. */
class EcsScheduleRequestsTest {

  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
  private static final Instant CREATED = Instant.parse("2026-12-01T08:03:00Z");
  private static final String CLUSTER = "arn:aws:ecs:eu-west-1:123456789012:cluster/shop";
  private static final String TD =
      "arn:aws:ecs:eu-west-1:123456789012:task-definition/shop_report:4";
  private static final String ROLE =
      "arn:aws:iam::123456789012:role/tidewater/shop_nightly_scheduler";

  private static ScheduledTaskSpec spec() {
    ScheduledTaskSpec s = new ScheduledTaskSpec();
    s.scheduleExpression = "cron(0 2 * * ? *)";
    s.scheduleExpressionTimezone = "Europe/Paris";
    s.task = new TaskTemplate();
    s.task.taskDefinitionRef = new TaskDefinitionRef();
    s.task.taskDefinitionRef.name = "report";
    s.task.count = 3;
    s.task.launchType = "FARGATE";
    s.task.group = "family:report";
    s.task.propagateTags = "TASK_DEFINITION";
    s.task.networkConfiguration = new NetworkConfiguration();
    s.task.networkConfiguration.awsvpcConfiguration = new AwsVpcConfiguration();
    s.task.networkConfiguration.awsvpcConfiguration.subnets = List.of("subnet-1", "subnet-2");
    s.task.networkConfiguration.awsvpcConfiguration.securityGroups = List.of("sg-1");
    s.task.networkConfiguration.awsvpcConfiguration.assignPublicIp = "DISABLED";
    Tag team = new Tag();
    team.key = "team";
    team.value = "data";
    s.task.tags = List.of(team);
    return s;
  }

  private static EcsScheduleRequests.Inputs inputs(ScheduledTaskSpec spec) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("team", "data");
    tags.put("tidewater.dev/uid", "uid-1");
    return new EcsScheduleRequests.Inputs(
        spec,
        "shop_nightly",
        "Tidewater ScheduledTask/shop/nightly uid uid-1",
        CLUSTER,
        TD,
        ROLE,
        tags,
        NOW,
        CREATED);
  }

  @Test
  void theTargetIsTheClusterWithTheRunTaskFieldsAsEcsParameters() {
    CreateScheduleRequest r = EcsScheduleRequests.create(inputs(spec()), "token-1");
    assertThat(r.name()).isEqualTo("shop_nightly");
    assertThat(r.groupName()).isEqualTo("tidewater");
    assertThat(r.clientToken()).isEqualTo("token-1");
    assertThat(r.scheduleExpression()).isEqualTo("cron(0 2 * * ? *)");
    assertThat(r.scheduleExpressionTimezone()).isEqualTo("Europe/Paris");
    assertThat(r.state()).isEqualTo(ScheduleState.ENABLED);
    assertThat(r.flexibleTimeWindow().modeAsString()).isEqualTo("OFF");
    assertThat(r.target().arn()).isEqualTo(CLUSTER);
    assertThat(r.target().roleArn()).isEqualTo(ROLE);
    var ecs = r.target().ecsParameters();
    assertThat(ecs.taskDefinitionArn()).isEqualTo(TD);
    assertThat(ecs.taskCount()).isEqualTo(3);
    assertThat(ecs.launchTypeAsString()).isEqualTo("FARGATE");
    assertThat(ecs.group()).isEqualTo("family:report");
    assertThat(ecs.propagateTagsAsString()).isEqualTo("TASK_DEFINITION");
    assertThat(ecs.networkConfiguration().awsvpcConfiguration().subnets())
        .containsExactly("subnet-1", "subnet-2");
    assertThat(ecs.networkConfiguration().awsvpcConfiguration().securityGroups())
        .containsExactly("sg-1");
    assertThat(ecs.networkConfiguration().awsvpcConfiguration().assignPublicIpAsString())
        .isEqualTo("DISABLED");
    assertThat(ecs.tags())
        .as("each tag as RunTask's Tag: {key, value}, as Terraform and the CDK send them")
        .containsExactly(
            Map.of("key", "team", "value", "data"),
            Map.of("key", "tidewater.dev/uid", "value", "uid-1"));
    assertThat(r.target().input()).isNull();
  }

  @Test
  void pausedIsDisabledAndOverridesAreTheInput() {
    ScheduledTaskSpec s = spec();
    s.paused = true;
    s.task.overrides = new TaskOverride();
    ContainerOverride o = new ContainerOverride();
    o.name = "app";
    o.command = List.of("report", "--daily");
    s.task.overrides.containerOverrides = List.of(o);
    UpdateScheduleRequest r = EcsScheduleRequests.update(inputs(s), null);
    assertThat(r.state()).isEqualTo(ScheduleState.DISABLED);
    assertThat(r.target().input())
        .isEqualTo(
            "{\"containerOverrides\":[{\"name\":\"app\",\"command\":[\"report\",\"--daily\"]}]}");
  }

  @Test
  void aPastStartDateIsMovedUpKeepingTheRatePhase() {
    ScheduledTaskSpec s = spec();
    s.scheduleExpression = "rate(7 minutes)";
    s.startDate = "2026-12-07T09:00:00Z";
    Instant sent = EcsScheduleRequests.update(inputs(s), null).startDate();
    // 09:00 + k*7min, the first not older than 4 minutes before 10:00
    assertThat(sent).isEqualTo(Instant.parse("2026-12-07T09:56:00Z"));
    s.scheduleExpression = "cron(0 2 * * ? *)";
    assertThat(EcsScheduleRequests.update(inputs(s), null).startDate()).isNull();
    s.startDate = "2026-12-08T00:00:00Z";
    assertThat(EcsScheduleRequests.update(inputs(s), null).startDate())
        .isEqualTo(Instant.parse("2026-12-08T00:00:00Z"));
  }

  @Test
  void propagateTagsNoneIsLeftOutAsSchedulerKnowsOnlyTaskDefinition() {
    ScheduledTaskSpec s = spec();
    s.task.propagateTags = "NONE";
    assertThat(EcsScheduleRequests.update(inputs(s), null).target().ecsParameters().propagateTags())
        .isNull();
    // and an unchanged schedule stays unchanged
    UpdateScheduleRequest sent = EcsScheduleRequests.update(inputs(s), null);
    assertThat(EcsScheduleRequests.differences(sent, echoed(sent), s)).isEmpty();
  }

  @Test
  void aTagWithoutValueIsSentAsAKeyAlone() {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("marker", "");
    tags.put("tidewater.dev/uid", "uid-1");
    assertThat(EcsScheduleRequests.tags(tags))
        .containsExactly(
            Map.of("key", "marker"), Map.of("key", "tidewater.dev/uid", "value", "uid-1"));
  }

  @Test
  void aRateWithoutStartDateCountsFromCreationMovedUpByWholeIntervals() {
    ScheduledTaskSpec s = spec();
    s.scheduleExpression = "rate(7 minutes)";
    // created Dec 1 08:03: + k*7min, the first not older than 4 minutes before 10:00 (09:56)
    Instant sent = EcsScheduleRequests.update(inputs(s), null).startDate();
    assertThat(sent).isEqualTo(Instant.parse("2026-12-07T10:00:00Z"));
    // later, another instant of the same phase: no difference, no write
    EcsScheduleRequests.Inputs later =
        new EcsScheduleRequests.Inputs(
            s,
            "shop_nightly",
            inputs(s).description(),
            CLUSTER,
            TD,
            ROLE,
            inputs(s).taskTags(),
            NOW.plusSeconds(3600),
            CREATED);
    UpdateScheduleRequest first = EcsScheduleRequests.update(inputs(s), null);
    assertThat(
            EcsScheduleRequests.differences(
                EcsScheduleRequests.update(later, null), echoed(first), s, CREATED))
        .isEmpty();
    // another phase (a schedule counting from elsewhere) is a difference
    GetScheduleResponse shifted = echoed(first).toBuilder().startDate(sent.plusSeconds(60)).build();
    assertThat(
            EcsScheduleRequests.differences(
                EcsScheduleRequests.update(later, null), shifted, s, CREATED))
        .containsExactly("startDate");
    // a cron still sends none
    s.scheduleExpression = "cron(0 2 * * ? *)";
    assertThat(EcsScheduleRequests.update(inputs(s), null).startDate()).isNull();
  }

  /** GetSchedule's answer for what was sent. */
  private static GetScheduleResponse echoed(UpdateScheduleRequest sent) {
    return GetScheduleResponse.builder()
        .arn("arn:aws:scheduler:eu-west-1:123456789012:schedule/tidewater/shop_nightly")
        .name(sent.name())
        .groupName(sent.groupName())
        .description(sent.description())
        .scheduleExpression(sent.scheduleExpression())
        .scheduleExpressionTimezone(sent.scheduleExpressionTimezone())
        .startDate(sent.startDate())
        .endDate(sent.endDate())
        .state(sent.state())
        .flexibleTimeWindow(sent.flexibleTimeWindow())
        .target(sent.target())
        .build();
  }

  @Test
  void anUnchangedScheduleHasNoDifferenceAndAChangedOneNamesTheFields() {
    ScheduledTaskSpec s = spec();
    UpdateScheduleRequest sent = EcsScheduleRequests.update(inputs(s), null);
    assertThat(EcsScheduleRequests.differences(sent, echoed(sent), s)).isEmpty();

    ScheduledTaskSpec changed = spec();
    changed.task.count = 5;
    changed.paused = true;
    changed.scheduleExpression = "rate(1 hour)";
    assertThat(
            EcsScheduleRequests.differences(
                EcsScheduleRequests.update(inputs(changed), null), echoed(sent), changed))
        .as("a rate is sent with its start (the creation, moved up): a cron had none")
        .containsExactlyInAnyOrder(
            "scheduleExpression", "startDate", "state", "target.ecsParameters.TaskCount");
  }

  @Test
  void aStartDateMovedUpEarlierIsNoDifferenceLater() {
    ScheduledTaskSpec s = spec();
    s.scheduleExpression = "rate(7 minutes)";
    s.startDate = "2026-12-07T09:00:00Z";
    UpdateScheduleRequest then = EcsScheduleRequests.update(inputs(s), null);
    EcsScheduleRequests.Inputs later =
        new EcsScheduleRequests.Inputs(
            s,
            "shop_nightly",
            inputs(s).description(),
            CLUSTER,
            TD,
            ROLE,
            inputs(s).taskTags(),
            NOW.plusSeconds(3600),
            CREATED);
    UpdateScheduleRequest now = EcsScheduleRequests.update(later, null);
    assertThat(now.startDate()).isNotEqualTo(then.startDate());
    assertThat(EcsScheduleRequests.differences(now, echoed(then), s)).isEmpty();
  }
}
