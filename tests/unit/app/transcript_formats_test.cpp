#include "app/transcript_formats.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace crossvoice::app {
namespace {

core::TranscriptWord word(std::string text, double start, double end, std::optional<int> speaker = std::nullopt) {
    core::TranscriptWord out;
    out.word = text;
    out.punctuated = std::move(text);
    out.start = start;
    out.end = end;
    out.speaker = speaker;
    return out;
}

core::Utterance utterance(double start, double end, std::optional<int> speaker, std::string text) {
    core::Utterance out;
    out.start = start;
    out.end = end;
    out.speaker = speaker;
    out.text = std::move(text);
    return out;
}

core::Speaker speaker(int id, std::string label) {
    core::Speaker out;
    out.id = id;
    out.label = std::move(label);
    return out;
}

// The text lines of an SRT document (each cue: index, times, text, blank).
std::vector<std::string> srt_texts(const std::string& srt) {
    std::vector<std::string> lines;
    std::size_t begin = 0;
    while (begin < srt.size()) {
        const auto end = srt.find('\n', begin);
        lines.push_back(srt.substr(begin, end - begin));
        begin = end + 1;
    }
    std::vector<std::string> texts;
    for (std::size_t i = 2; i < lines.size(); i += 4) texts.push_back(lines[i]);
    return texts;
}

TEST(TranscriptFormats, SubtitleTimes) {
    EXPECT_EQ(subtitle_time(0, ','), "00:00:00,000");
    EXPECT_EQ(subtitle_time(1.5, ','), "00:00:01,500");
    EXPECT_EQ(subtitle_time(3661.007, ','), "01:01:01,007");
    EXPECT_EQ(subtitle_time(3661.007, '.'), "01:01:01.007");
    EXPECT_EQ(subtitle_time(59.9996, ','), "00:01:00,000") << "milliseconds round, carrying into seconds";
    EXPECT_EQ(subtitle_time(-2.5, ','), "00:00:00,000") << "negative times clamp to zero";
}

TEST(TranscriptFormats, ExactSrtAndVttForASmallTranscript) {
    core::Transcript transcript;
    transcript.text = "Hello, thanks for calling. Hi, I need help.";
    transcript.speakers = {speaker(0, "caller"), speaker(1, "agent")};
    transcript.utterances = {utterance(0.5, 2.25, 0, "Hello, thanks for calling."),
                             utterance(2.5, 4.0, 1, "Hi, I need help.")};
    EXPECT_EQ(to_srt(transcript),
              "1\n"
              "00:00:00,500 --> 00:00:02,250\n"
              "caller: Hello, thanks for calling.\n"
              "\n"
              "2\n"
              "00:00:02,500 --> 00:00:04,000\n"
              "agent: Hi, I need help.\n"
              "\n");
    EXPECT_EQ(to_vtt(transcript),
              "WEBVTT\n"
              "\n"
              "00:00:00.500 --> 00:00:02.250\n"
              "caller: Hello, thanks for calling.\n"
              "\n"
              "00:00:02.500 --> 00:00:04.000\n"
              "agent: Hi, I need help.\n"
              "\n");
}

TEST(TranscriptFormats, UtterancesWinOverWordsAndEmptyOnesAreSkipped) {
    core::Transcript transcript;
    transcript.words = {word("ignored", 0, 1)};
    transcript.utterances = {utterance(0, 1, std::nullopt, "first"), utterance(1, 2, std::nullopt, ""),
                             utterance(2, 3, std::nullopt, "third")};
    EXPECT_EQ(to_srt(transcript),
              "1\n00:00:00,000 --> 00:00:01,000\nfirst\n\n"
              "2\n00:00:02,000 --> 00:00:03,000\nthird\n\n");
}

TEST(TranscriptFormats, SpeakerLabelsOnlyWithTwoOrMoreSpeakers) {
    core::Transcript one;
    one.speakers = {speaker(0, "caller")};
    one.utterances = {utterance(0, 1, 0, "alone")};
    EXPECT_EQ(srt_texts(to_srt(one)), std::vector<std::string>{"alone"});

    core::Transcript two = one;
    two.speakers.push_back(speaker(1, "agent"));
    two.utterances.push_back(utterance(1, 2, 1, "hello"));
    two.utterances.push_back(utterance(2, 3, 4, "stranger"));
    two.utterances.push_back(utterance(3, 4, std::nullopt, "nobody"));
    EXPECT_EQ(srt_texts(to_srt(two)),
              (std::vector<std::string>{"caller: alone", "agent: hello", "speaker 5: stranger", "nobody"}));
}

TEST(TranscriptFormats, WordsSplitAtTwelveWords) {
    core::Transcript transcript;
    for (int i = 0; i < 13; ++i) transcript.words.push_back(word("w" + std::to_string(i), i * 0.2, i * 0.2 + 0.1));
    EXPECT_EQ(srt_texts(to_srt(transcript)),
              (std::vector<std::string>{"w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11", "w12"}));
}

TEST(TranscriptFormats, WordsSplitWhenACueWouldPassSevenSeconds) {
    core::Transcript transcript;
    for (int i = 0; i < 10; ++i) transcript.words.push_back(word("w" + std::to_string(i), i, i + 0.5));
    // w7 ends at 7.5 s, 7.5 s after the cue began: it starts the next cue.
    EXPECT_EQ(to_srt(transcript),
              "1\n00:00:00,000 --> 00:00:06,500\nw0 w1 w2 w3 w4 w5 w6\n\n"
              "2\n00:00:07,000 --> 00:00:09,500\nw7 w8 w9\n\n");
}

TEST(TranscriptFormats, WordsSplitAtASpeakerChangeAndPreferPunctuation) {
    core::Transcript transcript;
    transcript.speakers = {speaker(0, "caller"), speaker(1, "agent")};
    transcript.words = {word("hi", 0, 0.3, 0), word("there", 0.3, 0.6, 0), word("hello", 1, 1.4, 1)};
    transcript.words[1].punctuated = "there.";
    transcript.words[2].punctuated = "";  // an engine without punctuation: the plain word is used
    EXPECT_EQ(to_vtt(transcript),
              "WEBVTT\n\n"
              "00:00:00.000 --> 00:00:00.600\ncaller: hi there.\n\n"
              "00:00:01.000 --> 00:00:01.400\nagent: hello\n\n");
}

TEST(TranscriptFormats, TextIsTheFallbackWithoutWordsOrUtterances) {
    core::Transcript transcript;
    transcript.text = "just the text";
    transcript.duration = 2.5;
    EXPECT_EQ(to_srt(transcript), "1\n00:00:00,000 --> 00:00:02,500\njust the text\n\n");
    EXPECT_EQ(to_vtt(transcript), "WEBVTT\n\n00:00:00.000 --> 00:00:02.500\njust the text\n\n");
}

TEST(TranscriptFormats, AnEmptyTranscriptHasNoCues) {
    const core::Transcript empty;
    EXPECT_EQ(to_srt(empty), "");
    EXPECT_EQ(to_vtt(empty), "WEBVTT\n\n");
}

}  // namespace
}  // namespace crossvoice::app
