// Exclusive, unpredictable temporary files beside an output (see temp_file.h).
#include "temp_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <string>
#include <system_error>

namespace automuse::render::detail {

TempFile::TempFile(std::filesystem::path target) : target_(std::move(target)) {
  // The extension stays last so that anything keyed on it still sees the right kind.
  const std::string suffix = target_.extension().string();
  std::string name = (target_.parent_path() / ".").string();
  name += target_.filename().string();
  name += ".partial-XXXXXX";
  name += suffix;
  const int fd = ::mkstemps(name.data(), static_cast<int>(suffix.size()));
  if (fd < 0)
    throw std::filesystem::filesystem_error("create a temporary file beside", target_,
                                            std::error_code(errno, std::generic_category()));
  ::fchmod(fd, 0644);
  ::close(fd);
  temp_ = name;
}

TempFile::~TempFile() {
  if (committed_) return;
  std::error_code ec;
  std::filesystem::remove(temp_, ec);
}

void TempFile::write(std::string_view bytes) {
  errno = 0;
  std::ofstream out(temp_, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out)  // errno says why (a full disk) where the stream sets it
    throw std::filesystem::filesystem_error(
        "write", target_, std::error_code(errno ? errno : EIO, std::generic_category()));
}

void TempFile::commit() {
  std::filesystem::rename(temp_, target_);
  committed_ = true;
}

}  // namespace automuse::render::detail
