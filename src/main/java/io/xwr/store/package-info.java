/**
 * The only home of JPA, Panache and SQL: entities, repositories, the Flyway migrations, {@link
 * io.xwr.store.DeliveryRecorder} (the ack path's append to the raw log) and {@link io.xwr.store.Projection} with
 * {@link io.xwr.store.EventRecorder} (the projection's transaction behind it). Entities never leave this package;
 * readers get records. Decides nothing about what an event means.
 */
package io.xwr.store;
