#include "language/diarizer.hpp"

#include <gtest/gtest.h>

#include "transcript_fixture.hpp"

namespace crossvoice::language {
namespace {

using testing::split;
using testing::transcript_of;

TEST(Diarize, EngineSpeakersBecomeNumberedSpeakersWithARunOfWordsPerSegment) {
    core::Transcript transcript = transcript_of(split("Hello, how can I help? My card expired. I see."));
    // "Hello, how can I help?" speaker 0, "My card expired." speaker 1, "I see." speaker 0.
    const int speakers[] = {0, 0, 0, 0, 0, 1, 1, 1, 0, 0};
    for (std::size_t i = 0; i < transcript.words.size(); ++i) transcript.words[i].speaker = speakers[i];
    transcript.words[6].speaker.reset();  // engines leave edge words unassigned now and then
    core::Utterance utterance;
    utterance.start = 2.5;
    utterance.end = 3.9;
    utterance.text = "My card expired.";
    transcript.utterances.push_back(utterance);

    diarize(transcript);

    ASSERT_EQ(transcript.speakers.size(), 2U);
    const core::Speaker& first = transcript.speakers[0];
    const core::Speaker& second = transcript.speakers[1];
    EXPECT_EQ(first.id, 0);
    EXPECT_EQ(first.label, "speaker 1");
    EXPECT_EQ(second.id, 1);
    EXPECT_EQ(second.label, "speaker 2");
    ASSERT_EQ(first.segments.size(), 2U);
    EXPECT_EQ(first.segments[0].text, "Hello, how can I help?");
    EXPECT_DOUBLE_EQ(first.segments[0].start, 0.0);
    EXPECT_DOUBLE_EQ(first.segments[0].end, 2.4);
    EXPECT_EQ(first.segments[1].text, "I see.");
    ASSERT_EQ(second.segments.size(), 1U);
    EXPECT_EQ(second.segments[0].text, "My card expired.");
    EXPECT_DOUBLE_EQ(second.segments[0].start, 2.5);
    EXPECT_DOUBLE_EQ(second.segments[0].end, 3.9);
    EXPECT_NEAR(first.talk_time, 2.4 + 0.9, 1e-9);
    EXPECT_NEAR(second.talk_time, 1.4, 1e-9);
    EXPECT_EQ(first.channel, 0);
    EXPECT_EQ(transcript.words[6].speaker, 1);  // took the speaker before it
    EXPECT_EQ(transcript.utterances[0].speaker, 1);
}

TEST(Diarize, TwoChannelRecordingsSplitCallerAndAgentInTimeOrder) {
    // The engine gives each channel's words one channel after the other.
    core::Transcript caller = transcript_of(split("Hi, my internet is down."));
    core::Transcript agent = transcript_of(split("Thanks for calling. Let me check."), 1);
    // caller: 0.0-2.4; agent words at 3.0.. (shifted), and one caller reply after the agent.
    core::Transcript transcript;
    transcript.channels = 2;
    for (core::TranscriptWord word : caller.words) transcript.words.push_back(word);
    for (core::TranscriptWord word : agent.words) {
        word.start += 3.0;
        word.end += 3.0;
        transcript.words.push_back(word);
    }
    core::TranscriptWord late = caller.words[0];
    late.punctuated = "Okay.";
    late.word = "okay";
    late.start = 6.0;
    late.end = 6.3;
    transcript.words.push_back(late);
    core::Utterance utterance;
    utterance.channel = 1;
    utterance.start = 3.0;
    utterance.text = "Thanks for calling. Let me check.";
    transcript.utterances.push_back(utterance);

    diarize(transcript);

    ASSERT_EQ(transcript.speakers.size(), 2U);
    const core::Speaker& c = transcript.speakers[0];
    const core::Speaker& a = transcript.speakers[1];
    EXPECT_EQ(c.label, "caller");
    EXPECT_EQ(c.id, 0);
    EXPECT_EQ(c.channel, 0);
    EXPECT_EQ(a.label, "agent");
    EXPECT_EQ(a.id, 1);
    EXPECT_EQ(a.channel, 1);
    ASSERT_EQ(c.segments.size(), 2U);
    EXPECT_EQ(c.segments[0].text, "Hi, my internet is down.");
    EXPECT_EQ(c.segments[1].text, "Okay.");
    ASSERT_EQ(a.segments.size(), 1U);
    EXPECT_EQ(a.segments[0].text, "Thanks for calling. Let me check.");
    EXPECT_DOUBLE_EQ(a.segments[0].start, 3.0);
    EXPECT_NEAR(c.talk_time, 2.4 + 0.3, 1e-9);
    for (const core::TranscriptWord& word : transcript.words) EXPECT_EQ(word.speaker, word.channel) << word.word;
    EXPECT_EQ(transcript.utterances[0].speaker, 1);
}

TEST(Diarize, OneSpeakerOverTheUtterances) {
    core::Transcript transcript = transcript_of(split("I would like to pay my bill. Thanks."));
    transcript.utterances.push_back({0.0, 3.0, 0.9, 0, std::nullopt, "I would like to pay my bill."});
    transcript.utterances.push_back({3.5, 4.0, 0.9, 0, std::nullopt, "Thanks."});

    diarize(transcript);

    ASSERT_EQ(transcript.speakers.size(), 1U);
    const core::Speaker& only = transcript.speakers[0];
    EXPECT_EQ(only.label, "speaker 1");
    ASSERT_EQ(only.segments.size(), 2U);
    EXPECT_EQ(only.segments[1].text, "Thanks.");
    EXPECT_NEAR(only.talk_time, 3.5, 1e-9);
    for (const core::TranscriptWord& word : transcript.words) EXPECT_EQ(word.speaker, 0);
    for (const core::Utterance& utterance : transcript.utterances) EXPECT_EQ(utterance.speaker, 0);
}

TEST(Diarize, OneSpeakerOverAllTheWordsWithoutUtterances) {
    core::Transcript transcript = transcript_of(split("one segment of words"));
    diarize(transcript);
    ASSERT_EQ(transcript.speakers.size(), 1U);
    ASSERT_EQ(transcript.speakers[0].segments.size(), 1U);
    EXPECT_EQ(transcript.speakers[0].segments[0].text, "one segment of words");
    EXPECT_DOUBLE_EQ(transcript.speakers[0].segments[0].end, 1.9);
}

TEST(Diarize, OneSpeakerOverTheTextWithoutWords) {
    core::Transcript transcript;
    transcript.text = "Just text.";
    transcript.duration = 2.5;
    diarize(transcript);
    ASSERT_EQ(transcript.speakers.size(), 1U);
    ASSERT_EQ(transcript.speakers[0].segments.size(), 1U);
    EXPECT_EQ(transcript.speakers[0].segments[0].text, "Just text.");
    EXPECT_DOUBLE_EQ(transcript.speakers[0].talk_time, 2.5);

    core::Transcript silent;
    diarize(silent);
    EXPECT_TRUE(silent.speakers.empty());
}

TEST(Diarize, ASecondChannelWithoutTwoChannelsDeclaredIsOneSpeaker) {
    core::Transcript transcript = transcript_of(split("mono call"), 1);
    transcript.channels = 1;
    diarize(transcript);
    ASSERT_EQ(transcript.speakers.size(), 1U);
    EXPECT_EQ(transcript.speakers[0].label, "speaker 1");
}

}  // namespace
}  // namespace crossvoice::language
