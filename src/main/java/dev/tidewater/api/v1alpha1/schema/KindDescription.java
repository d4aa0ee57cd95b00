package dev.tidewater.api.v1alpha1.schema;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What {@code kubectl explain} says about a kind, its {@code spec} and its {@code status}: written
 * to the CRD schema by {@link CrdSchemaPostProcessor}. fabric8's generator takes descriptions only
 * from properties, and {@code spec} / {@code status} are properties of {@code CustomResource}, so
 * these three cannot be {@code @JsonPropertyDescription}s.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface KindDescription {

  /** The kind (the schema's root). */
  String value();

  /** Its {@code spec}. */
  String spec();

  /** Its {@code status}. */
  String status();
}
