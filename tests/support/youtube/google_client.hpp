// tests/support/youtube/google_client.hpp — the Google OAuth client and the refresh token the
// YouTube tests give the youtube plugin (plugins.youtube.client_id/client_secret, an account's
// refresh_token) and register with FakeOAuth::google_client, so the plugin's token refresh is
// answered by the fake.
#pragma once

namespace automuse::testing::google_client {

inline constexpr const char *kClientId = "1234-fake.apps.googleusercontent.com";
inline constexpr const char *kClientSecret = "GOCSPX-fake-secret";
inline constexpr const char *kRefreshToken = "1//fake-refresh-token";

}  // namespace automuse::testing::google_client
