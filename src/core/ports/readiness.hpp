#pragma once

#include <string>

#include "core/result.hpp"

namespace crossvoice::core::ports {

// A dependency that /readyz asks: "can you serve right now?"
class ReadinessProbe {
  public:
    virtual ~ReadinessProbe() = default;
    virtual std::string name() const = 0;
    virtual Status check() = 0;
};

}  // namespace crossvoice::core::ports
