// host/web/static_files.hpp — the dashboard page: static HTML, CSS and JavaScript
// (host/web/static/) embedded in the binary at build time and served at "/" and "/login"
// without a token (the page itself holds no secret; every API call it makes needs the token).
// Each answer carries a strict Content-Security-Policy (scripts, styles and media from this
// origin only; no inline script), nosniff, no referrer, and an ETag so a browser revalidates
// (Cache-Control: no-cache) and gets 304 when nothing changed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "web/http_message.hpp"

namespace automuse::web {

struct StaticFile {
  std::string path;          // "/app.js"
  std::string content_type;  // "text/javascript; charset=utf-8"
  std::string_view body;
};

// Every embedded file by its path (index.html is "/index.html").
const std::vector<StaticFile> &static_files();

// The answer to a GET of the page's files ("/", "/login", "/index.html", "/app.js", …), or
// nullopt when `path` is none of them.
std::optional<Response> static_reply(const Request &request, std::string_view path);

// The Content-Security-Policy every page answer carries.
std::string_view page_security_policy();

}  // namespace automuse::web
