/**
 * The operator API under {@code /admin}: stored events and deliveries, behind a bearer token. Reads through
 * {@link io.xwr.projection.ActivityLog}; never touches entities or SQL.
 */
package io.xwr.admin;
