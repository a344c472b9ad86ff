#include "sandbox/request_fields.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/e164.hpp"
#include "telnyx/base64.hpp"

namespace crossvoice::sandbox {
namespace {

std::string pointer_of(std::string_view key) { return "/" + std::string(key); }

}  // namespace

const nlohmann::json* RequestFields::find(std::string_view key) const {
    if (error_ || !body_.is_object()) return nullptr;
    const auto it = body_.find(key);
    if (it == body_.end() || it->is_null()) return nullptr;
    return &*it;
}

RequestFields& RequestFields::text(std::string_view key, std::optional<std::string>& out) {
    const auto* value = find(key);
    if (value == nullptr) return *this;
    if (!value->is_string())
        return fail_if(true, invalid_parameter(pointer_of(key), fmt::format("'{}' must be a string.", key)));
    out = value->get<std::string>();
    return *this;
}

RequestFields& RequestFields::required_text(std::string_view key, std::string& out) {
    if (error_) return *this;
    std::optional<std::string> value;
    text(key, value);
    if (error_) return *this;
    if (!value || value->empty()) return fail_if(true, missing_parameter(pointer_of(key)));
    out = std::move(*value);
    return *this;
}

RequestFields& RequestFields::integer(std::string_view key, long long min, long long max, std::optional<int>& out) {
    const auto* value = find(key);
    if (value == nullptr) return *this;
    const auto out_of_range =
        invalid_parameter(pointer_of(key), fmt::format("'{}' must be an integer between {} and {}.", key, min, max));
    if (!value->is_number_integer()) return fail_if(true, out_of_range);
    // Signed and unsigned JSON integers both fit in a double exactly enough to compare with small bounds, but
    // reading them as their own type avoids any rounding at the edges.
    const bool in_range = value->is_number_unsigned()
                              ? value->get<unsigned long long>() <= static_cast<unsigned long long>(max) &&
                                    static_cast<long long>(value->get<unsigned long long>()) >= min
                              : value->get<long long>() >= min && value->get<long long>() <= max;
    if (!in_range) return fail_if(true, out_of_range);
    out = static_cast<int>(value->get<long long>());
    return *this;
}

RequestFields& RequestFields::boolean(std::string_view key, std::optional<bool>& out) {
    const auto* value = find(key);
    if (value == nullptr) return *this;
    if (!value->is_boolean()) {
        return fail_if(true, invalid_parameter(pointer_of(key), fmt::format("'{}' must be true or false.", key)));
    }
    out = value->get<bool>();
    return *this;
}

RequestFields& RequestFields::one_of(std::string_view key, std::initializer_list<std::string_view> allowed,
                                     std::optional<std::string>& out) {
    std::optional<std::string> value;
    text(key, value);
    if (error_ || !value) return *this;
    for (const auto candidate : allowed) {
        if (candidate == *value) {
            out = std::move(value);
            return *this;
        }
    }
    return fail_if(true, invalid_parameter(pointer_of(key),
                                           fmt::format("'{}' must be one of: {}.", key, fmt::join(allowed, ", "))));
}

RequestFields& RequestFields::base64(std::string_view key, std::optional<std::string>& out) {
    std::optional<std::string> value;
    text(key, value);
    if (error_ || !value) return *this;
    if (!telnyx::decode_base64(*value)) {
        return fail_if(true, invalid_parameter(pointer_of(key), fmt::format("'{}' must be valid base64.", key)));
    }
    out = std::move(value);
    return *this;
}

RequestFields& RequestFields::phone(std::string_view key, bool allow_sip, std::string& out) {
    std::string value;
    required_text(key, value);
    if (error_) return *this;
    const bool sip =
        allow_sip && value.starts_with("sip:") && value.find('@') != std::string::npos && value.find('@') > 4;
    if (!sip && !core::is_e164(value)) {
        const auto expected =
            allow_sip ? "an E.164 number (+15551234567) or a sip: URI" : "an E.164 number (+15551234567)";
        return fail_if(true, invalid_phone_number(pointer_of(key), fmt::format("'{}' must be {}.", key, expected)));
    }
    out = std::move(value);
    return *this;
}

RequestFields& RequestFields::digits(std::string_view key, std::string_view alphabet, std::optional<std::string>& out) {
    std::optional<std::string> value;
    text(key, value);
    if (error_ || !value) return *this;
    if (value->empty() || value->find_first_not_of(alphabet) != std::string::npos) {
        return fail_if(true, invalid_parameter(pointer_of(key),
                                               fmt::format("'{}' must be made of the characters {}.", key, alphabet)));
    }
    out = std::move(value);
    return *this;
}

RequestFields& RequestFields::fail_if(bool condition, const TelnyxError& error) {
    if (condition && !error_) error_ = error;
    return *this;
}

}  // namespace crossvoice::sandbox
