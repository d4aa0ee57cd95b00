package dev.tidewater.aws;

import io.micrometer.prometheus.PrometheusMeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

/** CDI wiring of the AWS layer from {@link AwsSettings}. */
@ApplicationScoped
public class AwsProducers {

  @Produces
  @ApplicationScoped
  AwsCallCounter awsCallCounter(PrometheusMeterRegistry registry) {
    // the Prometheus registry itself: see ReconcileMetrics
    // tidewater_aws_calls_total / tidewater_aws_throttled_total per api="Service:Operation"
    return new AwsCallCounter(
        new AwsCallCounter.Listener() {
          @Override
          public void called(String key) {
            registry.counter("tidewater.aws.calls", "api", key).increment();
          }

          @Override
          public void throttled(String key) {
            registry.counter("tidewater.aws.throttled", "api", key).increment();
          }
        });
  }

  @Produces
  @ApplicationScoped
  AwsClientFactory awsClientFactory(
      AwsSettings settings,
      AwsCallCounter counter,
      dev.tidewater.controller.TenancyPolicies tenancy) {
    return new AwsClientFactory(
        AwsClientOptions.from(settings),
        counter,
        java.util.List.of(),
        AwsEndpointTrust.of(settings.endpoint(), tenancy::grantsEndpointAnywhere));
  }

  @Produces
  @ApplicationScoped
  dev.tidewater.backend.aws.ClusterAwsContexts clusterAwsContexts(
      AwsSettings settings,
      AwsClientFactory factory,
      dev.tidewater.controller.TenancyPolicies tenancy) {
    // every Cluster's AWS context passes its namespace's tenancy ceiling
    return new dev.tidewater.backend.aws.ClusterAwsContexts(
        settings, factory::callerAccount, tenancy::ceilingFor);
  }

  void close(@Disposes AwsClientFactory factory) {
    factory.close();
  }
}
