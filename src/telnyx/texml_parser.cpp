#include "telnyx/texml_parser.hpp"

#include <fmt/format.h>
#include <pugixml.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include "telnyx/texml_renderer.hpp"

namespace crossvoice::telnyx {
namespace {

namespace ivr = core::ivr;
using Node = pugi::xml_node;

// Every element name of TeXML, to tell "not here" from "not TeXML at all".
constexpr std::array<std::string_view, 22> kVocabulary{
    "Response", "Say",   "Play",       "Pause",  "Gather",    "Record",       "Dial",    "Number",
    "Sip",      "Queue", "Conference", "Hangup", "Redirect",  "Reject",       "Enqueue", "Leave",
    "Refer",    "Start", "Stop",       "Stream", "Parameter", "Transcription"};

constexpr std::string_view kWhitespace = " \t\n\r";  // XML's, production [3] S

// --- error helpers ---

// Names and values from the document go into messages that end up in JSON and logs: printable ASCII only,
// and short.
std::string printable(std::string_view text) {
    constexpr std::size_t kLimit = 64;
    std::string out;
    for (const char ch : text.substr(0, kLimit)) out += (ch >= 0x20 && ch < 0x7f) ? ch : '?';
    if (text.size() > kLimit) out += "...";
    return out;
}

std::string offset_of(Node node) { return std::to_string(node.offset_debug()); }

core::Error invalid(Node node, std::string field, std::string message) {
    return core::Error::validation(std::move(field), std::move(message)).with("offset", offset_of(node));
}

core::Error malformed(Node node, std::string message) {
    return core::Error::bad_request(std::move(message)).with("offset", offset_of(node));
}

// `child` where `parent` does not allow it: out of place if it is TeXML, unknown otherwise.
core::Error misplaced(Node child, std::string_view parent) {
    const std::string name = printable(child.name());
    const bool known = std::find(kVocabulary.begin(), kVocabulary.end(), child.name()) != kVocabulary.end();
    if (known) return invalid(child, name, fmt::format("<{}> is not allowed inside <{}>", name, parent));
    if (parent == "Response") return invalid(child, name, fmt::format("unknown verb <{}>", name));
    return invalid(child, name, fmt::format("unknown element <{}> inside <{}>", name, parent));
}

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(kWhitespace);
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(kWhitespace) - first + 1);
}

// --- attributes ---

// Bounds the attribute count (the duplicate check below is quadratic) and refuses repeated names, which pugixml
// keeps both copies of but XML calls not well-formed. Attributes we have no field for are otherwise ignored.
core::Status check_attributes(Node node) {
    const auto element = printable(node.name());
    std::size_t count = 0;
    for (auto attribute = node.first_attribute(); attribute; attribute = attribute.next_attribute()) {
        if (++count > kMaxTexmlAttributes) {
            return invalid(node, element,
                           fmt::format("<{}> has more than {} attributes", element, kMaxTexmlAttributes));
        }
        for (auto earlier = node.first_attribute(); earlier != attribute; earlier = earlier.next_attribute()) {
            if (std::strcmp(earlier.name(), attribute.name()) == 0) {
                return malformed(node, fmt::format("{}@{}: duplicate attribute", element, printable(attribute.name())));
            }
        }
    }
    return {};
}

// Reads one element's attributes into optional fields. The first failure sticks and later reads do nothing,
// so a reader function lists its attributes and checks status() once.
class Attributes {
  public:
    Attributes(Node node, std::string_view element) : node_(node), element_(element) {}

    void read(const char* name, std::optional<std::string>& out) {
        if (const auto value = raw(name)) out = std::string(*value);
    }

    void read(const char* name, std::optional<int>& out) {
        const auto value = raw(name);
        if (!value) return;
        int number = 0;
        const auto [end, error] = std::from_chars(value->data(), value->data() + value->size(), number);
        if (value->empty() || error == std::errc::invalid_argument || end != value->data() + value->size()) {
            return fail(bad_value(name, *value, "is not an integer"));
        }
        if (error == std::errc::result_out_of_range) return fail(bad_value(name, *value, "is out of range"));
        if (number < 0) return fail(bad_value(name, *value, "must not be negative"));
        out = number;
    }

    void read(const char* name, std::optional<bool>& out) {
        const auto value = raw(name);
        if (!value) return;
        std::string lower(*value);
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](char ch) { return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch; });
        if (lower == "true") {
            out = true;
        } else if (lower == "false") {
            out = false;
        } else {
            fail(bad_value(name, *value, "is not true or false"));
        }
    }

    // A required attribute that may be empty (Parameter@value): "" when absent.
    void read(const char* name, std::string& out) {
        if (const auto value = raw(name)) out = std::string(*value);
    }

    core::Status status() && {
        if (error_) return std::move(*error_);
        return {};
    }

  private:
    std::optional<std::string_view> raw(const char* name) {
        if (error_) return std::nullopt;
        const auto attribute = node_.attribute(name);
        if (!attribute) return std::nullopt;
        const std::string_view value = attribute.value();
        if (!is_xml_text(value)) {
            fail(malformed(node_,
                           fmt::format("{}@{}: not UTF-8, or holds a character XML 1.0 forbids", element_, name)));
            return std::nullopt;
        }
        return value;
    }

    core::Error bad_value(const char* name, std::string_view value, std::string_view problem) const {
        return invalid(node_, fmt::format("{}@{}", element_, name),
                       fmt::format("{}@{}: \"{}\" {}", element_, name, printable(value), problem));
    }

    void fail(core::Error error) {
        if (!error_) error_ = std::move(error);
    }

    Node node_;
    std::string_view element_;
    std::optional<core::Error> error_;
};

// --- children and text ---

// Calls on_child for each child element. Text goes to *text when the element may hold text; otherwise only
// whitespace (indentation) is allowed.
template <typename OnChild>
core::Status for_each_child(Node node, std::string_view element, OnChild&& on_child, std::string* text = nullptr) {
    std::size_t count = 0;
    for (auto child = node.first_child(); child; child = child.next_sibling()) {
        const auto type = child.type();
        if (type == pugi::node_pcdata || type == pugi::node_cdata) {
            if (text) {
                *text += child.value();
            } else if (!trim(child.value()).empty()) {
                return invalid(child, std::string(element), fmt::format("<{}> may not hold text", element));
            }
        } else if (type == pugi::node_element) {
            if (++count > kMaxTexmlChildren) {
                return invalid(child, std::string(element),
                               fmt::format("<{}> has more than {} {}", element, kMaxTexmlChildren,
                                           element == "Response" ? "instructions" : "children"));
            }
            if (auto status = on_child(child); !status) return status;
        }
    }
    return {};
}

// The trimmed text of an element that holds text and no elements.
core::Result<std::string> text_of(Node node, std::string_view element) {
    std::string text;
    auto status = for_each_child(
        node, element, [element](Node child) -> core::Status { return misplaced(child, element); }, &text);
    if (!status) return std::move(status).error();
    const auto trimmed = trim(text);
    if (!is_xml_text(trimmed)) {
        return malformed(node, fmt::format("<{}>: text is not UTF-8, or holds a character XML 1.0 forbids", element));
    }
    return std::string(trimmed);
}

// An element that holds neither text nor elements.
core::Status no_content(Node node, std::string_view element) {
    return for_each_child(node, element, [element](Node child) -> core::Status { return misplaced(child, element); });
}

// One reader per element, declared up front because the containers' readers call each other through append().
core::Status read(Node node, ivr::Say& say);
core::Status read(Node node, ivr::Play& play);
core::Status read(Node node, ivr::Pause& pause);
core::Status read(Node node, ivr::Gather& gather);
core::Status read(Node node, ivr::Record& record);
core::Status read(Node node, ivr::DialNumber& number);
core::Status read(Node node, ivr::DialSip& sip);
core::Status read(Node node, ivr::DialQueue& queue);
core::Status read(Node node, ivr::DialConference& conference);
core::Status read(Node node, ivr::Dial& dial);
core::Status read(Node node, ivr::Hangup& hangup);
core::Status read(Node node, ivr::Redirect& redirect);
core::Status read(Node node, ivr::Reject& reject);
core::Status read(Node node, ivr::Enqueue& enqueue);
core::Status read(Node node, ivr::Leave& leave);
core::Status read(Node node, ivr::Refer& refer);
core::Status read(Node node, ivr::StreamParameter& parameter);
core::Status read(Node node, ivr::Stream& stream);
core::Status read(Node node, ivr::Transcription& transcription);
core::Status read(Node node, ivr::Start& start);
core::Status read(Node node, ivr::Stop& stop);

// Reads `node` as a T and appends it to `out`, a vector of T or of a variant holding T.
template <typename T, typename Vector>
core::Status append(Node node, Vector& out) {
    if (auto status = check_attributes(node); !status) return status;
    T value;
    if (auto status = read(node, value); !status) return status;
    out.emplace_back(std::move(value));
    return {};
}

// --- the readers ---

core::Status read(Node node, ivr::Say& say) {
    Attributes attributes(node, "Say");
    attributes.read("voice", say.voice);
    attributes.read("language", say.language);
    attributes.read("loop", say.loop);
    if (auto status = std::move(attributes).status(); !status) return status;
    auto text = text_of(node, "Say");
    if (!text) return std::move(text).error();
    if (text->empty()) return invalid(node, "Say", "<Say> needs the words to speak");
    say.text = std::move(*text);
    return {};
}

core::Status read(Node node, ivr::Play& play) {
    Attributes attributes(node, "Play");
    attributes.read("loop", play.loop);
    attributes.read("digits", play.digits);
    if (auto status = std::move(attributes).status(); !status) return status;
    auto url = text_of(node, "Play");
    if (!url) return std::move(url).error();
    // <Play digits="1w2"/> sends DTMF and plays nothing.
    if (url->empty() && !play.digits) return invalid(node, "Play", "<Play> needs a URL or digits");
    play.url = std::move(*url);
    return {};
}

core::Status read(Node node, ivr::Pause& pause) {
    Attributes attributes(node, "Pause");
    attributes.read("length", pause.length);
    if (auto status = std::move(attributes).status(); !status) return status;
    return no_content(node, "Pause");
}

core::Status read(Node node, ivr::Gather& gather) {
    Attributes attributes(node, "Gather");
    attributes.read("action", gather.action);
    attributes.read("method", gather.method);
    attributes.read("input", gather.input);
    attributes.read("timeout", gather.timeout);
    attributes.read("finishOnKey", gather.finish_on_key);
    attributes.read("numDigits", gather.num_digits);
    attributes.read("minDigits", gather.min_digits);
    attributes.read("maxDigits", gather.max_digits);
    attributes.read("validDigits", gather.valid_digits);
    attributes.read("language", gather.language);
    attributes.read("hints", gather.hints);
    attributes.read("speechTimeout", gather.speech_timeout);
    if (auto status = std::move(attributes).status(); !status) return status;
    return for_each_child(node, "Gather", [&gather](Node child) -> core::Status {
        const std::string_view name = child.name();
        if (name == "Say") return append<ivr::Say>(child, gather.prompts);
        if (name == "Play") return append<ivr::Play>(child, gather.prompts);
        if (name == "Pause") return append<ivr::Pause>(child, gather.prompts);
        return misplaced(child, "Gather");
    });
}

core::Status read(Node node, ivr::Record& record) {
    Attributes attributes(node, "Record");
    attributes.read("action", record.action);
    attributes.read("method", record.method);
    attributes.read("maxLength", record.max_length);
    attributes.read("timeout", record.timeout);
    attributes.read("finishOnKey", record.finish_on_key);
    attributes.read("playBeep", record.play_beep);
    attributes.read("channels", record.channels);
    attributes.read("format", record.format);
    attributes.read("recordingStatusCallback", record.recording_status_callback);
    attributes.read("transcription", record.transcription);
    attributes.read("transcriptionCallback", record.transcription_callback);
    if (auto status = std::move(attributes).status(); !status) return status;
    return no_content(node, "Record");
}

// <Number> and <Sip>: the same attributes, the address as text.
template <typename Endpoint>
core::Status read_endpoint(Node node, std::string_view element, Endpoint& endpoint, std::string& address) {
    Attributes attributes(node, element);
    attributes.read("statusCallback", endpoint.status_callback);
    attributes.read("statusCallbackEvent", endpoint.status_callback_event);
    attributes.read("url", endpoint.url);
    attributes.read("sendDigits", endpoint.send_digits);
    if (auto status = std::move(attributes).status(); !status) return status;
    auto text = text_of(node, element);
    if (!text) return std::move(text).error();
    if (text->empty()) return invalid(node, std::string(element), fmt::format("<{}> needs an address", element));
    address = std::move(*text);
    return {};
}

core::Status read(Node node, ivr::DialNumber& number) { return read_endpoint(node, "Number", number, number.number); }

core::Status read(Node node, ivr::DialSip& sip) { return read_endpoint(node, "Sip", sip, sip.uri); }

core::Status read(Node node, ivr::DialQueue& queue) {
    Attributes attributes(node, "Queue");
    attributes.read("url", queue.url);
    if (auto status = std::move(attributes).status(); !status) return status;
    auto name = text_of(node, "Queue");
    if (!name) return std::move(name).error();
    if (name->empty()) return invalid(node, "Queue", "<Queue> needs a queue name");
    queue.name = std::move(*name);
    return {};
}

core::Status read(Node node, ivr::DialConference& conference) {
    Attributes attributes(node, "Conference");
    attributes.read("muted", conference.muted);
    attributes.read("startConferenceOnEnter", conference.start_conference_on_enter);
    attributes.read("endConferenceOnExit", conference.end_conference_on_exit);
    attributes.read("maxParticipants", conference.max_participants);
    attributes.read("beep", conference.beep);
    attributes.read("record", conference.record);
    attributes.read("statusCallback", conference.status_callback);
    if (auto status = std::move(attributes).status(); !status) return status;
    auto name = text_of(node, "Conference");
    if (!name) return std::move(name).error();
    if (name->empty()) return invalid(node, "Conference", "<Conference> needs a conference name");
    conference.name = std::move(*name);
    return {};
}

core::Status read(Node node, ivr::Dial& dial) {
    Attributes attributes(node, "Dial");
    attributes.read("action", dial.action);
    attributes.read("method", dial.method);
    attributes.read("callerId", dial.caller_id);
    attributes.read("timeout", dial.timeout);
    attributes.read("timeLimit", dial.time_limit);
    attributes.read("hangupOnStar", dial.hangup_on_star);
    attributes.read("record", dial.record);
    attributes.read("answerOnBridge", dial.answer_on_bridge);
    if (auto status = std::move(attributes).status(); !status) return status;
    std::string text;
    auto status = for_each_child(
        node, "Dial",
        [&dial](Node child) -> core::Status {
            const std::string_view name = child.name();
            if (name == "Number") return append<ivr::DialNumber>(child, dial.targets);
            if (name == "Sip") return append<ivr::DialSip>(child, dial.targets);
            if (name == "Queue") return append<ivr::DialQueue>(child, dial.targets);
            if (name == "Conference") return append<ivr::DialConference>(child, dial.targets);
            return misplaced(child, "Dial");
        },
        &text);
    if (!status) return status;
    // TwiML's short form, <Dial>+15551234567</Dial>, is one <Number> without attributes.
    if (const auto number = trim(text); !number.empty()) {
        if (!dial.targets.empty()) {
            return invalid(node, "Dial", "<Dial> holds either a number as text or <Number>/<Sip>/... , not both");
        }
        if (!is_xml_text(number)) {
            return malformed(node, "<Dial>: text is not UTF-8, or holds a character XML 1.0 forbids");
        }
        ivr::DialNumber target;
        target.number = std::string(number);
        dial.targets.emplace_back(std::move(target));
    }
    if (dial.targets.empty()) {
        return invalid(node, "Dial", "<Dial> needs a number, <Number>, <Sip>, <Queue> or <Conference>");
    }
    return {};
}

core::Status read(Node node, ivr::Hangup&) { return no_content(node, "Hangup"); }

core::Status read(Node node, ivr::Redirect& redirect) {
    Attributes attributes(node, "Redirect");
    attributes.read("method", redirect.method);
    if (auto status = std::move(attributes).status(); !status) return status;
    auto url = text_of(node, "Redirect");
    if (!url) return std::move(url).error();
    if (url->empty()) return invalid(node, "Redirect", "<Redirect> needs a URL");
    redirect.url = std::move(*url);
    return {};
}

core::Status read(Node node, ivr::Reject& reject) {
    Attributes attributes(node, "Reject");
    attributes.read("reason", reject.reason);
    if (auto status = std::move(attributes).status(); !status) return status;
    return no_content(node, "Reject");
}

core::Status read(Node node, ivr::Enqueue& enqueue) {
    Attributes attributes(node, "Enqueue");
    attributes.read("action", enqueue.action);
    attributes.read("method", enqueue.method);
    attributes.read("waitUrl", enqueue.wait_url);
    attributes.read("maxWaitTimeSecs", enqueue.max_wait_time_secs);
    if (auto status = std::move(attributes).status(); !status) return status;
    auto queue = text_of(node, "Enqueue");
    if (!queue) return std::move(queue).error();
    if (queue->empty()) return invalid(node, "Enqueue", "<Enqueue> needs a queue name");
    enqueue.queue = std::move(*queue);
    return {};
}

core::Status read(Node node, ivr::Leave&) { return no_content(node, "Leave"); }

core::Status read(Node node, ivr::Refer& refer) {
    Attributes attributes(node, "Refer");
    attributes.read("action", refer.action);
    attributes.read("method", refer.method);
    if (auto status = std::move(attributes).status(); !status) return status;
    auto status = for_each_child(node, "Refer", [&refer](Node child) -> core::Status {
        if (std::string_view(child.name()) == "Sip") return append<ivr::DialSip>(child, refer.targets);
        return misplaced(child, "Refer");
    });
    if (!status) return status;
    if (refer.targets.empty()) return invalid(node, "Refer", "<Refer> needs a <Sip>");
    return {};
}

core::Status read(Node node, ivr::StreamParameter& parameter) {
    Attributes attributes(node, "Parameter");
    attributes.read("name", parameter.name);
    attributes.read("value", parameter.value);
    if (auto status = std::move(attributes).status(); !status) return status;
    if (parameter.name.empty()) return invalid(node, "Parameter", "<Parameter> needs a name");
    return no_content(node, "Parameter");
}

core::Status read(Node node, ivr::Stream& stream) {
    Attributes attributes(node, "Stream");
    attributes.read("url", stream.url);
    attributes.read("track", stream.track);
    attributes.read("name", stream.name);
    attributes.read("codec", stream.codec);
    attributes.read("bidirectionalMode", stream.bidirectional_mode);
    attributes.read("bidirectionalCodec", stream.bidirectional_codec);
    attributes.read("bidirectionalSamplingRate", stream.bidirectional_sampling_rate);
    if (auto status = std::move(attributes).status(); !status) return status;
    return for_each_child(node, "Stream", [&stream](Node child) -> core::Status {
        if (std::string_view(child.name()) == "Parameter")
            return append<ivr::StreamParameter>(child, stream.parameters);
        return misplaced(child, "Stream");
    });
}

core::Status read(Node node, ivr::Transcription& transcription) {
    Attributes attributes(node, "Transcription");
    attributes.read("language", transcription.language);
    attributes.read("interimResults", transcription.interim_results);
    attributes.read("transcriptionEngine", transcription.transcription_engine);
    attributes.read("transcriptionTracks", transcription.transcription_tracks);
    attributes.read("transcriptionCallback", transcription.transcription_callback);
    if (auto status = std::move(attributes).status(); !status) return status;
    return no_content(node, "Transcription");
}

// <Start> and <Stop>: no attributes, at least one media task.
core::Status read_tasks(Node node, std::string_view element, std::vector<ivr::MediaTask>& tasks) {
    auto status = for_each_child(node, element, [&tasks, element](Node child) -> core::Status {
        const std::string_view name = child.name();
        if (name == "Stream") return append<ivr::Stream>(child, tasks);
        if (name == "Transcription") return append<ivr::Transcription>(child, tasks);
        return misplaced(child, element);
    });
    if (!status) return status;
    if (tasks.empty()) {
        return invalid(node, std::string(element), fmt::format("<{}> needs a <Stream> or <Transcription>", element));
    }
    return {};
}

core::Status read(Node node, ivr::Start& start) { return read_tasks(node, "Start", start.tasks); }

core::Status read(Node node, ivr::Stop& stop) { return read_tasks(node, "Stop", stop.tasks); }

core::Status read_verb(Node node, std::vector<ivr::Instruction>& out) {
    const std::string_view name = node.name();
    if (name == "Say") return append<ivr::Say>(node, out);
    if (name == "Play") return append<ivr::Play>(node, out);
    if (name == "Pause") return append<ivr::Pause>(node, out);
    if (name == "Gather") return append<ivr::Gather>(node, out);
    if (name == "Record") return append<ivr::Record>(node, out);
    if (name == "Dial") return append<ivr::Dial>(node, out);
    if (name == "Hangup") return append<ivr::Hangup>(node, out);
    if (name == "Redirect") return append<ivr::Redirect>(node, out);
    if (name == "Reject") return append<ivr::Reject>(node, out);
    if (name == "Enqueue") return append<ivr::Enqueue>(node, out);
    if (name == "Leave") return append<ivr::Leave>(node, out);
    if (name == "Refer") return append<ivr::Refer>(node, out);
    if (name == "Start") return append<ivr::Start>(node, out);
    if (name == "Stop") return append<ivr::Stop>(node, out);
    return misplaced(node, "Response");
}

}  // namespace

core::Result<std::vector<core::ivr::Instruction>> parse_texml(std::string_view document) {
    if (document.size() > kMaxTexmlBytes) {
        return core::Error{
            core::ErrorCode::kPayloadTooLarge,
            fmt::format("a TeXML document may have at most {} bytes, not {}", kMaxTexmlBytes, document.size()),
            {}};
    }
    // pugixml reads up to a NUL as if the document ended there; XML allows none anywhere.
    if (const auto nul = document.find('\0'); nul != std::string_view::npos) {
        return core::Error::bad_request(fmt::format("malformed XML at offset {}: NUL byte", nul))
            .with("offset", std::to_string(nul));
    }

    pugi::xml_document xml;
    const auto loaded = xml.load_buffer(document.data(), document.size(), pugi::parse_default, pugi::encoding_auto);
    if (!loaded) {
        return core::Error::bad_request(
                   fmt::format("malformed XML at offset {}: {}", loaded.offset, loaded.description()))
            .with("offset", std::to_string(loaded.offset));
    }

    Node root;
    for (auto child = xml.first_child(); child; child = child.next_sibling()) {
        if (child.type() != pugi::node_element) continue;
        // pugixml accepts several top-level elements; XML does not.
        if (root) return malformed(child, "malformed XML: more than one root element");
        root = child;
    }
    if (std::string_view(root.name()) != "Response") {
        const auto name = printable(root.name());
        return invalid(root, name, fmt::format("the root element must be <Response>, not <{}>", name));
    }

    std::vector<ivr::Instruction> instructions;
    auto status =
        for_each_child(root, "Response", [&instructions](Node child) { return read_verb(child, instructions); });
    if (!status) return std::move(status).error();
    return instructions;
}

}  // namespace crossvoice::telnyx
