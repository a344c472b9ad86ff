#include "api/form_params.hpp"

#include <fmt/format.h>

#include "http/message.hpp"

namespace crossvoice::api {

core::Result<FormPairs> parse_form(std::string_view text) {
    FormPairs out;
    std::size_t at = 0;
    while (at <= text.size()) {
        auto end = text.find('&', at);
        if (end == std::string_view::npos) end = text.size();
        const auto pair = text.substr(at, end - at);
        at = end + 1;
        if (pair.empty()) {
            if (end == text.size()) break;
            continue;  // "a=1&&b=2": browsers and carriers tolerate empty pairs, so do we
        }
        if (out.size() == kMaxFormFields) {
            return core::Error::bad_request(fmt::format("the form has more than {} fields", kMaxFormFields));
        }
        const auto equals = pair.find('=');
        const auto raw_name = pair.substr(0, equals);
        const auto raw_value = equals == std::string_view::npos ? std::string_view{} : pair.substr(equals + 1);
        auto name = http::percent_decode(raw_name, true);
        if (!name || name->empty()) {
            return core::Error::bad_request(
                fmt::format("form field '{}' has a bad or empty name", std::string(raw_name.substr(0, 64))));
        }
        auto value = http::percent_decode(raw_value, true);
        if (!value) return core::Error::bad_request(fmt::format("form field '{}' has a bad percent escape", *name));
        out.emplace_back(std::move(*name), std::move(*value));
    }
    return out;
}

}  // namespace crossvoice::api
