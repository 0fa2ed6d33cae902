// host/http/json_post.hpp — a POST of a JSON body to a generation API (images, speech).
#pragma once

#include <boost/json.hpp>
#include <string>

#include "http/http_types.hpp"

namespace automuse::http {

// Generating again has no lasting effect on the server, so the body may be sent again after
// a failure. `total` bounds the whole exchange, retries included.
inline Request json_post(std::string url, const boost::json::value &body, Millis total) {
  Request req;
  req.method = "POST";
  req.url = std::move(url);
  req.headers.push_back({"Content-Type", "application/json"});
  req.body = boost::json::serialize(body);
  req.timeouts.total = total;
  req.retry.safe_to_resend_body = true;
  return req;
}

}  // namespace automuse::http
