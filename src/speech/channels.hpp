#pragma once

#include <vector>

#include "core/wav.hpp"

namespace crossvoice::speech {

// One mono PcmAudio per channel of `audio`, in channel order (a call recording: 0 = caller, 1 = agent).
std::vector<core::PcmAudio> split_channels(const core::PcmAudio& audio);

// The average of all channels, as mono. Mono input is returned as it is.
core::PcmAudio mix_to_mono(const core::PcmAudio& audio);

}  // namespace crossvoice::speech
