#pragma once

#include "core/transcript.hpp"

namespace crossvoice::language {

// Fills transcript.speakers (replacing what was there), from the best evidence the transcript has:
// 1. speakers on the words (the engine diarized: Deepgram diarize): one speaker per id, labelled "speaker 1",
//    "speaker 2"... (id + 1), a segment per run of consecutive words of that speaker;
// 2. otherwise a two-channel recording whose words carry channels 0 and 1 (a call recorded caller and agent
//    apart): speaker id = channel, "caller" (0) and "agent" (1), segments per run of one channel in time order;
// 3. otherwise one "speaker 1", its segments the utterances, or all the words, or the text.
// Words and utterances without a speaker get the one derived for them. talk_time is the sum of the segments.
// Pure and thread-safe.
void diarize(core::Transcript& transcript);

}  // namespace crossvoice::language
