#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace crossvoice::core::ports {

// Whether a phone number can be dialled: E.164 syntax is checked by core::is_e164, this asks the numbering
// plan (country code, length, number ranges). The libphonenumber adapter answers it.
class PhoneNumbers {
  public:
    virtual ~PhoneNumbers() = default;
    // `field` names the input in errors. kValidation with a message naming the field and why
    // ("not an E.164 number", "not a valid number for country code 44") when the number cannot be dialled.
    virtual Status check_dialable(std::string_view field, std::string_view e164) const = 0;
};

}  // namespace crossvoice::core::ports
