// HttpClient: the public face of the HTTP service; see http_client.hpp.
#include "http/http_client.hpp"

#include "http/http_engine.hpp"

namespace automuse::http {

HttpClient::HttpClient(boost::asio::io_context &io, ClientConfig config)
    : engine_(std::make_shared<HttpEngine>(io, std::move(config))) {
  engine_->init();
}

HttpClient::~HttpClient() {
  engine_->cancel_all();
}

uint64_t HttpClient::send(Request request, boost::asio::any_io_executor completion, DoneFn done) {
  return engine_->send(std::move(request), std::move(completion), std::move(done));
}

void HttpClient::cancel(uint64_t id) {
  engine_->cancel(id);
}

std::function<void(uint64_t)> HttpClient::canceller() const {
  return [weak = std::weak_ptr<HttpEngine>(engine_)](uint64_t id) {
    if (auto engine = weak.lock()) engine->cancel(id);
  };
}

size_t HttpClient::in_flight() const {
  return engine_->in_flight();
}

const ClientConfig &HttpClient::config() const {
  return engine_->config();
}

}  // namespace automuse::http
