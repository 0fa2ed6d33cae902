/* automuse/store.h — the store service, "automuse.store/1": a plugin's accounts, their secrets
 * and OAuth tokens, the history of what it made and published, and affiliate products. The
 * host keeps them in its database; plugins never open it.
 *
 * Records cross as JSON text (UTF-8). An account is
 *   {"id", "plugin", "nickname", "fields": {...}, "extra": {...}, "secrets": ["name", ...],
 *    "created_at", "updated_at"}                      (times: Unix seconds, UTC)
 * a history record is
 *   {"id", "account_id", "plugin", "kind": "video"|"post"|"pitch", "title", "body",
 *    "local_file", "remote_id", "remote_url", "status": "generated"|"published"|"failed",
 *    "error", "extra": {...}, "created_at", "updated_at"}     (absent strings are null)
 * a product is
 *   {"id", "link", "asin", "marketplace", "share_plugin", "share_account_id", "notes",
 *    "extra": {...}, "created_at", "updated_at"}
 * and an OAuth token is
 *   {"provider", "access_token", "refresh_token", "token_type", "scope", "expires_at"}.
 *
 * Scope: accounts, secrets, tokens and history are those of the calling plugin (known from
 * its am_host); another plugin's account is reported as AM_NOT_FOUND. Products are shared.
 * `account` arguments take an account's id or its nickname.
 *
 * Every function is synchronous and quick (one short transaction), except that
 * begin_oauth_refresh may wait for another process's refresh, and may be called from any
 * thread. On success, out buffers are filled and the caller releases them with
 * am_buffer_release. On failure nothing is written to out buffers; if `error` is not NULL it
 * receives a human-readable message naming the field or record, which the caller releases.
 * Status codes: AM_INVALID_ARGUMENT (bad JSON, unknown field, bad value), AM_NOT_FOUND,
 * AM_ERROR (a conflict such as a duplicate id), AM_IO (the database could not be written). */
#ifndef AUTOMUSE_STORE_H
#define AUTOMUSE_STORE_H

#include "automuse/host.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AM_STORE_SERVICE_ID "automuse.store/1"

/* A refresh of an account's OAuth token in progress, from begin_oauth_refresh to
 * end_oauth_refresh. Opaque; owned by the host. */
typedef struct am_oauth_refresh am_oauth_refresh;

typedef struct am_store {
  uint32_t struct_size;

  /* [any-thread] The calling plugin's accounts: a JSON array of accounts, by nickname. */
  am_status (*list_accounts)(const am_host *host, am_buffer *out_json, am_buffer *error);

  /* [any-thread] One account (id or nickname) as JSON. AM_NOT_FOUND if it is not the caller's. */
  am_status (*get_account)(const am_host *host, am_str account, am_buffer *out_json,
                           am_buffer *error);

  /* [any-thread] A secret of an account (API keys, passwords the user entered). AM_NOT_FOUND if
   * unset. Never log the value. */
  am_status (*get_secret)(const am_host *host, am_str account, am_str name, am_buffer *out_value,
                          am_buffer *error);

  /* [any-thread] Set (or replace) a secret of an account. `value` is copied. */
  am_status (*set_secret)(const am_host *host, am_str account, am_str name, am_str value,
                          am_buffer *error);

  /* [any-thread] The account's OAuth token as JSON (see above). AM_NOT_FOUND if the account has
   * never been authorised. */
  am_status (*get_oauth_token)(const am_host *host, am_str account, am_buffer *out_json,
                               am_buffer *error);

  /* [any-thread] Replace the account's OAuth token atomically: once this returns AM_OK the new
   * token is durable, so a single-use refresh token can be stored before the access token is used.
   * `token_json` needs "provider"; other members may be null or absent. */
  am_status (*set_oauth_token)(const am_host *host, am_str account, am_str token_json,
                               am_buffer *error);

  /* [any-thread] Record something made or published. `record_json` is a history record without id
   * and times (they are assigned); "plugin" is the caller; "account_id" may be an id or a nickname
   * of the caller's, or null. The stored record comes back in *out_json (may be NULL when not
   * wanted). */
  am_status (*add_history)(const am_host *host, am_str record_json, am_buffer *out_json,
                           am_buffer *error);

  /* [any-thread] Change a history record of the caller's: `patch_json` has any of "status",
   * "local_file", "remote_id", "remote_url", "error", "title", "body". The updated record
   * comes back in *out_json (may be NULL). */
  am_status (*update_history)(const am_host *host, am_str id, am_str patch_json,
                              am_buffer *out_json, am_buffer *error);

  /* [any-thread] The caller's history, newest first, as a JSON array. `query_json` may be empty or
   * {"account": id or nickname, "kind", "status", "limit": N (default 50, 0 for all)}. */
  am_status (*list_history)(const am_host *host, am_str query_json, am_buffer *out_json,
                            am_buffer *error);

  /* [any-thread] Every product, as a JSON array (oldest first). */
  am_status (*list_products)(const am_host *host, am_buffer *out_json, am_buffer *error);

  /* [any-thread] One product by id. */
  am_status (*get_product)(const am_host *host, am_str id, am_buffer *out_json, am_buffer *error);

  /* [any-thread] Add a product: JSON with "link" or "asin" (id optional, assigned when absent). The
   * stored product comes back in *out_json (may be NULL). */
  am_status (*add_product)(const am_host *host, am_str product_json, am_buffer *out_json,
                           am_buffer *error);

  /* [any-thread] Remove a product by id. AM_NOT_FOUND if there is none. Added after the first
   * tables: check AM_HAS_FIELD(store, am_store, remove_product) before calling. */
  am_status (*remove_product)(const am_host *host, am_str id, am_buffer *error);

  /* Refreshing a token whose refresh tokens are single use (X, TikTok), locked against every
   * other refresh of the same account in any process and on any host sharing the store, so
   * that two never spend the same refresh token. Added in ABI 1.6: check
   * AM_HAS_FIELD(store, am_store, end_oauth_refresh) before calling either.
   *
   * [any-thread] Waits for the lock (at most two minutes, then AM_IO naming the account),
   * then fills *out_refresh and *out_json with the token as stored now, or JSON null if the
   * account has none yet (its tokens are still the secrets the user entered). If that token's
   * access token is not the one the caller found expired, another process has refreshed it
   * meanwhile: use it, and end with an empty token. Otherwise ask the provider for a new token
   * and end with it. Every AM_OK begin is ended exactly once, and soon: the lock is held until
   * then. */
  am_status (*begin_oauth_refresh)(const am_host *host, am_str account,
                                   am_oauth_refresh **out_refresh, am_buffer *out_json,
                                   am_buffer *error);

  /* [any-thread] Ends a refresh: stores `token_json` (as set_oauth_token: durable once this
   * returns AM_OK) unless it is empty, then releases the lock and `refresh` whatever the status;
   * on failure the stored token is unchanged. */
  am_status (*end_oauth_refresh)(const am_host *host, am_oauth_refresh *refresh, am_str token_json,
                                 am_buffer *error);
} am_store;

#ifdef __cplusplus
}
#endif

#endif /* AUTOMUSE_STORE_H */
