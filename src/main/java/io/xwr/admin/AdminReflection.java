package io.xwr.admin;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.xwr.store.EventPage;
import io.xwr.store.Interval;
import io.xwr.store.OutboxStats;
import io.xwr.store.ParkedMessage;
import io.xwr.store.Projection;
import io.xwr.store.Reprojections;
import io.xwr.store.StoredEvent;
import io.xwr.store.StoredGap;
import io.xwr.store.StoredPurge;
import io.xwr.store.StoredReplayJob;
import io.xwr.xapi.ActivitySubscription;
import io.xwr.xapi.Webhook;

/**
 * What the admin resources hand Jackson inside a {@code Response}: Quarkus registers a resource method's declared
 * return type for the native image, but cannot see through {@code Response}, so these are registered here.
 */
@RegisterForReflection(
        targets = {
            EventPage.class,
            StoredEvent.class,
            AdminResource.DeliveryView.class,
            OutboxStats.class,
            ParkedMessage.class,
            StoredGap.class,
            Interval.class,
            StoredReplayJob.class,
            StoredPurge.class,
            Webhook.class,
            ActivitySubscription.class,
            ProjectionAdminResource.Status.class,
            ProjectionAdminResource.Reprojected.class,
            Projection.Quarantined.class,
            ProjectionAdminResource.ReprojectionRequest.class,
            Reprojections.Reprojection.class
        })
final class AdminReflection {
    private AdminReflection() {}
}
