// tests/web/page_test.cpp — the dashboard page's embedded files (host/web/static/) as they are
// in the binary: the page works without a network (no outside URL, nothing fetched from a
// CDN), nothing the Content-Security-Policy would block or that would weaken it (no inline
// script, style or handler; no eval, no HTML built from strings), and a label for every
// control of the HTML. The browser test (browser_test.cpp) checks the live page's controls,
// those the script makes included.
#include <gtest/gtest.h>

#include <regex>

#include "web/static_files.hpp"

using namespace automuse::web;

namespace {

std::string file(const std::string &path) {
  for (const StaticFile &f : static_files())
    if (f.path == path) return std::string(f.body);
  ADD_FAILURE() << "no embedded " << path;
  return "";
}

}  // namespace

TEST(Page, EveryFileIsEmbeddedWithItsType) {
  ASSERT_EQ(static_files().size(), 4u);
  for (const StaticFile &f : static_files()) {
    EXPECT_GT(f.body.size(), 100u) << f.path;
    EXPECT_FALSE(f.content_type.empty()) << f.path;
  }
  EXPECT_NE(file("/index.html").find("<script src=\"/app.js\" defer></script>"), std::string::npos);
}

TEST(Page, NothingComesFromOutsideTheServer) {
  // A host name after "//" (with or without a scheme); the SVG namespace is a name, not a fetch.
  const std::regex outside(R"((https?:)?//[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+)");
  for (const StaticFile &f : static_files()) {
    std::string text(f.body);
    if (f.path == "/icon.svg")
      text = std::regex_replace(text, std::regex("xmlns=\"http://www\\.w3\\.org/2000/svg\""), "");
    std::smatch m;
    EXPECT_FALSE(std::regex_search(text, m, outside)) << f.path << ": " << m.str();
    EXPECT_EQ(text.find("@import"), std::string::npos) << f.path;
  }
}

TEST(Page, NothingInlineAndNoHtmlFromStrings) {
  const std::string html = file("/index.html");
  std::smatch m;
  // Every <script> has a src; no style attribute or element; no on… handler attribute.
  EXPECT_FALSE(std::regex_search(html, m, std::regex("<script(?![^>]*\\bsrc=)"))) << m.str();
  EXPECT_FALSE(std::regex_search(html, m, std::regex("\\sstyle=|<style"))) << m.str();
  EXPECT_FALSE(std::regex_search(html, m, std::regex("\\son[a-z]+="))) << m.str();
  EXPECT_EQ(html.find("javascript:"), std::string::npos);
  const std::string js = file("/app.js");
  for (const char *banned :
       {"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
        "localStorage", "sessionStorage", "document.cookie", ".style."})
    EXPECT_EQ(js.find(banned), std::string::npos) << banned;
}

TEST(Page, EveryControlOfTheHtmlHasALabel) {
  const std::string html = file("/index.html");
  const std::regex control(R"(<(input|select|textarea)\b[^>]*>)");
  int controls = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), control);
       it != std::sregex_iterator(); ++it) {
    const std::string tag = it->str();
    if (tag.find("type=\"hidden\"") != std::string::npos) continue;
    ++controls;
    std::smatch id;
    ASSERT_TRUE(std::regex_search(tag, id, std::regex("\\bid=\"([^\"]+)\""))) << tag;
    const bool labelled_for = html.find("for=\"" + id[1].str() + "\"") != std::string::npos;
    // Or inside a <label> still open where it stands.
    const std::string before = html.substr(0, static_cast<size_t>(it->position()));
    const size_t open = before.rfind("<label"), close = before.rfind("</label>");
    const bool wrapped = open != std::string::npos && (close == std::string::npos || close < open);
    const bool aria = tag.find("aria-label") != std::string::npos;
    EXPECT_TRUE(labelled_for || wrapped || aria) << tag;
  }
  EXPECT_GE(controls, 15);
  EXPECT_NE(html.find("<meta name=\"viewport\""), std::string::npos);
  EXPECT_NE(html.find("<html lang=\"en\">"), std::string::npos);
}
