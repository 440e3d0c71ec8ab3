package io.xwr.accounts;

import io.xwr.store.Columns;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.hibernate.Session;

/** The tables of connecting accounts: started connections waiting for X's callback, and connected accounts. */
@ApplicationScoped
public class Accounts {
    /** The states of a connected account (V18's check constraint). */
    public static final List<String> STATES = List.of("CONNECTED", "NEEDS_REAUTHORIZATION");

    private static final String COLUMNS = "user_id, username, scopes, event_types, access_token, refresh_token,"
            + " token_key, expires_at, state, note, connected_at, updated_at";

    private final EntityManager em;

    Accounts(EntityManager em) {
        this.em = em;
    }

    /** A started connection, found by its state's hash. */
    public record Pending(String verifier, String eventTypes, Instant expiresAt) {}

    /** A connected account as stored: its tokens still encrypted. */
    public record Stored(
            String userId,
            String username,
            String scopes,
            String eventTypes,
            String accessToken,
            String refreshToken,
            String tokenKey,
            Instant expiresAt,
            String state,
            String note,
            Instant connectedAt,
            Instant updatedAt) {}

    @Transactional
    public void await(String stateHash, String verifier, String eventTypes, Instant now, Instant expiresAt) {
        session().doWork(connection -> {
            try (PreparedStatement expired =
                    connection.prepareStatement("DELETE FROM oauth_pending WHERE expires_at < ?")) {
                expired.setObject(1, Columns.offset(now));
                expired.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO oauth_pending (state_hash, verifier, event_types, created_at, expires_at)"
                            + " VALUES (?, ?, ?, ?, ?)")) {
                insert.setString(1, stateHash);
                insert.setString(2, verifier);
                insert.setString(3, Columns.clip(eventTypes, 2000));
                insert.setObject(4, Columns.offset(now));
                insert.setObject(5, Columns.offset(expiresAt));
                insert.executeUpdate();
            }
        });
    }

    /** Takes the started connection out, once: a second callback with the same state finds nothing. */
    @Transactional
    public Optional<Pending> take(String stateHash) {
        return session().doReturningWork(connection -> {
            Pending found = null;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT verifier, event_types, expires_at FROM oauth_pending WHERE state_hash = ? FOR UPDATE")) {
                select.setString(1, stateHash);
                try (ResultSet row = select.executeQuery()) {
                    if (row.next()) {
                        found = new Pending(
                                row.getString("verifier"),
                                row.getString("event_types"),
                                Columns.instant(row, "expires_at"));
                    }
                }
            }
            try (PreparedStatement delete =
                    connection.prepareStatement("DELETE FROM oauth_pending WHERE state_hash = ?")) {
                delete.setString(1, stateHash);
                delete.executeUpdate();
            }
            return Optional.ofNullable(found);
        });
    }

    /** Stores (or replaces) a connected account with its encrypted tokens. */
    @Transactional
    public void connect(Stored account) {
        session().doWork(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM x_account WHERE user_id = ?")) {
                delete.setString(1, account.userId());
                delete.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO x_account (user_id, username, scopes, event_types, access_token, refresh_token,
                        token_key, expires_at, state, note, connected_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)) {
                insert.setString(1, account.userId());
                insert.setString(2, Columns.clip(account.username(), 64));
                insert.setString(3, Columns.clip(account.scopes(), 1000));
                insert.setString(4, Columns.clip(account.eventTypes(), 2000));
                insert.setString(5, account.accessToken());
                insert.setString(6, account.refreshToken());
                insert.setString(7, account.tokenKey());
                insert.setObject(8, Columns.offset(account.expiresAt()));
                insert.setString(9, account.state());
                insert.setString(10, Columns.clip(account.note(), 500));
                insert.setObject(11, Columns.offset(account.connectedAt()));
                insert.setObject(12, Columns.offset(account.updatedAt()));
                insert.executeUpdate();
            }
        });
    }

    /** What refreshing one account came to. */
    public record Refreshed(String accessToken, String refreshToken, String tokenKey, Instant expiresAt) {}

    /**
     * Refreshes the first account whose access token expires before {@code before}, holding its row lock while X
     * is asked: X rotates refresh tokens, so two replicas refreshing the same account at once would make one of
     * them fail; the other replica skips the locked row. {@code refresh} answers the new tokens, or a note when
     * X refused (the account then needs re-authorization). False when no account was due.
     */
    @Transactional
    public boolean refreshOne(Instant before, Instant now, java.util.function.Function<Stored, Object> refresh) {
        return session().doReturningWork(connection -> {
            Stored due = null;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM x_account WHERE state = 'CONNECTED' AND refresh_token IS NOT NULL"
                            + " AND expires_at < ? ORDER BY expires_at FETCH FIRST 1 ROWS ONLY FOR UPDATE SKIP LOCKED")) {
                select.setObject(1, Columns.offset(before));
                try (ResultSet row = select.executeQuery()) {
                    if (row.next()) {
                        due = stored(row);
                    }
                }
            }
            if (due == null) {
                return false;
            }
            Object outcome = refresh.apply(due);
            try (PreparedStatement update = outcome instanceof Refreshed r
                    ? connection.prepareStatement("UPDATE x_account SET access_token = ?, refresh_token = ?,"
                            + " token_key = ?, expires_at = ?, note = NULL, updated_at = ? WHERE user_id = ?")
                    : connection.prepareStatement(
                            "UPDATE x_account SET state = 'NEEDS_REAUTHORIZATION',"
                                    + " access_token = NULL, refresh_token = NULL, note = ?, updated_at = ? WHERE user_id = ?")) {
                if (outcome instanceof Refreshed r) {
                    update.setString(1, r.accessToken());
                    update.setString(2, r.refreshToken());
                    update.setString(3, r.tokenKey());
                    update.setObject(4, Columns.offset(r.expiresAt()));
                    update.setObject(5, Columns.offset(now));
                    update.setString(6, due.userId());
                } else {
                    update.setString(1, Columns.clip(String.valueOf(outcome), 500));
                    update.setObject(2, Columns.offset(now));
                    update.setString(3, due.userId());
                }
                update.executeUpdate();
            }
            return true;
        });
    }

    /** Forgets an account and its tokens. */
    @Transactional
    public boolean remove(String userId) {
        return session().doReturningWork(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM x_account WHERE user_id = ?")) {
                delete.setString(1, userId);
                return delete.executeUpdate() == 1;
            }
        });
    }

    @Transactional
    public List<Stored> all() {
        List<Stored> all = new ArrayList<>();
        session().doWork(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                            "SELECT " + COLUMNS + " FROM x_account ORDER BY connected_at DESC");
                    ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    all.add(stored(row));
                }
            }
        });
        return all;
    }

    /** Connected accounts by state, every state present (0 when none). */
    @Transactional
    public Map<String, Long> countByState() {
        Map<String, Long> counts = new TreeMap<>();
        for (String state : STATES) {
            counts.put(state, 0L);
        }
        session().doWork(connection -> {
            try (PreparedStatement select =
                            connection.prepareStatement("SELECT state, COUNT(*) AS n FROM x_account GROUP BY state");
                    ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    counts.put(row.getString("state"), row.getLong("n"));
                }
            }
        });
        return counts;
    }

    private static Stored stored(ResultSet row) throws SQLException {
        return new Stored(
                row.getString("user_id"),
                row.getString("username"),
                row.getString("scopes"),
                row.getString("event_types"),
                row.getString("access_token"),
                row.getString("refresh_token"),
                row.getString("token_key"),
                Columns.instant(row, "expires_at"),
                row.getString("state"),
                row.getString("note"),
                Columns.instant(row, "connected_at"),
                Columns.instant(row, "updated_at"));
    }

    private Session session() {
        return em.unwrap(Session.class);
    }
}
