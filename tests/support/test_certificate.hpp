// Certificates made at test run time with OpenSSL: a throwaway CA and a server certificate it
// signs for 127.0.0.1 and localhost, so HTTPS tests prove that verification passes with the
// right CA configured and fails without it. Nothing is checked into the repository.
#pragma once

#include <filesystem>
#include <string>

namespace automuse::testing {

struct TestCertificate {
  std::string ca_pem;    // the CA certificate: give it to the client as its CA bundle
  std::string cert_pem;  // the server certificate (leaf), signed by the CA
  std::string key_pem;   // the server's private key

  // Generates a fresh CA and a leaf for `common_name` with SANs IP:127.0.0.1 and DNS:localhost,
  // valid from an hour ago for a day. Throws std::runtime_error naming the failing step.
  static TestCertificate generate(const std::string &common_name = "automuse test server");

  // Writes the CA PEM to `path` (for curl's CAINFO); returns path.
  std::filesystem::path write_ca_file(const std::filesystem::path &path) const;
};

}  // namespace automuse::testing
