#include "deepgram/listen_query.hpp"

#include <gtest/gtest.h>

namespace crossvoice::deepgram {
namespace {

using core::ports::SttRequest;

SttRequest plain() {
    SttRequest request;
    request.utterances = false;
    return request;
}

TEST(ListenQueryTest, DefaultsSendTheModelAndBothFormattingFlags) {
    EXPECT_EQ(listen_query(plain(), "nova-3"), "model=nova-3&punctuate=true&smart_format=true");
}

TEST(ListenQueryTest, PunctuateAndSmartFormatAreSentWhenFalse) {
    auto request = plain();
    request.punctuate = false;
    request.smart_format = false;
    EXPECT_EQ(listen_query(request, "nova-3"), "model=nova-3&punctuate=false&smart_format=false");
}

TEST(ListenQueryTest, TheRequestsModelWinsOverTheDefault) {
    auto request = plain();
    request.model = "nova-2-phonecall";
    EXPECT_EQ(listen_query(request, "nova-3"), "model=nova-2-phonecall&punctuate=true&smart_format=true");
}

TEST(ListenQueryTest, LanguageIsSentAndSuppressesDetection) {
    auto request = plain();
    request.language = "en-US";
    request.detect_language = true;
    EXPECT_EQ(listen_query(request, "nova-3"), "model=nova-3&language=en-US&punctuate=true&smart_format=true");
}

TEST(ListenQueryTest, DetectLanguageWithoutALanguage) {
    auto request = plain();
    request.detect_language = true;
    EXPECT_EQ(listen_query(request, "nova-3"), "model=nova-3&detect_language=true&punctuate=true&smart_format=true");
}

TEST(ListenQueryTest, EveryBooleanOptionIsSentOnlyWhenTrue) {
    const std::vector<std::pair<bool SttRequest::*, std::string>> options = {
        {&SttRequest::diarize, "diarize=true"},           {&SttRequest::utterances, "utterances=true"},
        {&SttRequest::multichannel, "multichannel=true"}, {&SttRequest::detect_entities, "detect_entities=true"},
        {&SttRequest::sentiment, "sentiment=true"},       {&SttRequest::topics, "topics=true"},
        {&SttRequest::intents, "intents=true"},
    };
    for (const auto& [member, expected] : options) {
        auto request = plain();
        EXPECT_EQ(listen_query(request, "nova-3").find(expected.substr(0, expected.find('='))), std::string::npos)
            << expected << " is not sent when false";
        request.*member = true;
        EXPECT_EQ(listen_query(request, "nova-3"), "model=nova-3&punctuate=true&smart_format=true&" + expected);
    }
}

TEST(ListenQueryTest, SummarizeAsksForVersionTwo) {
    auto request = plain();
    request.summarize = true;
    EXPECT_EQ(listen_query(request, "nova-3"), "model=nova-3&punctuate=true&smart_format=true&summarize=v2");
}

TEST(ListenQueryTest, RedactIsRepeatedPerClass) {
    auto request = plain();
    request.redact = {"pci", "ssn", ""};
    EXPECT_EQ(listen_query(request, "nova-3"), "model=nova-3&punctuate=true&smart_format=true&redact=pci&redact=ssn");
}

TEST(ListenQueryTest, KeywordsGoToNova2AndKeytermsToNova3PercentEncoded) {
    auto request = plain();
    request.keywords = {"crossvoice", "order number", "café&co"};
    request.model = "nova-2";
    EXPECT_EQ(listen_query(request, "nova-3"),
              "model=nova-2&punctuate=true&smart_format=true&keywords=crossvoice&keywords=order%20number&"
              "keywords=caf%C3%A9%26co");
    request.model = "nova-3-medical";
    EXPECT_EQ(listen_query(request, "nova-3"),
              "model=nova-3-medical&punctuate=true&smart_format=true&keyterm=crossvoice&keyterm=order%20number&"
              "keyterm=caf%C3%A9%26co");
    request.model.reset();
    EXPECT_NE(listen_query(request, "nova-3").find("keyterm=crossvoice"), std::string::npos) << "the default model";
}

TEST(ListenQueryTest, ValuesCannotInjectParameters) {
    auto request = plain();
    request.language = "en&diarize=true";
    request.model = "nova-2#x";
    EXPECT_EQ(listen_query(request, "nova-3"),
              "model=nova-2%23x&language=en%26diarize%3Dtrue&punctuate=true&smart_format=true");
}

TEST(ListenQueryTest, EverythingTogetherInTheDocumentedOrder) {
    SttRequest request;
    request.model = "nova-3";
    request.detect_language = true;
    request.diarize = true;
    request.multichannel = true;
    request.redact = {"pci"};
    request.detect_entities = true;
    request.sentiment = true;
    request.topics = true;
    request.intents = true;
    request.summarize = true;
    request.keywords = {"refund"};
    EXPECT_EQ(listen_query(request, "nova-2"),
              "model=nova-3&detect_language=true&punctuate=true&smart_format=true&diarize=true&utterances=true&"
              "multichannel=true&redact=pci&detect_entities=true&sentiment=true&topics=true&intents=true&"
              "summarize=v2&keyterm=refund");
}

TEST(ListenQueryTest, TakesKeyterms) {
    EXPECT_TRUE(takes_keyterms("nova-3"));
    EXPECT_TRUE(takes_keyterms("nova-3-general"));
    EXPECT_FALSE(takes_keyterms("nova-2"));
    EXPECT_FALSE(takes_keyterms("nova-30"));
    EXPECT_FALSE(takes_keyterms("enhanced"));
}

}  // namespace
}  // namespace crossvoice::deepgram
