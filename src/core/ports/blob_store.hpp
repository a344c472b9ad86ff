#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace crossvoice::core::ports {

// Named byte blobs (recordings): files under the data directory on one machine, an object store later.
// Keys are relative paths of safe characters ("recordings/call_…/ev.wav"); put() replaces atomically, so a
// reader never sees half a file. Blocking; thread-safe.
class BlobStore {
  public:
    virtual ~BlobStore() = default;
    virtual Status put(const std::string& key, std::string_view bytes) = 0;
    virtual Result<std::optional<std::string>> get(const std::string& key) = 0;
};

}  // namespace crossvoice::core::ports
