/**
 * The only home of JPA, Panache and SQL: entities, repositories, the Flyway migrations, and {@link
 * io.xwr.store.DeliveryRecorder}, the one transaction that records a delivery with its new events. Entities
 * never leave this package; readers get records. Decides nothing about what an event means.
 */
package io.xwr.store;
