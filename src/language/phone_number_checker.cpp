#include "language/phone_number_checker.hpp"

#include <fmt/format.h>
#include <phonenumbers/phonenumberutil.h>

#include <string>

#include "core/e164.hpp"

namespace crossvoice::language {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

core::Status PhoneNumberChecker::check_dialable(std::string_view field, std::string_view e164) const {
    const std::string name(field);
    if (!core::is_e164(e164)) {
        return core::Error::validation(name, fmt::format("{} must be an E.164 number like +14155550123", name));
    }
    // GetInstance is a thread-safe singleton; Parse and IsValidNumber only read its metadata.
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    PhoneNumber parsed;
    if (util.Parse(std::string(e164), "ZZ", &parsed) != PhoneNumberUtil::NO_PARSING_ERROR) {
        return core::Error::validation(name, fmt::format("{} has no known country calling code", name));
    }
    if (!util.IsValidNumber(parsed)) {
        return core::Error::validation(
            name, fmt::format("{} is not a valid number for country code +{}", name, parsed.country_code()));
    }
    return {};
}

}  // namespace crossvoice::language
