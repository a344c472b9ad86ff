#pragma once

#include "core/ports/phone_numbers.hpp"

namespace crossvoice::language {

// libphonenumber's view of a number: parsed without a default region (so only "+<country>…" numbers parse),
// then IsValidNumber, which checks length and ranges against the country's numbering plan.
class PhoneNumberChecker final : public core::ports::PhoneNumbers {
  public:
    core::Status check_dialable(std::string_view field, std::string_view e164) const override;
};

}  // namespace crossvoice::language
