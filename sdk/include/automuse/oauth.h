/* automuse/oauth.h — the OAuth service, "automuse.oauth/1": the first authorisation of an
 * account with the OAuth 2.0 authorization-code flow for installed apps (RFC 8252: the
 * redirect comes back to a listener on 127.0.0.1) with PKCE (RFC 7636, method S256).
 * Since ABI 1.7 a request can also say how a provider departs from the RFCs: the client
 * parameter's name, the scope separator, the challenge's encoding (or no PKCE), a code
 * exchange by GET and an answer wrapped in {"data":[...]}.
 *
 * One call does the whole dance: the host makes a fresh code verifier (cryptographically
 * random, 43-128 characters), its S256 challenge and a random state; listens on 127.0.0.1;
 * shows the user the authorize URL (on the terminal, and in a browser when one can be
 * opened); waits for the browser's redirect `?code=&state=` (a wrong state is refused and
 * waiting goes on; `?error=access_denied` ends the operation); exchanges the code at the token
 * endpoint through "automuse.http/1"; answers the browser with a short page; and completes
 * with the token endpoint's JSON answer. The host never logs the code, the verifier or the
 * tokens; the plugin stores the tokens (automuse.store/1 set_oauth_token) and must not log
 * them either. */
#ifndef AUTOMUSE_OAUTH_H
#define AUTOMUSE_OAUTH_H

#include "automuse/host.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AM_OAUTH_SERVICE_ID "automuse.oauth/1"

/* A name/value pair, e.g. an extra authorize parameter ("access_type" = "offline"). */
typedef struct am_oauth_param {
  am_str name;
  am_str value;
} am_oauth_param;

/* How a client with a secret authenticates at the token endpoint (RFC 6749 section 2.3.1).
 * A client without a secret (a public client) always sends client_id in the form. */
typedef int32_t am_oauth_client_auth;
enum {
  AM_OAUTH_CLIENT_SECRET_POST = 0, /* client_id and client_secret in the form (Google) */
  AM_OAUTH_CLIENT_SECRET_BASIC = 1 /* Authorization: Basic base64(id:secret) (X) */
};

/* Whether the host may open a browser on the authorize URL. */
typedef int32_t am_oauth_browser;
enum {
  /* Open it with xdg-open when xdg-open and a display exist, stdout is a terminal and the
   * environment has no AUTOMUSE_NO_BROWSER; the URL is printed in any case. */
  AM_OAUTH_BROWSER_AUTO = 0,
  AM_OAUTH_BROWSER_NEVER = 1 /* only print the URL */
};

/* How the PKCE code challenge is made from the verifier (ABI 1.7). The authorize URL says
 * code_challenge_method=S256 for both S256 forms. */
typedef int32_t am_oauth_challenge;
enum {
  AM_OAUTH_CHALLENGE_S256 = 0,     /* BASE64URL(SHA256(verifier)), RFC 7636 (the default) */
  AM_OAUTH_CHALLENGE_S256_HEX = 1, /* lower-case hex of SHA256(verifier), 64 characters (TikTok) */
  AM_OAUTH_CHALLENGE_NONE = 2 /* no PKCE: no challenge sent, no code_verifier at the exchange */
};

/* How the authorization code is exchanged at the token endpoint (ABI 1.7). */
typedef int32_t am_oauth_token_method;
enum {
  AM_OAUTH_TOKEN_POST_FORM = 0, /* POST, form-encoded body (RFC 6749, the default) */
  AM_OAUTH_TOKEN_GET_QUERY = 1  /* GET, the same parameters in the URL's query (Graph-style) */
};

/* Where the tokens are in the token endpoint's answer (ABI 1.7). */
typedef int32_t am_oauth_token_answer;
enum {
  AM_OAUTH_ANSWER_OBJECT = 0,    /* the answer is the token object (RFC 6749, the default) */
  AM_OAUTH_ANSWER_DATA_ARRAY = 1 /* {"data":[{access_token,...}]} (Instagram's code exchange);
                                    a bare token object is accepted too */
};

/* [job-strand] Called once, on the job's executor, when the listener is ready and the user has been
 * shown `authorize_url`; `redirect_uri` is the loopback URI the provider will redirect to. Both are
 * borrowed for the call. Lets a plugin show the URL its own way (and tests play the browser). Never
 * called after the operation's completion. */
typedef void (*am_oauth_url_fn)(void *user, am_str authorize_url, am_str redirect_uri);

typedef struct am_oauth_request {
  uint32_t struct_size; /* sizeof(am_oauth_request) of the caller */
  am_str label;         /* who is authorised, for messages: "YouTube account 'chef'" */
  am_str authorize_url; /* http(s) URL of the authorization endpoint */
  am_str token_url;     /* http(s) URL of the token endpoint */
  am_str client_id;     /* required */
  am_str client_secret; /* empty: a public client. Secret: never logged */
  am_oauth_client_auth client_auth;
  am_oauth_browser browser;
  const am_str *scopes; /* scope_count scopes, joined by scope_separator (a space) */
  size_t scope_count;
  const am_oauth_param *params; /* extra authorize parameters, param_count of them */
  size_t param_count;
  am_str redirect_path;   /* path of the redirect URI; "/" when empty */
  uint32_t port;          /* listening port on 127.0.0.1; 0: one the system picks */
  uint32_t timeout_ms;    /* how long to wait for the browser; 0: 300 s */
  am_oauth_url_fn on_url; /* may be NULL; called with `user` */
  /* ABI 1.7 (check with AM_HAS_FIELD; a smaller request gets every default): */
  am_str client_id_name;        /* the client parameter's name in the authorize URL and the token
                                   request; empty: "client_id" (TikTok: "client_key") */
  am_str scope_separator;       /* between scopes in the authorize URL; empty: " " (TikTok: ",") */
  am_oauth_challenge challenge; /* PKCE challenge encoding; 0: AM_OAUTH_CHALLENGE_S256 */
  am_oauth_token_method token_method; /* code exchange; 0: AM_OAUTH_TOKEN_POST_FORM */
  am_oauth_token_answer token_answer; /* answer shape; 0: AM_OAUTH_ANSWER_OBJECT */
} am_oauth_request;

/* The outcome, borrowed by the completion callback for the duration of the call. */
typedef struct am_oauth_result {
  uint32_t struct_size; /* sizeof(am_oauth_result) of the host */
  am_status status;     /* AM_OK: the token endpoint issued tokens */
  am_str error;         /* why, when status != AM_OK; never contains codes or tokens */
  am_str token_json;    /* AM_OK: the token endpoint's JSON object ({access_token,
                           refresh_token?, expires_in?, scope?, token_type}), taken out of
                           {"data":[...]} with AM_OAUTH_ANSWER_DATA_ARRAY. Secret */
  am_str redirect_uri;  /* the redirect URI that was used */
} am_oauth_result;

/* [job-strand] Completion: exactly once per authorize call, on the job's executor. Status: AM_OK;
 * AM_INVALID_ARGUMENT (a bad request, naming the field); AM_UNAVAILABLE (cannot listen on
 * the port, or the token endpoint is unreachable); AM_PERMISSION_DENIED (the user refused:
 * error=access_denied, or another error the provider redirected with); AM_UNAUTHENTICATED
 * (the token endpoint refused the code or the client: invalid_grant, invalid_client);
 * AM_TIMEOUT (no redirect in time); AM_CANCELLED; AM_ERROR (anything else, e.g. a token
 * answer without access_token). A token answer that carries an error is read as that error
 * whatever its HTTP status (some providers refuse with HTTP 200), in either shape: RFC 6749's
 * {"error","error_description"} or Instagram's {"error_type","code","error_message"}. */
typedef void (*am_oauth_done_fn)(void *user, const am_oauth_result *result);

typedef struct am_oauth {
  uint32_t struct_size;
  void *service_data; /* private to the host */

  /* [any-thread] Start an authorisation on behalf of `job`. Everything in *request is copied before
   * authorize returns. Never calls on_url or done before returning. Any thread. */
  am_op_id (*authorize)(const struct am_oauth *oauth, am_job *job, const am_oauth_request *request,
                        am_oauth_done_fn done, void *user);

  /* [any-thread] Cancel an authorisation: it completes with AM_CANCELLED unless it already
   * completed; a finished or unknown id is a no-op. Any thread. */
  void (*cancel)(const struct am_oauth *oauth, am_job *job, am_op_id op);
} am_oauth;

#ifdef __cplusplus
}
#endif

#endif /* AUTOMUSE_OAUTH_H */
