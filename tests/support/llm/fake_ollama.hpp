// FakeOllama: a loopback fake of Ollama's native API (docs/protocols/ollama.md): POST /api/chat
// with {model, messages, stream (default true), options:{temperature, num_predict, seed}}, streamed
// as NDJSON {message:{role,content}, done:false} lines ending with done:true and counters;
// an unknown model gets 404 {"error":"model \"x\" not found, try pulling it first"}. GET
// /api/tags lists the models.
#pragma once

#include <boost/json/value.hpp>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "support/fake_server.hpp"

namespace automuse::testing {

class FakeOllama {
 public:
  explicit FakeOllama(std::set<std::string> models = {"llama3.2"});

  // "http://127.0.0.1:PORT/v1", as the ollama preset's base_url looks.
  std::string base_url() const;
  FakeServer &server() { return server_; }

  // What the model says (default: "Echo: " + the last user message).
  void set_answer(std::function<std::string(const boost::json::array &messages)> fn);
  std::vector<boost::json::value> chat_bodies() const;

 private:
  Reply handle(const ReceivedRequest &request);

  std::set<std::string> models_;
  mutable std::mutex mutex_;
  std::function<std::string(const boost::json::array &)> answer_;
  std::vector<boost::json::value> bodies_;
  FakeServer server_;
};

}  // namespace automuse::testing
