#pragma once

#include "core/result.hpp"
#include "core/wav.hpp"

namespace crossvoice::speech {

// Converts `audio` to `target_rate` (libsoxr, high quality), keeping its channels. The same rate returns a
// copy. kValidation for a rate outside 1 kHz..192 kHz.
core::Result<core::PcmAudio> resample(const core::PcmAudio& audio, int target_rate);

}  // namespace crossvoice::speech
