#pragma once

#include <string>
#include <vector>

#include "core/wav.hpp"

namespace crossvoice::sandbox {

using core::PcmAudio;

// Builds the audio of a sandbox recording as a conversation: our side speaks first (every text we sent with
// speak, one after another), then the far end answers with its speech. "dual" gives a 2-channel file like Telnyx's
// dual recordings: channel 1 our side, channel 2 the far end, each silent while the other talks; "single" puts
// both, one after the other, in one channel. Inputs are mono; one at another sample rate than the far end's is
// resampled (nearest neighbour: the engine is the same on both sides in practice, so this is a safety net).
std::string mix_recording(const std::vector<PcmAudio>& ours, const PcmAudio& far_end, bool dual);

// The far end's utterances one after another, mono at the first one's rate, with the same pause between them.
// Nothing said is a second of silence at `silent_rate`, so a recording of a caller who kept quiet is still a
// valid file of the right shape.
PcmAudio join_audio(const std::vector<PcmAudio>& turns, int silent_rate);

}  // namespace crossvoice::sandbox
