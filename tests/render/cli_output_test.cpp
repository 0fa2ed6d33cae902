// What automuse-render writes to stderr, run as a child process with stderr to a file: no
// progress bar there (only a terminal shows one), the final loudness with the mix's and the
// gain, and for a bad input the renderer's message first, with FFmpeg's words about that
// input at its end instead of a raw "[png @ 0x...]" line before it.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "render_fixture.h"
#include "support/files.hpp"
#include "support/host_process.hpp"

namespace automuse::render::test {
namespace {

class CliOutput : public RenderFixture {
 protected:
  // Runs the CLI on `timeline` (written to timeline.json) with stderr to a file; returns
  // the exit status and sets err_.
  int run_cli(const std::string &timeline, const std::string &flags = "") {
    testing::write_file(at("timeline.json"), timeline);
    using testing::shell_quote;
    const std::string command = shell_quote(AUTOMUSE_RENDER_CLI) + " " + flags + " " +
                                shell_quote(at("timeline.json").string()) + " 2>" +
                                shell_quote(at("stderr.txt").string());
    const int status = std::system(command.c_str());
    err_ = testing::read_file(at("stderr.txt"));
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::vector<std::string> lines() const {
    std::vector<std::string> out;
    std::istringstream in(err_);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }
  // A PNG signature followed by zeros: FFmpeg's PNG decoder complains about its first chunk.
  void broken_png(const std::string &name) {
    testing::write_file(at(name), std::string("\x89PNG\r\n\x1a\n", 8) + std::string(50, '\0'));
  }
  std::string err_;
};

TEST_F(CliOutput, NoProgressBarWhenStderrIsAFileAndTheFinalLoudness) {
  solid_png("a.png", {60, 60, 60});
  write_tone_wav(at("quiet.wav"), 2.0, 440, 0.02);  // about -37 LUFS, no peak to limit
  ASSERT_EQ(run_cli(R"({"canvas": {"width": 270, "height": 480},
      "scenes": [{"image": "a.png", "duration": 2.0, "motion": "zoom_in"}],
      "audio": {"voice": "quiet.wav", "target_lufs": -16},
      "output": {"path": "out.mp4", "preset": "ultrafast"}})"),
            0)
      << err_;
  EXPECT_EQ(err_.find('\r'), std::string::npos) << err_;
  EXPECT_EQ(err_.find("[#"), std::string::npos) << err_;
  EXPECT_EQ(err_.find("eta"), std::string::npos) << err_;
  // The loudness as written first, then the mix's before normalisation and the gain.
  EXPECT_NE(err_.find("; loudness -16.0 LUFS (mix -3"), std::string::npos) << err_;
  EXPECT_NE(err_.find(" dB))\n"), std::string::npos) << err_;
  EXPECT_NE(err_.find("encoder: libx264\n"), std::string::npos) << err_;
}

TEST_F(CliOutput, ABrokenPictureIsReportedFirstWithFfmpegsWords) {
  broken_png("bad.png");
  const std::string timeline = R"({"canvas": {"width": 270, "height": 480},
      "scenes": [{"image": "bad.png", "duration": 1.0}], "output": {"path": "out.mp4"}})";
  for (const char *flags : {"--check", ""}) {
    SCOPED_TRACE(flags);
    EXPECT_EQ(run_cli(timeline, flags), 2) << err_;
    const auto l = lines();
    ASSERT_FALSE(l.empty());
    const std::string head = "automuse-render: " + at("timeline.json").string() +
                             ": scenes[0].image: cannot decode " + at("bad.png").string() + ": ";
    EXPECT_EQ(l[0].rfind(head, 0), 0u) << err_;
    EXPECT_NE(l[0].find(" (FFmpeg: "), std::string::npos) << err_;
    EXPECT_EQ(l[0].find("@ 0x"), std::string::npos) << "FFmpeg's prefix is taken off: " << err_;
    EXPECT_EQ(err_.find("[png @"), std::string::npos) << err_;
    EXPECT_FALSE(std::filesystem::exists(at("out.mp4")));
  }
}

}  // namespace
}  // namespace automuse::render::test
