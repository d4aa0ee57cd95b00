package dev.tidewater.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Builds (and caches per {@link AwsContext}) the AWS clients every backend uses, all with the same
 * retry strategy, client-side rate limits, call counting and endpoint override.
 */
public final class AwsClientFactory implements AutoCloseable {

  private record Key(AwsContext context, Class<?> type) {}

  private final AwsClientOptions options;
  private final AwsCallCounter counter;
  private final List<ExecutionInterceptor> extraInterceptors;
  private final AwsEndpointTrust trust;
  private final Map<String, ActionRateLimiter> limiters = new ConcurrentHashMap<>();
  private final Map<Key, SdkClient> clients = new ConcurrentHashMap<>();
  private final Map<AwsContext, String> accounts = new ConcurrentHashMap<>();
  private final SdkHttpClient httpClient = UrlConnectionHttpClient.builder().build();

  public AwsClientFactory(AwsClientOptions options, AwsCallCounter counter) {
    this(options, counter, List.of());
  }

  /**
   * @param extraInterceptors run after counting and rate limiting (tests inject faults here)
   */
  public AwsClientFactory(
      AwsClientOptions options,
      AwsCallCounter counter,
      List<ExecutionInterceptor> extraInterceptors) {
    this(options, counter, extraInterceptors, AwsEndpointTrust.ANY);
  }

  /**
   * @param trust the endpoint overrides clients may be built for and whose error text is shown (the
   *     operator's: {@link AwsEndpointTrust#of}; tests building their own clients: {@link
   *     AwsEndpointTrust#ANY})
   */
  public AwsClientFactory(
      AwsClientOptions options,
      AwsCallCounter counter,
      List<ExecutionInterceptor> extraInterceptors,
      AwsEndpointTrust trust) {
    this.options = options;
    this.counter = counter;
    this.extraInterceptors = List.copyOf(extraInterceptors);
    this.trust = trust;
  }

  /** The counter every client of this factory reports to. */
  public AwsCallCounter counter() {
    return counter;
  }

  public EcsClient ecs(AwsContext ctx) {
    return cached(ctx, EcsClient.class, () -> build("ecs", EcsClient.builder(), ctx, region(ctx)));
  }

  public ElasticLoadBalancingV2Client elbv2(AwsContext ctx) {
    return cached(
        ctx,
        ElasticLoadBalancingV2Client.class,
        () -> build("elbv2", ElasticLoadBalancingV2Client.builder(), ctx, region(ctx)));
  }

  /** IAM is global: its signing region is the partition's global region unless overridden. */
  public IamClient iam(AwsContext ctx) {
    return cached(
        ctx, IamClient.class, () -> build("iam", IamClient.builder(), ctx, iamRegion(ctx)));
  }

  public ApplicationAutoScalingClient autoScaling(AwsContext ctx) {
    return cached(
        ctx,
        ApplicationAutoScalingClient.class,
        () -> build("autoscaling", ApplicationAutoScalingClient.builder(), ctx, region(ctx)));
  }

  public Ec2Client ec2(AwsContext ctx) {
    return cached(ctx, Ec2Client.class, () -> build("ec2", Ec2Client.builder(), ctx, region(ctx)));
  }

  public EksClient eks(AwsContext ctx) {
    return cached(ctx, EksClient.class, () -> build("eks", EksClient.builder(), ctx, region(ctx)));
  }

  public SchedulerClient scheduler(AwsContext ctx) {
    return cached(
        ctx,
        SchedulerClient.class,
        () -> build("scheduler", SchedulerClient.builder(), ctx, region(ctx)));
  }

  public StsClient sts(AwsContext ctx) {
    return cached(ctx, StsClient.class, () -> build("sts", StsClient.builder(), ctx, region(ctx)));
  }

  /**
   * The account of {@code ctx}'s base credentials (the role to assume left aside): one
   * sts:GetCallerIdentity per base credentials, remembered for the life of the factory.
   */
  public String callerAccount(AwsContext ctx) {
    AwsContext base = ctx.base();
    String known = accounts.get(base);
    if (known != null) {
      return known;
    }
    String account = sts(base).getCallerIdentity().account();
    accounts.put(base, account);
    return account;
  }

  // one per service, shared by every context: AWS's buckets are per account and Region, one for
  // all of them here is at worst slower, never throttled
  private ActionRateLimiter limiter(String service) {
    Optional<ClientRateLimiter> cap =
        options.requestsPerSecond() > 0
            ? Optional.of(new ClientRateLimiter(options.requestsPerSecond(), options.burst()))
            : Optional.empty();
    return new ActionRateLimiter(AwsRateLimits.of(service), options.rateShare(), cap);
  }

  /** The retry strategy of every client: standard AWS retry conditions, full-jitter backoff. */
  RetryStrategy retryStrategy() {
    return AwsRetryStrategy.standardRetryStrategy().toBuilder()
        .maxAttempts(options.maxAttempts())
        .backoffStrategy(
            BackoffStrategy.exponentialDelay(options.baseDelay(), options.maxBackoff()))
        .throttlingBackoffStrategy(
            BackoffStrategy.exponentialDelay(options.throttlingBaseDelay(), options.maxBackoff()))
        .build();
  }

  // Not computeIfAbsent: building an assume-role client builds its STS client re-entrantly.
  private <C extends SdkClient> C cached(AwsContext ctx, Class<C> type, Supplier<C> create) {
    // checked on every use, not only when built: a grant withdrawn since stops a cached client
    ctx.endpoint().ifPresent(trust::checkEndpoint);
    Key key = new Key(ctx, type);
    SdkClient existing = clients.get(key);
    if (existing == null) {
      C created = create.get();
      existing = clients.putIfAbsent(key, created);
      if (existing == null) {
        return created;
      }
      created.close();
    }
    return type.cast(existing);
  }

  private <B extends AwsSyncClientBuilder<B, C> & AwsClientBuilder<B, C>, C extends SdkClient>
      C build(String service, B builder, AwsContext ctx, Region region) {
    // second line behind ClusterAwsContexts: no client, so no signed request, for an endpoint
    // override no TenancyPolicy grants
    ctx.endpoint().ifPresent(trust::checkEndpoint);
    List<ExecutionInterceptor> interceptors = new ArrayList<>();
    interceptors.add(trust.errorText());
    interceptors.add(counter);
    interceptors.add(limiters.computeIfAbsent(service, this::limiter));
    interceptors.addAll(extraInterceptors);
    builder
        .region(region)
        .credentialsProvider(credentials(ctx))
        .httpClient(httpClient)
        .overrideConfiguration(
            o -> o.retryStrategy(retryStrategy()).executionInterceptors(interceptors));
    ctx.endpoint().ifPresent(builder::endpointOverride);
    return builder.build();
  }

  private AwsCredentialsProvider credentials(AwsContext ctx) {
    if (ctx.assumeRoleArn().isEmpty()) {
      return baseCredentials(ctx.credentials());
    }
    return StsAssumeRoleCredentialsProvider.builder()
        .stsClient(sts(ctx.base()))
        .refreshRequest(
            r -> {
              // the session name the target role's trust policy can pin (docs/install.md)
              r.roleArn(ctx.assumeRoleArn().get()).roleSessionName(ctx.roleSessionName());
              ctx.externalId().ifPresent(r::externalId);
            })
        .asyncCredentialUpdateEnabled(false)
        .build();
  }

  private static AwsCredentialsProvider baseCredentials(AwsCredentialsSource source) {
    if (source instanceof AwsCredentialsSource.Static s) {
      AwsCredentials credentials =
          s.sessionToken().isPresent()
              ? AwsSessionCredentials.create(
                  s.accessKeyId(), s.secretAccessKey(), s.sessionToken().get())
              : AwsBasicCredentials.create(s.accessKeyId(), s.secretAccessKey());
      return StaticCredentialsProvider.create(credentials);
    }
    return DefaultCredentialsProvider.builder().build();
  }

  private static Region region(AwsContext ctx) {
    return Region.of(ctx.region());
  }

  private static Region iamRegion(AwsContext ctx) {
    if (ctx.endpoint().isPresent()) {
      return region(ctx);
    }
    if (ctx.region().startsWith("cn-")) return Region.AWS_CN_GLOBAL;
    if (ctx.region().startsWith("us-gov-")) return Region.AWS_US_GOV_GLOBAL;
    return Region.AWS_GLOBAL;
  }

  @Override
  public void close() {
    clients.values().forEach(SdkClient::close);
    clients.clear();
    httpClient.close();
  }
}
