#pragma once

#include <string_view>

#include "core/error.hpp"
#include "core/result.hpp"
#include "core/transcript.hpp"

namespace crossvoice::deepgram {

// Reading what POST /v1/listen answers (vendor-apis.md E). Pure functions: no I/O, nothing throws, any bytes are
// accepted (fuzzed by fuzz/fuzz_deepgram_response.cpp). Every error they return has details["vendor"] =
// "deepgram".

// A 2xx body → Transcript. Per channel, alternatives[0] gives the words (channel = the channel's index), the text
// (channels joined with "\n") and the confidence (the mean over channels); the first detected_language is kept
// with language_source "engine". Entities keep Deepgram's label (lower-cased) and get word indices into
// Transcript::words and byte offsets into Transcript::text. Utterances, summary.short, sentiments.average and
// the unique topic and intent labels are copied. metadata gives request_id, duration, channels and the model.
// Optional members may be missing; a member of the wrong type, or no results.channels, is kVendor
// "Deepgram answered with an unexpected shape: <where>" with details["field"] = <where>. provider is left for
// the caller to set.
core::Result<core::Transcript> map_listen_response(std::string_view json);

// A non-2xx answer. Both of Deepgram's error bodies ({err_code, err_msg, request_id} and {category, message,
// details, request_id}) give details vendor_code, vendor_message and request_id; a body of neither shape gives
// vendor_message = an excerpt. details["status"] is always set. The kind follows the status: 401/403 kVendor
// saying the key was refused, 400 about unreadable audio kUnsupportedMediaType, 413 kPayloadTooLarge, 429
// kRateLimited, everything else (5xx included) kVendor. Vendor text is reduced to printable ASCII and shortened.
core::Error map_listen_error(int status, std::string_view body);

}  // namespace crossvoice::deepgram
