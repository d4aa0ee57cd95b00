package dev.tidewater.aws;

import java.util.Optional;

/** The base credentials of an {@link AwsContext}: the default chain or static keys. */
public sealed interface AwsCredentialsSource
    permits AwsCredentialsSource.DefaultChain, AwsCredentialsSource.Static {

  /** The SDK's default chain; covers the operator's own IRSA or Pod Identity credentials. */
  AwsCredentialsSource DEFAULT_CHAIN = new DefaultChain();

  /** The SDK's default credential chain. */
  record DefaultChain() implements AwsCredentialsSource {}

  /** Static keys, e.g. read from a credentials Secret. {@code toString} never prints the secret. */
  record Static(String accessKeyId, String secretAccessKey, Optional<String> sessionToken)
      implements AwsCredentialsSource {
    @Override
    public String toString() {
      return "Static[accessKeyId=" + accessKeyId + ", secretAccessKey=***]";
    }
  }
}
