#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "sandbox/telnyx_error.hpp"

namespace crossvoice::sandbox {

// Reads the fields of one Telnyx request body, stopping at the first problem: every reader after a failure does
// nothing, so a request is checked as a flat chain and the first error (with the JSON pointer of its field,
// as real Telnyx answers) is the one reported. Absent and null fields are "not given". Nothing throws.
class RequestFields {
  public:
    explicit RequestFields(const nlohmann::json& body) : body_(body) {}

    RequestFields& text(std::string_view key, std::optional<std::string>& out);
    RequestFields& required_text(std::string_view key, std::string& out);  // present and non-empty
    RequestFields& integer(std::string_view key, long long min, long long max, std::optional<int>& out);
    RequestFields& boolean(std::string_view key, std::optional<bool>& out);
    RequestFields& one_of(std::string_view key, std::initializer_list<std::string_view> allowed,
                          std::optional<std::string>& out);
    // Telnyx refuses client_state that is not base64; the text is kept as given, to be echoed back.
    RequestFields& base64(std::string_view key, std::optional<std::string>& out);
    // Required: E.164, or with allow_sip also a "sip:user@host" URI.
    RequestFields& phone(std::string_view key, bool allow_sip, std::string& out);
    // Every character from `alphabet`; non-empty when given.
    RequestFields& digits(std::string_view key, std::string_view alphabet, std::optional<std::string>& out);
    // A check of the caller's own: records `error` unless an earlier one is already recorded.
    RequestFields& fail_if(bool condition, const TelnyxError& error);

    bool ok() const { return !error_.has_value(); }
    const std::optional<TelnyxError>& error() const { return error_; }

  private:
    // The field when present and not null, else nullptr (also after an earlier failure).
    const nlohmann::json* find(std::string_view key) const;

    const nlohmann::json& body_;
    std::optional<TelnyxError> error_;
};

}  // namespace crossvoice::sandbox
