/** The Tidewater custom resources, group {@code ecs.tidewater.dev}, version {@code v1alpha1}. */
package dev.tidewater.api.v1alpha1;
