package dev.tidewater.aws;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

/** CDI wiring of the AWS layer from {@link AwsSettings}. */
@ApplicationScoped
public class AwsProducers {

  @Produces
  @ApplicationScoped
  AwsCallCounter awsCallCounter() {
    return new AwsCallCounter();
  }

  @Produces
  @ApplicationScoped
  AwsClientFactory awsClientFactory(AwsSettings settings, AwsCallCounter counter) {
    return new AwsClientFactory(AwsClientOptions.from(settings), counter);
  }

  void close(@Disposes AwsClientFactory factory) {
    factory.close();
  }
}
