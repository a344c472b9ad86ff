#include "language/diarizer.hpp"

#include <algorithm>
#include <cstddef>
#include <map>
#include <numeric>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "language/entity_extractor.hpp"

namespace crossvoice::language {
namespace {

constexpr int kCallerChannel = 0;
constexpr int kAgentChannel = 1;

std::string numbered_label(int id) { return "speaker " + std::to_string(id + 1); }

// Builds one speaker's segments from runs of consecutive words (in `order`) that `owner` gives the same id.
template <typename Owner>
std::vector<core::Speaker> speakers_from_runs(const std::vector<core::TranscriptWord>& words,
                                              const std::vector<std::size_t>& order, Owner owner) {
    std::map<int, core::Speaker> by_id;
    std::size_t i = 0;
    while (i < order.size()) {
        const int id = owner(words[order[i]]);
        std::size_t j = i;
        core::SpeakerSegment segment;
        segment.start = words[order[i]].start;
        while (j < order.size() && owner(words[order[j]]) == id) {
            const core::TranscriptWord& word = words[order[j]];
            if (!segment.text.empty()) segment.text.push_back(' ');
            segment.text += word_text(word);
            segment.end = std::max(segment.end, word.end);
            ++j;
        }
        core::Speaker& speaker = by_id[id];
        speaker.id = id;
        speaker.segments.push_back(std::move(segment));
        i = j;
    }
    std::vector<core::Speaker> speakers;
    for (auto& [id, speaker] : by_id) speakers.push_back(std::move(speaker));
    return speakers;
}

// The channel every one of the speaker's words is on, when there is one.
std::optional<int> common_channel(const std::vector<core::TranscriptWord>& words, int speaker) {
    std::optional<int> channel;
    for (const core::TranscriptWord& word : words) {
        if (word.speaker != speaker) continue;
        if (channel && *channel != word.channel) return std::nullopt;
        channel = word.channel;
    }
    return channel;
}

// The speaker most of an utterance's words (same channel, middle inside its time) belong to.
std::optional<int> majority_speaker(const std::vector<core::TranscriptWord>& words, const core::Utterance& utterance) {
    std::map<int, int> votes;
    for (const core::TranscriptWord& word : words) {
        const double middle = (word.start + word.end) / 2;
        if (word.speaker && word.channel == utterance.channel && middle >= utterance.start && middle <= utterance.end) {
            ++votes[*word.speaker];
        }
    }
    if (votes.empty()) return std::nullopt;
    return std::max_element(votes.begin(), votes.end(),
                            [](const auto& a, const auto& b) { return a.second < b.second; })
        ->first;
}

std::vector<std::size_t> in_order(std::size_t count) {
    std::vector<std::size_t> order(count);
    std::iota(order.begin(), order.end(), 0);
    return order;
}

void by_engine_speakers(core::Transcript& transcript) {
    auto& words = transcript.words;
    // A word the engine left without a speaker (it happens at segment edges) belongs to the one before it.
    std::optional<int> last;
    for (core::TranscriptWord& word : words) {
        if (!word.speaker) word.speaker = last;
        last = word.speaker;
    }
    const auto first_known =
        std::find_if(words.begin(), words.end(), [](const auto& w) { return w.speaker.has_value(); });
    for (auto it = words.begin(); it != first_known; ++it) it->speaker = first_known->speaker;

    transcript.speakers = speakers_from_runs(words, in_order(words.size()),
                                             [](const core::TranscriptWord& word) { return *word.speaker; });
    for (core::Speaker& speaker : transcript.speakers) {
        speaker.label = numbered_label(speaker.id);
        speaker.channel = common_channel(words, speaker.id);
    }
    for (core::Utterance& utterance : transcript.utterances) {
        if (!utterance.speaker) utterance.speaker = majority_speaker(words, utterance);
    }
}

void by_channel(core::Transcript& transcript) {
    auto& words = transcript.words;
    // Each channel's words come one channel after the other; the conversation is their merge by time.
    std::vector<std::size_t> order = in_order(words.size());
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return words[a].start < words[b].start; });
    transcript.speakers =
        speakers_from_runs(words, order, [](const core::TranscriptWord& word) { return word.channel; });
    for (core::Speaker& speaker : transcript.speakers) {
        speaker.label = speaker.id == kCallerChannel ? "caller" : "agent";
        speaker.channel = speaker.id;
    }
    for (core::TranscriptWord& word : words) {
        if (!word.speaker) word.speaker = word.channel;
    }
    for (core::Utterance& utterance : transcript.utterances) {
        if (!utterance.speaker && (utterance.channel == kCallerChannel || utterance.channel == kAgentChannel)) {
            utterance.speaker = utterance.channel;
        }
    }
}

void as_one_speaker(core::Transcript& transcript) {
    core::Speaker speaker;
    speaker.id = 0;
    speaker.label = numbered_label(0);
    if (!transcript.utterances.empty()) {
        for (const core::Utterance& utterance : transcript.utterances) {
            speaker.segments.push_back({utterance.start, utterance.end, utterance.text});
        }
    } else if (!transcript.words.empty()) {
        speaker.segments = speakers_from_runs(transcript.words, in_order(transcript.words.size()),
                                              [](const core::TranscriptWord&) { return 0; })
                               .front()
                               .segments;
    } else if (!transcript.text.empty()) {
        speaker.segments.push_back({0, transcript.duration, transcript.text});
    }
    transcript.speakers.clear();
    if (speaker.segments.empty()) return;
    const bool one_channel = transcript.channels == 1;
    if (one_channel) speaker.channel = 0;
    transcript.speakers.push_back(std::move(speaker));
    for (core::TranscriptWord& word : transcript.words) {
        if (!word.speaker) word.speaker = 0;
    }
    for (core::Utterance& utterance : transcript.utterances) {
        if (!utterance.speaker) utterance.speaker = 0;
    }
}

}  // namespace

void diarize(core::Transcript& transcript) {
    const auto& words = transcript.words;
    const bool engine_speakers =
        std::any_of(words.begin(), words.end(), [](const core::TranscriptWord& w) { return w.speaker.has_value(); });
    const bool two_channels = transcript.channels == 2 && !words.empty() &&
                              std::all_of(words.begin(), words.end(), [](const core::TranscriptWord& w) {
                                  return w.channel == kCallerChannel || w.channel == kAgentChannel;
                              });
    if (engine_speakers) {
        by_engine_speakers(transcript);
    } else if (two_channels) {
        by_channel(transcript);
    } else {
        as_one_speaker(transcript);
    }
    for (core::Speaker& speaker : transcript.speakers) {
        speaker.talk_time = 0;
        for (const core::SpeakerSegment& segment : speaker.segments) speaker.talk_time += segment.end - segment.start;
    }
}

}  // namespace crossvoice::language
