#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace crossvoice::core {

// Vendor text (error messages, field values) reduced to what may go into our JSON errors and logs: printable
// ASCII, runs of whitespace and control characters as one space, other bytes as '?', cut at `limit` characters
// with "..." added.
std::string printable(std::string_view text, std::size_t limit);

}  // namespace crossvoice::core
