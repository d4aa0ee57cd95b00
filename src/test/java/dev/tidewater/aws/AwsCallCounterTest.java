package dev.tidewater.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

class AwsCallCounterTest {

  private static ExecutionAttributes call(String service, String operation) {
    ExecutionAttributes attributes = new ExecutionAttributes();
    attributes.putAttribute(SdkExecutionAttribute.SERVICE_NAME, service);
    attributes.putAttribute(SdkExecutionAttribute.OPERATION_NAME, operation);
    return attributes;
  }

  @Test
  void countsCallsAndAttemptsPerApiAndTellsItsListeners() {
    List<String> heard = new ArrayList<>();
    AwsCallCounter counter =
        new AwsCallCounter(
            new AwsCallCounter.Listener() {
              @Override
              public void called(String key) {
                heard.add("call " + key);
              }

              @Override
              public void throttled(String key) {
                heard.add("throttled " + key);
              }
            });
    ExecutionAttributes describe = call("Ecs", "DescribeServices");

    counter.beforeExecution(null, describe);
    counter.beforeTransmission(null, describe);
    counter.beforeTransmission(null, describe);
    counter.beforeExecution(null, call("Iam", "GetRole"));

    assertThat(counter.calls("Ecs", "DescribeServices")).isEqualTo(1);
    assertThat(counter.snapshot().get("Ecs:DescribeServices").attempts()).isEqualTo(2);
    assertThat(counter.totalCalls()).isEqualTo(2);
    assertThat(heard).containsExactly("call Ecs:DescribeServices", "call Iam:GetRole");
  }
}
