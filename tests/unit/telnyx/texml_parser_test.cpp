#include "telnyx/texml_parser.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/error_detail.hpp"
#include "telnyx/texml_renderer.hpp"

namespace crossvoice::telnyx {
namespace {

namespace ivr = core::ivr;
using core::ErrorCode;
using Instructions = std::vector<ivr::Instruction>;

using crossvoice::testing::detail;

bool printable_ascii(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char ch) { return ch >= 0x20 && ch < 0x7f; });
}

std::string document(std::string_view verbs) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response>" + std::string(verbs) + "</Response>";
}

Instructions parse_ok(std::string_view text) {
    auto parsed = parse_texml(text);
    EXPECT_TRUE(parsed.ok()) << parsed.error().message << "\n" << text;
    if (!parsed.ok()) return {};
    return std::move(parsed).value();
}

core::Error parse_error(std::string_view text) {
    auto parsed = parse_texml(text);
    EXPECT_FALSE(parsed.ok()) << "parsed:\n" << text;
    if (parsed.ok()) return {};
    EXPECT_FALSE(parsed.error().message.empty());
    EXPECT_TRUE(printable_ascii(parsed.error().message)) << parsed.error().message;
    return std::move(parsed).error();
}

// --- documents as people write them ---

TEST(ParseTexml, ReadsATwilioStyleDocument) {
    // Attributes in other orders, indentation around text, comments, CDATA, mixed-case bools, attributes we have
    // no field for, and the plain-text <Dial>.
    const auto parsed = parse_ok(R"(<?xml version="1.0" encoding="UTF-8"?>
<!-- inbound menu -->
<Response>
    <Say language="en-US" voice="alice">
        Hello, and welcome.
    </Say>
    <Gather speechTimeout="auto" input="speech dtmf" numDigits="1" action="/menu" actionOnEmptyResult="true">
        <Say>Press <![CDATA[1 & only 1]]> now.</Say>
        <Pause length="1"/>
    </Gather>
    <Dial timeout="20" callerId="+15550001111" answerOnBridge="True" ringTone="us">
        +15551234567
    </Dial>
    <Record playBeep="FALSE" trim="trim-silence" maxLength="30"/>
    <Redirect method="GET">
        https://app.example.com/again
    </Redirect>
</Response>
)");
    ASSERT_EQ(parsed.size(), 5u);

    ivr::Say hello;
    hello.text = "Hello, and welcome.";
    hello.voice = "alice";
    hello.language = "en-US";
    EXPECT_EQ(std::get<ivr::Say>(parsed[0]), hello);

    const auto& gather = std::get<ivr::Gather>(parsed[1]);
    EXPECT_EQ(gather.action, "/menu");
    EXPECT_EQ(gather.input, "speech dtmf");
    EXPECT_EQ(gather.num_digits, 1);
    EXPECT_EQ(gather.speech_timeout, "auto");
    EXPECT_EQ(gather.timeout, std::nullopt);
    ASSERT_EQ(gather.prompts.size(), 2u);
    EXPECT_EQ(std::get<ivr::Say>(gather.prompts[0]).text, "Press 1 & only 1 now.");
    EXPECT_EQ(std::get<ivr::Pause>(gather.prompts[1]).length, 1);

    const auto& dial = std::get<ivr::Dial>(parsed[2]);
    EXPECT_EQ(dial.timeout, 20);
    EXPECT_EQ(dial.caller_id, "+15550001111");
    EXPECT_EQ(dial.answer_on_bridge, true);
    ivr::DialNumber number;
    number.number = "+15551234567";
    ASSERT_EQ(dial.targets.size(), 1u);
    EXPECT_EQ(std::get<ivr::DialNumber>(dial.targets[0]), number);

    ivr::Record record;
    record.play_beep = false;
    record.max_length = 30;
    EXPECT_EQ(std::get<ivr::Record>(parsed[3]), record);

    ivr::Redirect redirect;
    redirect.url = "https://app.example.com/again";
    redirect.method = "GET";
    EXPECT_EQ(std::get<ivr::Redirect>(parsed[4]), redirect);
}

TEST(ParseTexml, ReadsATelnyxStyleDocument) {
    const auto parsed = parse_ok(R"(<?xml version="1.0" encoding="UTF-8"?>
<Response>
  <Start>
    <Stream name="assist" track="both_tracks" url="wss://media.example.com/s" bidirectionalMode="rtp"
            bidirectionalSamplingRate="16000">
      <Parameter value="42" name="tenant"/>
      <Parameter name="flag"/>
    </Stream>
    <Transcription transcriptionEngine="B" interimResults="true" language="en"/>
  </Start>
  <Dial record="record-from-answer">
    <Conference endConferenceOnExit="true" beep="false" maxParticipants="10">room-1</Conference>
    <Sip sendDigits="1">sip:bob@example.com</Sip>
  </Dial>
  <Refer action="/referred"><Sip>sip:transfer@example.com</Sip></Refer>
  <Enqueue waitUrl="/hold" maxWaitTimeSecs="60">support</Enqueue>
  <Leave/>
  <Stop><Stream name="assist"/></Stop>
  <Reject reason="busy"/>
  <Hangup></Hangup>
</Response>)");
    ASSERT_EQ(parsed.size(), 8u);

    const auto& start = std::get<ivr::Start>(parsed[0]);
    ASSERT_EQ(start.tasks.size(), 2u);
    const auto& stream = std::get<ivr::Stream>(start.tasks[0]);
    EXPECT_EQ(stream.name, "assist");
    EXPECT_EQ(stream.track, "both_tracks");
    EXPECT_EQ(stream.bidirectional_mode, "rtp");
    EXPECT_EQ(stream.bidirectional_sampling_rate, 16000);
    const std::vector<ivr::StreamParameter> parameters{{"tenant", "42"}, {"flag", ""}};
    EXPECT_EQ(stream.parameters, parameters);
    const auto& transcription = std::get<ivr::Transcription>(start.tasks[1]);
    EXPECT_EQ(transcription.transcription_engine, "B");
    EXPECT_EQ(transcription.interim_results, true);

    const auto& dial = std::get<ivr::Dial>(parsed[1]);
    EXPECT_EQ(dial.record, "record-from-answer");
    ASSERT_EQ(dial.targets.size(), 2u);
    const auto& conference = std::get<ivr::DialConference>(dial.targets[0]);
    EXPECT_EQ(conference.name, "room-1");
    EXPECT_EQ(conference.end_conference_on_exit, true);
    EXPECT_EQ(conference.beep, "false");
    EXPECT_EQ(conference.max_participants, 10);
    EXPECT_EQ(std::get<ivr::DialSip>(dial.targets[1]).send_digits, "1");

    const auto& refer = std::get<ivr::Refer>(parsed[2]);
    EXPECT_EQ(refer.action, "/referred");
    ASSERT_EQ(refer.targets.size(), 1u);
    EXPECT_EQ(refer.targets[0].uri, "sip:transfer@example.com");

    const auto& enqueue = std::get<ivr::Enqueue>(parsed[3]);
    EXPECT_EQ(enqueue.queue, "support");
    EXPECT_EQ(enqueue.max_wait_time_secs, 60);
    EXPECT_TRUE(std::holds_alternative<ivr::Leave>(parsed[4]));
    EXPECT_EQ(std::get<ivr::Stop>(parsed[5]).tasks.size(), 1u);
    EXPECT_EQ(std::get<ivr::Reject>(parsed[6]).reason, "busy");
    EXPECT_TRUE(std::holds_alternative<ivr::Hangup>(parsed[7]));
}

TEST(ParseTexml, EmptyResponsesAndNoDeclaration) {
    EXPECT_TRUE(parse_ok("<Response/>").empty());
    EXPECT_TRUE(parse_ok("<Response></Response>").empty());
    EXPECT_TRUE(parse_ok("\xEF\xBB\xBF<Response>\n  \n</Response>\n").empty());  // UTF-8 BOM
}

TEST(ParseTexml, ReadsEntitiesAndCharacterReferences) {
    const auto parsed = parse_ok(document(R"(<Say voice="a&amp;b&#9;c">x &lt; y &#x263A; &#13;z</Say>)"));
    ASSERT_EQ(parsed.size(), 1u);
    const auto& say = std::get<ivr::Say>(parsed[0]);
    EXPECT_EQ(say.voice, "a&b\tc");
    EXPECT_EQ(say.text, "x < y \xE2\x98\xBA \rz");
}

TEST(ParseTexml, LeavesUnknownEntitiesAsWritten) {
    // No DTD is read, so no entity expands: no billion laughs, no external entities.
    const auto parsed = parse_ok(R"(<?xml version="1.0"?>
<!DOCTYPE Response [<!ENTITY lol "lololol"><!ENTITY ext SYSTEM "file:///etc/passwd">]>
<Response><Say>&lol; &ext;</Say></Response>)");
    ASSERT_EQ(parsed.size(), 1u);
    EXPECT_EQ(std::get<ivr::Say>(parsed[0]).text, "&lol; &ext;");
}

TEST(ParseTexml, PlayWithDigitsOnly) {
    const auto parsed = parse_ok(document(R"(<Play digits="ww12"/>)"));
    ASSERT_EQ(parsed.size(), 1u);
    EXPECT_EQ(std::get<ivr::Play>(parsed[0]).url, "");
    EXPECT_EQ(std::get<ivr::Play>(parsed[0]).digits, "ww12");
}

TEST(ParseTexml, GoldenFilesRenderBackByteForByte) {
    for (const char* name :
         {"say.xml", "play.xml", "pause.xml", "gather.xml", "record.xml", "dial.xml", "hangup.xml", "redirect.xml",
          "reject.xml", "enqueue.xml", "refer.xml", "start_stop.xml", "ivr.xml", "empty.xml"}) {
        std::ifstream in(std::string(CROSSVOICE_GOLDEN_DIR) + "/" + name, std::ios::binary);
        std::ostringstream content;
        content << in.rdbuf();
        const auto parsed = parse_texml(content.str());
        ASSERT_TRUE(parsed.ok()) << name << ": " << parsed.error().message;
        EXPECT_EQ(render_texml(parsed.value()), content.str()) << name;
    }
}

TEST(ParseTexml, AcceptsExactlyTheLimits) {
    std::string verbs;
    for (std::size_t i = 0; i < kMaxTexmlChildren; ++i) verbs += "<Hangup/>";
    EXPECT_EQ(parse_ok(document(verbs)).size(), kMaxTexmlChildren);

    std::string big =
        document("<Say>" + std::string(kMaxTexmlBytes - document("<Say>x</Say>").size() + 1, 'x') + "</Say>");
    ASSERT_EQ(big.size(), kMaxTexmlBytes);
    EXPECT_EQ(parse_ok(big).size(), 1u);
}

// --- errors ---

TEST(ParseTexml, RefusesWhatIsNotXml) {
    for (const std::string_view text :
         {"", "   ", "hello", "<Response>", "<Response><Say>hi</Response>", "<Response><Say a=1/></Response>",
          "{\"Response\": []}", "<Response></Response><Response/>"}) {
        const auto error = parse_error(text);
        EXPECT_EQ(error.code, ErrorCode::kBadRequest) << text << ": " << error.message;
        EXPECT_TRUE(detail(error, "offset").has_value()) << text;
    }
    const auto error = parse_error("<Response><Say>hi</Sayy></Response>");
    EXPECT_EQ(error.message, "malformed XML at offset 19: Start-end tags mismatch");
    EXPECT_EQ(detail(error, "offset"), "19");
}

TEST(ParseTexml, RefusesNulBytesAndCharactersXmlForbids) {
    const auto nul = parse_error(std::string("<Response><Say>a") + '\0' + "b</Say></Response>");
    EXPECT_EQ(nul.code, ErrorCode::kBadRequest);
    EXPECT_EQ(detail(nul, "offset"), "16");
    for (const std::string_view text : {"<Say>\x01</Say>", "<Say>&#1;</Say>", "<Say>a\xC3</Say>", "<Say>&#xD800;</Say>",
                                        "<Say>&#xFFFE;</Say>", "<Say voice=\"&#27;\">x</Say>", "<Dial>\x02</Dial>"}) {
        const auto error = parse_error(document(text));
        EXPECT_EQ(error.code, ErrorCode::kBadRequest) << text << ": " << error.message;
    }
}

TEST(ParseTexml, RefusesAWrongRoot) {
    for (const std::string_view text : {"<Document/>", "<response/>", "<Say>hi</Say>"}) {
        const auto error = parse_error(text);
        EXPECT_EQ(error.code, ErrorCode::kValidation) << text;
        EXPECT_NE(error.message.find("the root element must be <Response>"), std::string::npos) << error.message;
    }
}

TEST(ParseTexml, RefusesAnUnknownVerbNamingIt) {
    const auto error = parse_error(document("<Hangup/><Speak>hi</Speak>"));
    EXPECT_EQ(error.code, ErrorCode::kValidation);
    EXPECT_EQ(error.message, "unknown verb <Speak>");
    EXPECT_EQ(detail(error, "field"), "Speak");
    EXPECT_TRUE(detail(error, "offset").has_value());

    // Twilio verbs Telnyx does not have are unknown too.
    EXPECT_EQ(parse_error(document("<Dial><Client>bob</Client></Dial>")).message,
              "unknown element <Client> inside <Dial>");
    // Names that are not printable are cut down in the message.
    const auto odd =
        parse_error(document("<Sp\xC3\xA9"
                             "ak/>"));
    EXPECT_EQ(odd.code, ErrorCode::kValidation);
    EXPECT_EQ(odd.message, "unknown verb <Sp??ak>");
}

TEST(ParseTexml, RefusesBadIntegersNamingElementAndAttribute) {
    const auto error = parse_error(document(R"(<Gather timeout="abc"/>)"));
    EXPECT_EQ(error.code, ErrorCode::kValidation);
    EXPECT_EQ(error.message, "Gather@timeout: \"abc\" is not an integer");
    EXPECT_EQ(detail(error, "field"), "Gather@timeout");

    const std::pair<std::string_view, std::string_view> cases[] = {
        {R"(<Say loop="">hi</Say>)", "Say@loop: \"\" is not an integer"},
        {R"(<Say loop=" 1">hi</Say>)", "Say@loop: \" 1\" is not an integer"},
        {R"(<Say loop="1.5">hi</Say>)", "Say@loop: \"1.5\" is not an integer"},
        {R"(<Say loop="+1">hi</Say>)", "Say@loop: \"+1\" is not an integer"},
        {R"(<Pause length="-1"/>)", "Pause@length: \"-1\" must not be negative"},
        {R"(<Record maxLength="99999999999"/>)", "Record@maxLength: \"99999999999\" is out of range"},
        {R"(<Dial timeLimit="1h"><Number>1</Number></Dial>)", "Dial@timeLimit: \"1h\" is not an integer"},
        {R"(<Enqueue maxWaitTimeSecs="x">q</Enqueue>)", "Enqueue@maxWaitTimeSecs: \"x\" is not an integer"},
        {R"(<Dial><Conference maxParticipants="many">c</Conference></Dial>)",
         "Conference@maxParticipants: \"many\" is not an integer"},
        {R"(<Start><Stream bidirectionalSamplingRate="8k"/></Start>)",
         "Stream@bidirectionalSamplingRate: \"8k\" is not an integer"},
    };
    for (const auto& [text, message] : cases) {
        const auto failed = parse_error(document(text));
        EXPECT_EQ(failed.code, ErrorCode::kValidation) << text;
        EXPECT_EQ(failed.message, message) << text;
    }
}

TEST(ParseTexml, RefusesBadBools) {
    const std::pair<std::string_view, std::string_view> cases[] = {
        {R"(<Record playBeep="yes"/>)", "Record@playBeep: \"yes\" is not true or false"},
        {R"(<Record transcription="1"/>)", "Record@transcription: \"1\" is not true or false"},
        {R"(<Dial hangupOnStar=""><Number>1</Number></Dial>)", "Dial@hangupOnStar: \"\" is not true or false"},
        {R"(<Dial><Conference muted="no">c</Conference></Dial>)", "Conference@muted: \"no\" is not true or false"},
        {R"(<Start><Transcription interimResults="on"/></Start>)",
         "Transcription@interimResults: \"on\" is not true or false"},
    };
    for (const auto& [text, message] : cases) {
        const auto failed = parse_error(document(text));
        EXPECT_EQ(failed.code, ErrorCode::kValidation) << text;
        EXPECT_EQ(failed.message, message) << text;
    }
    // Long values are cut in the message.
    const auto failed = parse_error(document("<Record playBeep=\"" + std::string(500, 'y') + "\"/>"));
    EXPECT_LT(failed.message.size(), 120u);
}

TEST(ParseTexml, RefusesElementsOutOfPlace) {
    const std::pair<std::string_view, std::string_view> cases[] = {
        {"<Dial><Say>hi</Say></Dial>", "<Say> is not allowed inside <Dial>"},
        {"<Gather><Gather/></Gather>", "<Gather> is not allowed inside <Gather>"},
        {"<Gather><Record/></Gather>", "<Record> is not allowed inside <Gather>"},
        {"<Number>+15551234567</Number>", "<Number> is not allowed inside <Response>"},
        {"<Stream/>", "<Stream> is not allowed inside <Response>"},
        {"<Refer><Number>1</Number></Refer>", "<Number> is not allowed inside <Refer>"},
        {"<Start><Parameter name=\"a\"/></Start>", "<Parameter> is not allowed inside <Start>"},
        {"<Start><Stream><Stream/></Stream></Start>", "<Stream> is not allowed inside <Stream>"},
        {"<Say>Hello <Pause/> there</Say>", "<Pause> is not allowed inside <Say>"},
        {"<Dial><Number><Sip>x</Sip></Number></Dial>", "<Sip> is not allowed inside <Number>"},
        {"<Response/>", "<Response> is not allowed inside <Response>"},
        {"<Hangup><Hangup/></Hangup>", "<Hangup> is not allowed inside <Hangup>"},
    };
    for (const auto& [text, message] : cases) {
        const auto failed = parse_error(document(text));
        EXPECT_EQ(failed.code, ErrorCode::kValidation) << text;
        EXPECT_EQ(failed.message, message) << text;
    }
}

TEST(ParseTexml, RefusesStrayTextAndMissingContent) {
    const std::pair<std::string_view, std::string_view> cases[] = {
        {"Press 1<Hangup/>", "<Response> may not hold text"},
        {"<Hangup>now</Hangup>", "<Hangup> may not hold text"},
        {"<Gather>Press 1</Gather>", "<Gather> may not hold text"},
        {"<Say/>", "<Say> needs the words to speak"},
        {"<Say>   \n  </Say>", "<Say> needs the words to speak"},
        {"<Play/>", "<Play> needs a URL or digits"},
        {"<Dial/>", "<Dial> needs a number, <Number>, <Sip>, <Queue> or <Conference>"},
        {"<Dial>+1555<Number>+1666</Number></Dial>",
         "<Dial> holds either a number as text or <Number>/<Sip>/... , not both"},
        {"<Dial><Number/></Dial>", "<Number> needs an address"},
        {"<Dial><Queue/></Dial>", "<Queue> needs a queue name"},
        {"<Dial><Conference/></Dial>", "<Conference> needs a conference name"},
        {"<Redirect/>", "<Redirect> needs a URL"},
        {"<Enqueue/>", "<Enqueue> needs a queue name"},
        {"<Refer/>", "<Refer> needs a <Sip>"},
        {"<Start/>", "<Start> needs a <Stream> or <Transcription>"},
        {"<Stop></Stop>", "<Stop> needs a <Stream> or <Transcription>"},
        {"<Start><Stream><Parameter value=\"v\"/></Stream></Start>", "<Parameter> needs a name"},
    };
    for (const auto& [text, message] : cases) {
        const auto failed = parse_error(document(text));
        EXPECT_EQ(failed.code, ErrorCode::kValidation) << text;
        EXPECT_EQ(failed.message, message) << text;
    }
}

TEST(ParseTexml, RefusesDuplicateAttributes) {
    const auto error = parse_error(document(R"(<Say loop="1" voice="man" loop="2">hi</Say>)"));
    EXPECT_EQ(error.code, ErrorCode::kBadRequest);
    EXPECT_EQ(error.message, "Say@loop: duplicate attribute");
}

TEST(ParseTexml, RefusesOversizedDocuments) {
    const auto big = document("<Say>" + std::string(kMaxTexmlBytes, 'x') + "</Say>");
    const auto error = parse_error(big);
    EXPECT_EQ(error.code, ErrorCode::kPayloadTooLarge);

    std::string verbs;
    for (std::size_t i = 0; i <= kMaxTexmlChildren; ++i) verbs += "<Hangup/>";
    const auto many = parse_error(document(verbs));
    EXPECT_EQ(many.code, ErrorCode::kValidation);
    EXPECT_EQ(many.message, "<Response> has more than 1000 instructions");

    std::string prompts;
    for (std::size_t i = 0; i <= kMaxTexmlChildren; ++i) prompts += "<Pause/>";
    EXPECT_EQ(parse_error(document("<Gather>" + prompts + "</Gather>")).message,
              "<Gather> has more than 1000 children");

    std::string attributes;
    for (std::size_t i = 0; i <= kMaxTexmlAttributes; ++i) attributes += " a" + std::to_string(i) + "=\"1\"";
    EXPECT_EQ(parse_error(document("<Hangup" + attributes + "/>")).message, "<Hangup> has more than 64 attributes");
}

TEST(ParseTexml, RefusesDeepNestingAtTheFirstWrongLevel) {
    std::string deep;
    for (int i = 0; i < 50000; ++i) deep += "<Gather>";
    for (int i = 0; i < 50000; ++i) deep += "</Gather>";
    const auto error = parse_error(document(deep));
    EXPECT_EQ(error.code, ErrorCode::kValidation);
    EXPECT_EQ(error.message, "<Gather> is not allowed inside <Gather>");
}

}  // namespace
}  // namespace crossvoice::telnyx
