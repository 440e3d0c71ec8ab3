package io.xwr.projection;

import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.xwr.rawlog.DeliveryRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Read side for operators and tools: stored events and deliveries, as records. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class ActivityLog {
    private final EventRepository events;
    private final DeliveryRepository deliveries;
    private final Projection projection;

    ActivityLog(EventRepository events, DeliveryRepository deliveries, Projection projection) {
        this.events = events;
        this.deliveries = deliveries;
        this.projection = projection;
    }

    public EventPage events(EventQuery query) {
        List<String> where = new ArrayList<>();
        Parameters params = new Parameters();
        if (query.accountId() != null) {
            where.add("accountId = :account");
            params.and("account", query.accountId());
        }
        if (query.type() != null) {
            where.add("eventType = :type");
            params.and("type", query.type());
        }
        if (query.since() != null) {
            where.add("recordedAt >= :since");
            params.and("since", query.since());
        }
        if (query.until() != null) {
            where.add("recordedAt < :until");
            params.and("until", query.until());
        }
        if (query.before() != null) {
            where.add("id < :before");
            params.and("before", query.before());
        }
        // One extra row tells whether another page exists without a count query.
        List<EventEntity> rows = events.find(
                        String.join(" and ", where.isEmpty() ? List.of("1 = 1") : where), Sort.descending("id"), params)
                .range(0, query.limit())
                .list();
        boolean more = rows.size() > query.limit();
        List<StoredEvent> page =
                rows.stream().limit(query.limit()).map(StoredEvent::of).toList();
        return new EventPage(page, more ? page.getLast().id() : null);
    }

    public Optional<StoredDelivery> delivery(long id) {
        return deliveries.findByIdOptional(id).map(d -> {
            List<EventEntity> added =
                    events.find("deliveryId", Sort.ascending("id"), d.id).list();
            Optional<String> quarantined = projection.quarantineReason(d.id);
            String state =
                    quarantined.isPresent() ? "QUARANTINED" : d.id > projection.position() ? "PENDING" : "PROJECTED";
            String family = d.family != null ? d.family : added.isEmpty() ? null : added.getFirst().family;
            return new StoredDelivery(
                    d.id,
                    d.receivedAt,
                    state,
                    quarantined.orElse(d.parseProblem),
                    family,
                    d.headers,
                    d.secretFingerprint,
                    d.bodySha256,
                    d.body,
                    added.stream().map(e -> e.eventKey).toList());
        });
    }
}
