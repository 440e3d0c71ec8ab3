package io.xwr.admin;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.xwr.compliance.StoredComplianceJob;
import io.xwr.compliance.StoredPurge;
import io.xwr.coverage.Interval;
import io.xwr.coverage.StoredGap;
import io.xwr.outbox.OutboxStats;
import io.xwr.outbox.ParkedMessage;
import io.xwr.projection.EventPage;
import io.xwr.projection.Projection;
import io.xwr.projection.Reprojections;
import io.xwr.projection.StoredEvent;
import io.xwr.replay.StoredReplayJob;
import io.xwr.replay.StoredStreamRecovery;
import io.xwr.xapi.ActivitySubscription;
import io.xwr.xapi.StreamLink;
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
            StoredComplianceJob.class,
            StoredStreamRecovery.class,
            StreamLink.class,
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
