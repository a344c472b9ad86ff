#pragma once

#include <string>
#include <string_view>

#include "core/ports/speech_to_text.hpp"

namespace crossvoice::deepgram {

// The query string (without the '?') of POST /v1/listen for `request` (vendor-apis.md E): Deepgram takes every
// option as a query parameter, never in the body. `default_model` is used when the request names none.
//
// Booleans are only sent when true, except punctuate and smart_format, which default to true on our side and
// false on Deepgram's, so both values must travel. Boosted words go as `keyterm` to Nova-3 models (which refuse
// `keywords`) and as `keywords` to every other model. Values are percent-encoded (RFC 3986 unreserved kept).
std::string listen_query(const core::ports::SttRequest& request, std::string_view default_model);

// Whether `model` belongs to the Nova-3 family ("nova-3", "nova-3-medical", …), which takes keyterm prompting.
bool takes_keyterms(std::string_view model);

// RFC 3986 query value: unreserved characters stay, every other byte is %XX.
std::string percent_encode(std::string_view text);

}  // namespace crossvoice::deepgram
