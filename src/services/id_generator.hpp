#pragma once

#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/ports/crypto.hpp"

namespace crossvoice::services {

// Time-ordered ids (core::make_id) with entropy from the Crypto port.
class IdGenerator {
  public:
    IdGenerator(const core::Clock& clock, core::ports::Crypto& crypto) : clock_(clock), crypto_(crypto) {}
    std::string next(std::string_view prefix);

  private:
    const core::Clock& clock_;
    core::ports::Crypto& crypto_;
};

}  // namespace crossvoice::services
