// Runs nghttpd for the HTTP/2 tests: see nghttpd_server.hpp.
#include "nghttpd_server.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char **environ;

namespace automuse::http::test {

namespace fs = std::filesystem;

namespace {

void write_file(const fs::path &path, const std::string &text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
}

std::string read_file(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The port of the TCP socket `pid` listens on, from its descriptors and /proc/<pid>/net/tcp
// (nghttpd binds port 0 as asked but does not print the port it got).
uint16_t listening_port(pid_t pid) {
  std::vector<std::string> inodes;
  fs::path fd_dir = "/proc/" + std::to_string(pid) + "/fd";
  std::error_code ec;
  for (const auto &entry : fs::directory_iterator(fd_dir, ec)) {
    auto target = fs::read_symlink(entry.path(), ec);
    std::string t = target.string();
    if (!ec && t.starts_with("socket:[")) inodes.push_back(t.substr(8, t.size() - 9));
  }
  std::ifstream tcp("/proc/" + std::to_string(pid) + "/net/tcp");
  std::string line;
  std::getline(tcp, line);  // column titles
  while (std::getline(tcp, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
    fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
        timeout >> inode;
    if (state != "0A") continue;  // TCP_LISTEN
    for (const auto &i : inodes)
      if (i == inode) return static_cast<uint16_t>(std::stoul(local.substr(9), nullptr, 16));
  }
  return 0;
}

}  // namespace

fs::path NghttpdServer::find_binary() {
  std::vector<fs::path> dirs;
  if (const char *path = std::getenv("PATH")) {
    std::string p = path;
    for (size_t start = 0; start <= p.size();) {
      size_t end = p.find(':', start);
      if (end == std::string::npos) end = p.size();
      if (end > start) dirs.emplace_back(p.substr(start, end - start));
      start = end + 1;
    }
  }
  dirs.emplace_back("/usr/sbin");
  dirs.emplace_back("/usr/bin");
  for (const auto &d : dirs)
    if (::access((d / "nghttpd").c_str(), X_OK) == 0) return d / "nghttpd";
  return {};
}

NghttpdServer::NghttpdServer(const automuse::testing::TestCertificate &cert, fs::path htdocs) {
  fs::path binary = find_binary();
  if (binary.empty())
    throw std::runtime_error(
        "nghttpd not found in $PATH, /usr/sbin or /usr/bin: the HTTP/2 tests need a real HTTP/2 "
        "server; install the Debian package nghttp2-server (listed in scripts/packages.sh)");
  write_file(dir_ / "key.pem", cert.key_pem);
  write_file(dir_ / "cert.pem", cert.cert_pem);
  fs::path log = dir_ / "frames.log";

  std::vector<std::string> args = {binary.string(),
                                   "--verbose",
                                   "--address=127.0.0.1",
                                   "--htdocs=" + htdocs.string(),
                                   "0",
                                   (dir_ / "key.pem").string(),
                                   (dir_ / "cert.pem").string()};
  std::vector<char *> argv;
  for (auto &a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  int rc = posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    pid_ = -1;
    throw std::runtime_error("cannot start " + binary.string() + ": " + std::strerror(rc));
  }
  auto give_up_at = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while ((port_ = listening_port(pid_)) == 0) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      std::string output = read_file(log);
      cleanup();
      throw std::runtime_error("nghttpd exited at start: " + output);
    }
    if (std::chrono::steady_clock::now() > give_up_at) {
      std::string output = read_file(log);
      cleanup();
      throw std::runtime_error("nghttpd did not listen within 10 s: " + output);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

NghttpdServer::~NghttpdServer() {
  cleanup();
}

void NghttpdServer::cleanup() {
  stop();
}

void NghttpdServer::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string NghttpdServer::url(const std::string &path) const {
  return "https://127.0.0.1:" + std::to_string(port_) + path;
}

std::vector<H2Frame> NghttpdServer::frames() const {
  // [id=1] [  0.003] send DATA frame <length=16384, flags=0x01, stream_id=13>
  static const std::regex line_re(
      R"(^\[id=(\d+)\] \[\s*[0-9.]+\] (send|recv) ([A-Z_]+) frame <length=\d+, flags=0x([0-9a-fA-F]+), stream_id=(\d+)>)");
  std::vector<H2Frame> out;
  std::istringstream in(read_file(dir_ / "frames.log"));
  std::string line;
  std::smatch m;
  while (std::getline(in, line)) {
    if (!std::regex_search(line, m, line_re)) continue;
    H2Frame f;
    f.session = std::stoull(m[1]);
    f.sent = m[2] == "send";
    f.type = m[3];
    unsigned flags = static_cast<unsigned>(std::stoul(m[4], nullptr, 16));
    f.stream = static_cast<uint32_t>(std::stoul(m[5]));
    f.end_stream = (f.type == "DATA" || f.type == "HEADERS") && (flags & 0x01);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace automuse::http::test
