// host/images/image_error.hpp — the images module's error: a status for the C boundary and a
// message naming the file, field or provider at fault.
#pragma once

#include <automuse/types.h>

#include <stdexcept>
#include <string>

namespace automuse::images {

class ImageError : public std::runtime_error {
 public:
  ImageError(am_status status, const std::string &message)
      : std::runtime_error(message), status_(status) {}
  am_status status() const noexcept { return status_; }

 private:
  am_status status_;
};

}  // namespace automuse::images
