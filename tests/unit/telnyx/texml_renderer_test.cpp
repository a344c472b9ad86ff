#include "telnyx/texml_renderer.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "telnyx/texml_markup.hpp"
#include "telnyx/texml_parser.hpp"

namespace crossvoice::telnyx {
namespace {

namespace ivr = core::ivr;
using Instructions = std::vector<ivr::Instruction>;

// --- instructions with every attribute set, and with none ---

ivr::Say full_say() {
    ivr::Say say;
    say.text = "Welcome to Crossvoice.";
    say.voice = "Polly.Joanna";
    say.language = "en-US";
    say.loop = 2;
    return say;
}

ivr::Play full_play() {
    ivr::Play play;
    play.url = "https://media.example.com/welcome.mp3";
    play.loop = 3;
    play.digits = "ww1234";
    return play;
}

ivr::Pause full_pause() {
    ivr::Pause pause;
    pause.length = 2;
    return pause;
}

ivr::Gather full_gather() {
    ivr::Gather gather;
    gather.action = "https://app.example.com/ivr/menu?step=1&lang=en";
    gather.method = "POST";
    gather.input = "dtmf speech";
    gather.timeout = 7;
    gather.finish_on_key = "#";
    gather.num_digits = 1;
    gather.min_digits = 1;
    gather.max_digits = 4;
    gather.valid_digits = "1234";
    gather.language = "en-GB";
    gather.hints = "sales, support, billing";
    gather.speech_timeout = "auto";
    ivr::Say say;
    say.text = "For sales press 1 or say sales. For support press 2.";
    say.voice = "alice";
    gather.prompts = {say, full_play(), full_pause()};
    return gather;
}

ivr::Record full_record() {
    ivr::Record record;
    record.action = "https://app.example.com/ivr/recorded";
    record.method = "GET";
    record.max_length = 120;
    record.timeout = 5;
    record.finish_on_key = "*";
    record.play_beep = false;
    record.channels = "single";
    record.format = "wav";
    record.recording_status_callback = "https://app.example.com/ivr/recording-status";
    record.transcription = true;
    record.transcription_callback = "https://app.example.com/ivr/transcribed";
    return record;
}

ivr::DialNumber full_number(std::string number) {
    ivr::DialNumber target;
    target.number = std::move(number);
    target.status_callback = "https://app.example.com/ivr/leg-status";
    target.status_callback_event = "initiated ringing answered completed";
    target.url = "https://app.example.com/ivr/whisper";
    target.send_digits = "ww123#";
    return target;
}

ivr::DialSip full_sip(std::string uri) {
    ivr::DialSip target;
    target.uri = std::move(uri);
    target.status_callback = "https://app.example.com/ivr/sip-status";
    target.status_callback_event = "answered completed";
    target.url = "https://app.example.com/ivr/sip-whisper";
    target.send_digits = "9";
    return target;
}

ivr::DialQueue full_queue() {
    ivr::DialQueue queue;
    queue.name = "support";
    queue.url = "https://app.example.com/ivr/queue-whisper";
    return queue;
}

ivr::DialConference full_conference() {
    ivr::DialConference conference;
    conference.name = "standup-room";
    conference.muted = false;
    conference.start_conference_on_enter = true;
    conference.end_conference_on_exit = false;
    conference.max_participants = 250;
    conference.beep = "onEnter";
    conference.record = "record-from-start";
    conference.status_callback = "https://app.example.com/ivr/conference-status";
    return conference;
}

ivr::Dial full_dial() {
    ivr::Dial dial;
    dial.action = "https://app.example.com/ivr/dialed";
    dial.method = "POST";
    dial.caller_id = "+15550001111";
    dial.timeout = 25;
    dial.time_limit = 600;
    dial.hangup_on_star = true;
    dial.record = "record-from-answer-dual";
    dial.answer_on_bridge = true;
    dial.targets = {full_number("+15551234567"), full_sip("sip:agent@pbx.example.com"), full_queue(),
                    full_conference()};
    return dial;
}

ivr::Redirect full_redirect() {
    ivr::Redirect redirect;
    redirect.url = "https://app.example.com/ivr/next";
    redirect.method = "GET";
    return redirect;
}

ivr::Reject full_reject() {
    ivr::Reject reject;
    reject.reason = "busy";
    return reject;
}

ivr::Enqueue full_enqueue() {
    ivr::Enqueue enqueue;
    enqueue.queue = "support";
    enqueue.action = "https://app.example.com/ivr/dequeued";
    enqueue.method = "POST";
    enqueue.wait_url = "https://app.example.com/ivr/hold-music";
    enqueue.max_wait_time_secs = 300;
    return enqueue;
}

ivr::Refer full_refer() {
    ivr::Refer refer;
    refer.action = "https://app.example.com/ivr/referred";
    refer.method = "POST";
    ivr::DialSip plain;
    plain.uri = "sip:desk@pbx.example.com";
    refer.targets = {full_sip("sip:transfer@pbx.example.com"), plain};
    return refer;
}

ivr::Stream full_stream() {
    ivr::Stream stream;
    stream.url = "wss://media.example.com/stream";
    stream.track = "both_tracks";
    stream.name = "agent-assist";
    stream.codec = "PCMU";
    stream.bidirectional_mode = "rtp";
    stream.bidirectional_codec = "PCMU";
    stream.bidirectional_sampling_rate = 8000;
    stream.parameters = {{"session", "s-42"}, {"tenant", "acme & sons"}};
    return stream;
}

ivr::Transcription full_transcription() {
    ivr::Transcription transcription;
    transcription.language = "en";
    transcription.interim_results = true;
    transcription.transcription_engine = "Deepgram";
    transcription.transcription_tracks = "inbound";
    transcription.transcription_callback = "https://app.example.com/ivr/transcription";
    return transcription;
}

ivr::Start full_start() {
    ivr::Start start;
    start.tasks = {full_stream(), full_transcription()};
    return start;
}

ivr::Stop full_stop() {
    ivr::Stop stop;
    ivr::Stream stream;
    stream.name = "agent-assist";
    stop.tasks = {stream, full_transcription()};
    return stop;
}

// Every instruction type with every attribute (and every noun) set.
Instructions all_full() {
    return {full_say(),      full_play(),   full_pause(),   full_gather(), full_record(), full_dial(),  ivr::Hangup{},
            full_redirect(), full_reject(), full_enqueue(), ivr::Leave{},  full_refer(),  full_start(), full_stop()};
}

// Every instruction type with no optional attribute: only what parse_texml requires.
Instructions all_bare() {
    ivr::Say say;
    say.text = "Hi";
    ivr::Play play;
    play.url = "https://media.example.com/a.wav";
    ivr::DialNumber number;
    number.number = "+15551234567";
    ivr::Dial dial;
    dial.targets = {number};
    ivr::DialSip sip;
    sip.uri = "sip:a@b.example.com";
    ivr::DialQueue queue;
    queue.name = "q";
    ivr::DialConference conference;
    conference.name = "c";
    ivr::Dial dial_nouns;
    dial_nouns.targets = {sip, queue, conference};
    ivr::Redirect redirect;
    redirect.url = "https://app.example.com/next";
    ivr::Enqueue enqueue;
    enqueue.queue = "q";
    ivr::Refer refer;
    refer.targets = {sip};
    ivr::Start start;
    start.tasks = {ivr::Stream{}};
    ivr::Stop stop;
    stop.tasks = {ivr::Transcription{}};
    return {say,      play,          ivr::Pause{}, ivr::Gather{}, ivr::Record{}, dial,  dial_nouns, ivr::Hangup{},
            redirect, ivr::Reject{}, enqueue,      ivr::Leave{},  refer,         start, stop};
}

// --- golden files ---

std::string golden_path(std::string_view name) { return std::string(CROSSVOICE_GOLDEN_DIR) + "/" + std::string(name); }

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

// The rendering must equal the file byte for byte, and the file must parse back into the instructions.
// CROSSVOICE_UPDATE_GOLDEN=1 rewrites the files instead (review the diff before committing it).
void expect_golden(std::string_view name, const Instructions& instructions) {
    const auto rendered = render_texml(instructions);
    if (std::getenv("CROSSVOICE_UPDATE_GOLDEN") != nullptr) {
        std::ofstream(golden_path(name), std::ios::binary) << rendered;
    }
    const auto golden = read_file(golden_path(name));
    ASSERT_FALSE(golden.empty()) << "missing golden file " << golden_path(name);
    EXPECT_EQ(rendered, golden) << name;
    const auto parsed = parse_texml(golden);
    ASSERT_TRUE(parsed.ok()) << name << ": " << parsed.error().message;
    EXPECT_EQ(parsed.value(), instructions) << name << " parses back as\n" << render_texml(parsed.value());
}

TEST(RenderTexml, EmptyIsASelfClosingResponse) {
    EXPECT_EQ(render_texml({}), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response/>\n");
    expect_golden("empty.xml", {});
}

TEST(RenderTexml, Say) {
    ivr::Say bare;
    bare.text = "Goodbye.";
    expect_golden("say.xml", {full_say(), bare});
}

TEST(RenderTexml, Play) {
    ivr::Play bare;
    bare.url = "https://media.example.com/beep.wav";
    ivr::Play digits_only;
    digits_only.digits = "1w2w3";
    expect_golden("play.xml", {full_play(), bare, digits_only});
}

TEST(RenderTexml, Pause) { expect_golden("pause.xml", {full_pause(), ivr::Pause{}}); }

TEST(RenderTexml, Gather) { expect_golden("gather.xml", {full_gather(), ivr::Gather{}}); }

TEST(RenderTexml, Record) { expect_golden("record.xml", {full_record(), ivr::Record{}}); }

TEST(RenderTexml, DialWithEveryNoun) { expect_golden("dial.xml", {full_dial()}); }

TEST(RenderTexml, Hangup) { expect_golden("hangup.xml", {ivr::Hangup{}}); }

TEST(RenderTexml, Redirect) { expect_golden("redirect.xml", {full_redirect()}); }

TEST(RenderTexml, Reject) { expect_golden("reject.xml", {full_reject(), ivr::Reject{}}); }

TEST(RenderTexml, EnqueueAndLeave) { expect_golden("enqueue.xml", {full_enqueue(), ivr::Leave{}}); }

TEST(RenderTexml, Refer) { expect_golden("refer.xml", {full_refer()}); }

TEST(RenderTexml, StartAndStop) { expect_golden("start_stop.xml", {full_start(), full_stop()}); }

// The brief's full IVR: a menu with speech and DTMF, transfer to two numbers and a SIP desk, voicemail, queue,
// media stream, refer, and the endings.
TEST(RenderTexml, FullIvrDocument) {
    ivr::Say welcome;
    welcome.text = "Thanks for calling Acme.";
    welcome.voice = "Polly.Joanna";
    welcome.language = "en-US";

    ivr::Gather menu;
    menu.action = "https://app.example.com/ivr/menu";
    menu.method = "POST";
    menu.input = "dtmf speech";
    menu.timeout = 6;
    menu.num_digits = 1;
    menu.hints = "sales, support, operator";
    menu.speech_timeout = "auto";
    ivr::Say prompt;
    prompt.text = "Press 1 or say sales. Press 2 or say support.";
    ivr::Play jingle;
    jingle.url = "https://media.example.com/jingle.mp3";
    menu.prompts = {prompt, jingle};

    ivr::Dial transfer;
    transfer.caller_id = "+15550001111";
    transfer.timeout = 20;
    transfer.answer_on_bridge = true;
    ivr::DialNumber first;
    first.number = "+15551230001";
    ivr::DialNumber second;
    second.number = "+15551230002";
    second.send_digits = "ww42";
    ivr::DialSip desk;
    desk.uri = "sip:desk@pbx.example.com";
    transfer.targets = {first, second, desk};

    ivr::Record voicemail;
    voicemail.max_length = 60;
    voicemail.play_beep = true;
    voicemail.recording_status_callback = "https://app.example.com/ivr/voicemail";

    ivr::Enqueue queue;
    queue.queue = "support";
    queue.wait_url = "https://app.example.com/ivr/hold";

    ivr::Stream stream;
    stream.url = "wss://media.example.com/assist";
    stream.track = "inbound_track";
    stream.parameters = {{"call", "c-1"}};
    ivr::Start start;
    start.tasks = {stream};

    ivr::Refer refer;
    ivr::DialSip refer_to;
    refer_to.uri = "sip:overflow@pbx.example.com";
    refer.targets = {refer_to};

    ivr::Reject reject;
    reject.reason = "rejected";
    ivr::Redirect redirect;
    redirect.url = "https://app.example.com/ivr/start";

    expect_golden("ivr.xml",
                  {welcome, menu, transfer, voicemail, queue, start, refer, reject, redirect, ivr::Hangup{}});
}

// --- round trips ---

TEST(RenderTexml, EveryInstructionWithEveryAttributeRoundTrips) {
    for (const auto& instruction : all_full()) {
        const auto document = render_texml({instruction});
        const auto parsed = parse_texml(document);
        ASSERT_TRUE(parsed.ok()) << parsed.error().message << "\n" << document;
        EXPECT_EQ(parsed.value(), Instructions{instruction}) << document;
    }
    const auto parsed = parse_texml(render_texml(all_full()));
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed.value(), all_full());
}

TEST(RenderTexml, EveryInstructionWithNoAttributeRoundTrips) {
    for (const auto& instruction : all_bare()) {
        const auto document = render_texml({instruction});
        const auto parsed = parse_texml(document);
        ASSERT_TRUE(parsed.ok()) << parsed.error().message << "\n" << document;
        EXPECT_EQ(parsed.value(), Instructions{instruction}) << document;
    }
}

TEST(RenderTexml, WhitespaceInsideValuesRoundTrips) {
    ivr::Say say;
    say.text = "line one\n\tline two\r\nline three";
    say.voice = " spaced\tvoice\nwith\r\nbreaks ";
    ivr::Stream stream;
    stream.parameters = {{"json", "{\"a\": 'b'}\n"}, {"empty", ""}};
    ivr::Start start;
    start.tasks = {stream};
    const Instructions instructions{say, start};
    const auto parsed = parse_texml(render_texml(instructions));
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed.value(), instructions) << render_texml(instructions);
}

TEST(RenderTexml, NonAsciiTextRoundTrips) {
    ivr::Say say;
    say.text = "Grüß Gott — 你好 — 🙂";
    say.language = "de-AT";
    const auto parsed = parse_texml(render_texml({say}));
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed.value(), Instructions{say});
}

TEST(RenderTexml, IsDeterministic) {
    EXPECT_EQ(render_texml(all_full()), render_texml(all_full()));
    EXPECT_EQ(render_texml(all_bare()), render_texml(all_bare()));
}

TEST(RenderTexml, EmptyContainersSelfClose) {
    const auto document = render_texml({ivr::Gather{}, ivr::Dial{}, ivr::Start{}});
    EXPECT_EQ(document,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response>\n  <Gather/>\n  <Dial/>\n  <Start/>\n"
              "</Response>\n");
}

// --- escaping ---

TEST(RenderTexml, EscapesTextAndAttributes) {
    ivr::Say say;
    say.text = "Tom & Jerry <live> \"quoted\" 'single' ]]>";
    say.voice = "a&b<c>d\"e'f";
    EXPECT_EQ(render_texml({say}),
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response>\n"
              "  <Say voice=\"a&amp;b&lt;c&gt;d&quot;e&apos;f\">Tom &amp; Jerry &lt;live&gt; &quot;quoted&quot; "
              "&apos;single&apos; ]]&gt;</Say>\n"
              "</Response>\n");
}

TEST(RenderTexml, DropsCharactersXmlForbids) {
    ivr::Say say;
    say.text = std::string("bell\x07 nul") + '\0' + " esc\x1b end\xEF\xBF\xBE\xC3";
    say.voice = "v\x01";
    const auto document = render_texml({say});
    EXPECT_NE(document.find("<Say voice=\"v\">bell nul esc end</Say>"), std::string::npos) << document;
    const auto parsed = parse_texml(document);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
}

TEST(EscapeXml, EscapesTheFiveEntities) {
    EXPECT_EQ(escape_xml_text("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e&apos;f");
    EXPECT_EQ(escape_xml_attribute("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e&apos;f");
    EXPECT_EQ(escape_xml_text("&amp;"), "&amp;amp;");
    EXPECT_EQ(escape_xml_text(""), "");
}

TEST(EscapeXml, WhitespaceSurvivesParsersNormalisation) {
    EXPECT_EQ(escape_xml_text("a\tb\nc\rd"), "a\tb\nc&#13;d");
    EXPECT_EQ(escape_xml_attribute("a\tb\nc\rd"), "a&#9;b&#10;c&#13;d");
}

TEST(EscapeXml, DropsControlCharactersAndBadUtf8) {
    EXPECT_EQ(escape_xml_text(std::string("a\x01") + '\0' + "b\x1f\x0b\x0c" + "c"), "abc");
    EXPECT_EQ(escape_xml_text("\x7f"), "\x7f");                          // DEL is a legal XML 1.0 character
    EXPECT_EQ(escape_xml_text("caf\xC3\xA9"), "caf\xC3\xA9");            // é
    EXPECT_EQ(escape_xml_text("\xF0\x9F\x99\x82"), "\xF0\x9F\x99\x82");  // U+1F642
    EXPECT_EQ(escape_xml_text("x\xC3"), "x");                            // truncated sequence
    EXPECT_EQ(escape_xml_text("x\xC3y"), "xy");                          // lead byte without continuation
    EXPECT_EQ(escape_xml_text("\xC0\xAF"), "");                          // overlong '/'
    EXPECT_EQ(escape_xml_text("\xE0\x80\xAF"), "");                      // overlong, three bytes
    EXPECT_EQ(escape_xml_text("\xED\xA0\x80"), "");                      // surrogate U+D800
    EXPECT_EQ(escape_xml_text("\xEF\xBF\xBE\xEF\xBF\xBF"), "");          // U+FFFE, U+FFFF
    EXPECT_EQ(escape_xml_text("\xF4\x90\x80\x80"), "");                  // above U+10FFFF
    EXPECT_EQ(escape_xml_text("\x80\xBF"), "");                          // stray continuation bytes
    EXPECT_EQ(escape_xml_attribute("\x02<\x03"), "&lt;");
}

TEST(EscapeXml, IsXmlTextAgreesWithTheEscaper) {
    EXPECT_TRUE(is_xml_text(""));
    EXPECT_TRUE(is_xml_text("plain \t\n\r text & <markup>"));
    EXPECT_TRUE(is_xml_text("caf\xC3\xA9 \xF0\x9F\x99\x82 \xEF\xBF\xBD"));
    EXPECT_FALSE(is_xml_text(std::string(1, '\0')));
    EXPECT_FALSE(is_xml_text("\x01"));
    EXPECT_FALSE(is_xml_text("\xC3"));
    EXPECT_FALSE(is_xml_text("\xED\xA0\x80"));
    EXPECT_FALSE(is_xml_text("\xEF\xBF\xBF"));
}

// --- the port ---

TEST(TexmlMarkup, WrapsRendererAndParser) {
    const TexmlMarkup markup;
    const core::ports::IvrMarkup& port = markup;
    EXPECT_EQ(port.content_type(), "application/xml");
    EXPECT_EQ(port.render(all_full()), render_texml(all_full()));
    const auto parsed = port.parse(port.render(all_full()));
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed.value(), all_full());
    const auto failed = port.parse("<Speak/>");
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.error().code, core::ErrorCode::kValidation);
}

}  // namespace
}  // namespace crossvoice::telnyx
