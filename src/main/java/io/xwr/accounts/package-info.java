/**
 * Connected X accounts: OAuth 2.0 with PKCE onboarding, users' tokens encrypted at rest, and the tables of
 * started connections and connected accounts (this package's SQL).
 */
package io.xwr.accounts;
