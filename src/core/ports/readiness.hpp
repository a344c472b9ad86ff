#pragma once

#include <string>

#include "core/result.hpp"

namespace crossvoice::core::ports {

// A dependency that /readyz asks: "can you serve right now?"
class ReadinessProbe {
  public:
    virtual ~ReadinessProbe() = default;
    virtual std::string name() const = 0;
    // Which implementation answers ("sqlite", "postgres", …), shown beside the name; "" when there is one kind.
    virtual std::string provider() const { return {}; }
    virtual Status check() = 0;
};

}  // namespace crossvoice::core::ports
