/** Configuration: one {@code @ConfigMapping} per concern, and the {@link java.time.Clock} producer. */
package io.xwr.config;
