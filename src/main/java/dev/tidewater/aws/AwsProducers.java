package dev.tidewater.aws;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/** CDI wiring of the AWS layer from {@link AwsSettings}. */
@ApplicationScoped
public class AwsProducers {

  @Produces
  @ApplicationScoped
  AwsCallCounter awsCallCounter(MeterRegistry registry) {
    // tidewater_aws_calls_total / tidewater_aws_throttled_total per api="Service:Operation", as
    // function counters over the counter's own totals: a plain counter incremented before the
    // Prometheus registry is bound (the first reconciles at start-up) would lose those calls
    AtomicReference<AwsCallCounter> self = new AtomicReference<>();
    Set<String> registered = ConcurrentHashMap.newKeySet();
    AwsCallCounter counter =
        new AwsCallCounter(
            new AwsCallCounter.Listener() {
              @Override
              public void called(String key) {
                if (registered.add("calls " + key)) {
                  FunctionCounter.builder("tidewater.aws.calls", self.get(), c -> c.calls(key))
                      .tag("api", key)
                      .register(registry);
                }
              }

              @Override
              public void throttled(String key) {
                if (registered.add("throttled " + key)) {
                  FunctionCounter.builder(
                          "tidewater.aws.throttled", self.get(), c -> c.throttled(key))
                      .tag("api", key)
                      .register(registry);
                }
              }
            });
    self.set(counter);
    return counter;
  }

  @Produces
  @ApplicationScoped
  AwsClientFactory awsClientFactory(AwsSettings settings, AwsCallCounter counter) {
    return new AwsClientFactory(AwsClientOptions.from(settings), counter);
  }

  @Produces
  @ApplicationScoped
  dev.tidewater.backend.aws.ClusterAwsContexts clusterAwsContexts(AwsSettings settings) {
    return new dev.tidewater.backend.aws.ClusterAwsContexts(settings);
  }

  void close(@Disposes AwsClientFactory factory) {
    factory.close();
  }
}
