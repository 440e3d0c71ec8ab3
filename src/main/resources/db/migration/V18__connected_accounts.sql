-- Connecting X accounts (OAuth 2.0 with PKCE). A started connection waits here for X's callback: its state is
-- stored as a hash (the state itself travels in the browser), its code verifier encrypted; both are used once.
CREATE TABLE oauth_pending (
    state_hash    VARCHAR(64) PRIMARY KEY,
    verifier      VARCHAR(512) NOT NULL,
    event_types   VARCHAR(2000) NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

-- A connected account: its tokens encrypted with the key named beside them (never returned by the admin API).
CREATE TABLE x_account (
    user_id        VARCHAR(64) PRIMARY KEY,
    username       VARCHAR(64),
    scopes         VARCHAR(1000) NOT NULL,
    event_types    VARCHAR(2000) NOT NULL,
    access_token   VARCHAR(4000),
    refresh_token  VARCHAR(4000),
    token_key      VARCHAR(16),
    expires_at     TIMESTAMP WITH TIME ZONE,
    state          VARCHAR(24) NOT NULL,
    note           VARCHAR(500),
    connected_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT x_account_state_ck CHECK (state IN ('CONNECTED', 'NEEDS_REAUTHORIZATION'))
);
