// plugins/instagram/describe.hpp — the describe() document: the account's fields and each
// action's options (sdk/include/automuse/plugin.h).
#pragma once

#include <string>

namespace instagram {

const std::string &description_json();

}  // namespace instagram
