#include "telnyx/texml_renderer.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>

namespace crossvoice::telnyx {
namespace {

namespace ivr = core::ivr;

// --- characters ---

// The code point starting at text[at], advancing `at` past it; nullopt (advancing one byte, so the caller
// resynchronises on the next lead byte) for a malformed, overlong or surrogate sequence.
std::optional<char32_t> next_code_point(std::string_view text, std::size_t& at) {
    const auto lead = static_cast<unsigned char>(text[at]);
    std::size_t length = 0;
    char32_t code = 0;
    char32_t smallest = 0;
    if (lead < 0x80) {
        ++at;
        return lead;
    }
    if ((lead & 0xE0) == 0xC0) {
        length = 2;
        code = lead & 0x1F;
        smallest = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3;
        code = lead & 0x0F;
        smallest = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4;
        code = lead & 0x07;
        smallest = 0x10000;
    } else {
        ++at;
        return std::nullopt;
    }
    if (text.size() - at < length) {
        ++at;
        return std::nullopt;
    }
    for (std::size_t i = 1; i < length; ++i) {
        const auto next = static_cast<unsigned char>(text[at + i]);
        if ((next & 0xC0) != 0x80) {
            ++at;
            return std::nullopt;
        }
        code = (code << 6) | (next & 0x3F);
    }
    if (code < smallest || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
        ++at;
        return std::nullopt;
    }
    at += length;
    return code;
}

// XML 1.0 section 2.2, production [2] Char.
bool is_xml_char(char32_t code) {
    return code == 0x9 || code == 0xA || code == 0xD || (code >= 0x20 && code <= 0xD7FF) ||
           (code >= 0xE000 && code <= 0xFFFD) || (code >= 0x10000 && code <= 0x10FFFF);
}

enum class Context { kText, kAttribute };

std::string escape(std::string_view text, Context context) {
    std::string out;
    out.reserve(text.size());
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t start = at;
        const auto code = next_code_point(text, at);
        if (!code || !is_xml_char(*code)) continue;  // dropped: no escape can make it legal XML 1.0
        switch (*code) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;  // also keeps "]]>" out of text
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            case '\r': out += "&#13;"; break;
            case '\n': out += context == Context::kAttribute ? "&#10;" : "\n"; break;
            case '\t': out += context == Context::kAttribute ? "&#9;" : "\t"; break;
            default: out.append(text.substr(start, at - start));
        }
    }
    return out;
}

// --- the writer ---

// Appends elements to one string, two spaces of indentation per level. Usage per element: open(), attr()...,
// then exactly one of close_empty(), close_with_text() or begin_children() ... end_children().
class Writer {
  public:
    explicit Writer(std::string& out) : out_(out) {}

    void open(std::string_view name) {
        out_.append(2 * depth_, ' ');
        out_ += '<';
        out_ += name;
    }

    void attr(std::string_view name, std::string_view value) {
        out_ += ' ';
        out_ += name;
        out_ += "=\"";
        out_ += escape(value, Context::kAttribute);
        out_ += '"';
    }
    void attr(std::string_view name, const std::optional<std::string>& value) {
        if (value) attr(name, std::string_view(*value));
    }
    void attr(std::string_view name, const std::optional<int>& value) {
        if (value) attr(name, std::string_view(std::to_string(*value)));
    }
    void attr(std::string_view name, const std::optional<bool>& value) {
        if (value) attr(name, std::string_view(*value ? "true" : "false"));
    }

    void close_empty() { out_ += "/>\n"; }

    // Empty text is the same element as no text: self-closing.
    void close_with_text(std::string_view name, std::string_view text) {
        if (text.empty()) return close_empty();
        out_ += '>';
        out_ += escape(text, Context::kText);
        out_ += "</";
        out_ += name;
        out_ += ">\n";
    }

    void begin_children() {
        out_ += ">\n";
        ++depth_;
    }
    void end_children(std::string_view name) {
        --depth_;
        out_.append(2 * depth_, ' ');
        out_ += "</";
        out_ += name;
        out_ += ">\n";
    }

  private:
    std::string& out_;
    std::size_t depth_ = 0;
};

// --- one function per element; attribute order = field order in instruction.hpp ---

void write(Writer& w, const ivr::Say& say) {
    w.open("Say");
    w.attr("voice", say.voice);
    w.attr("language", say.language);
    w.attr("loop", say.loop);
    w.close_with_text("Say", say.text);
}

void write(Writer& w, const ivr::Play& play) {
    w.open("Play");
    w.attr("loop", play.loop);
    w.attr("digits", play.digits);
    w.close_with_text("Play", play.url);
}

void write(Writer& w, const ivr::Pause& pause) {
    w.open("Pause");
    w.attr("length", pause.length);
    w.close_empty();
}

// Children of any variant type, each through its own write().
template <typename Child>
void write_children(Writer& w, std::string_view name, const std::vector<Child>& children) {
    if (children.empty()) return w.close_empty();
    w.begin_children();
    for (const auto& child : children) {
        if constexpr (requires { child.index(); }) {
            std::visit([&w](const auto& alternative) { write(w, alternative); }, child);
        } else {
            write(w, child);
        }
    }
    w.end_children(name);
}

void write(Writer& w, const ivr::Gather& gather) {
    w.open("Gather");
    w.attr("action", gather.action);
    w.attr("method", gather.method);
    w.attr("input", gather.input);
    w.attr("timeout", gather.timeout);
    w.attr("finishOnKey", gather.finish_on_key);
    w.attr("numDigits", gather.num_digits);
    w.attr("minDigits", gather.min_digits);
    w.attr("maxDigits", gather.max_digits);
    w.attr("validDigits", gather.valid_digits);
    w.attr("language", gather.language);
    w.attr("hints", gather.hints);
    w.attr("speechTimeout", gather.speech_timeout);
    write_children(w, "Gather", gather.prompts);
}

void write(Writer& w, const ivr::Record& record) {
    w.open("Record");
    w.attr("action", record.action);
    w.attr("method", record.method);
    w.attr("maxLength", record.max_length);
    w.attr("timeout", record.timeout);
    w.attr("finishOnKey", record.finish_on_key);
    w.attr("playBeep", record.play_beep);
    w.attr("channels", record.channels);
    w.attr("format", record.format);
    w.attr("recordingStatusCallback", record.recording_status_callback);
    w.attr("transcription", record.transcription);
    w.attr("transcriptionCallback", record.transcription_callback);
    w.close_empty();
}

// <Number> and <Sip> share their attributes.
template <typename Endpoint>
void write_endpoint(Writer& w, std::string_view name, const Endpoint& endpoint, std::string_view address) {
    w.open(name);
    w.attr("statusCallback", endpoint.status_callback);
    w.attr("statusCallbackEvent", endpoint.status_callback_event);
    w.attr("url", endpoint.url);
    w.attr("sendDigits", endpoint.send_digits);
    w.close_with_text(name, address);
}

void write(Writer& w, const ivr::DialNumber& number) { write_endpoint(w, "Number", number, number.number); }
void write(Writer& w, const ivr::DialSip& sip) { write_endpoint(w, "Sip", sip, sip.uri); }

void write(Writer& w, const ivr::DialQueue& queue) {
    w.open("Queue");
    w.attr("url", queue.url);
    w.close_with_text("Queue", queue.name);
}

void write(Writer& w, const ivr::DialConference& conference) {
    w.open("Conference");
    w.attr("muted", conference.muted);
    w.attr("startConferenceOnEnter", conference.start_conference_on_enter);
    w.attr("endConferenceOnExit", conference.end_conference_on_exit);
    w.attr("maxParticipants", conference.max_participants);
    w.attr("beep", conference.beep);
    w.attr("record", conference.record);
    w.attr("statusCallback", conference.status_callback);
    w.close_with_text("Conference", conference.name);
}

void write(Writer& w, const ivr::Dial& dial) {
    w.open("Dial");
    w.attr("action", dial.action);
    w.attr("method", dial.method);
    w.attr("callerId", dial.caller_id);
    w.attr("timeout", dial.timeout);
    w.attr("timeLimit", dial.time_limit);
    w.attr("hangupOnStar", dial.hangup_on_star);
    w.attr("record", dial.record);
    w.attr("answerOnBridge", dial.answer_on_bridge);
    write_children(w, "Dial", dial.targets);
}

void write(Writer& w, const ivr::Hangup&) {
    w.open("Hangup");
    w.close_empty();
}

void write(Writer& w, const ivr::Redirect& redirect) {
    w.open("Redirect");
    w.attr("method", redirect.method);
    w.close_with_text("Redirect", redirect.url);
}

void write(Writer& w, const ivr::Reject& reject) {
    w.open("Reject");
    w.attr("reason", reject.reason);
    w.close_empty();
}

void write(Writer& w, const ivr::Enqueue& enqueue) {
    w.open("Enqueue");
    w.attr("action", enqueue.action);
    w.attr("method", enqueue.method);
    w.attr("waitUrl", enqueue.wait_url);
    w.attr("maxWaitTimeSecs", enqueue.max_wait_time_secs);
    w.close_with_text("Enqueue", enqueue.queue);
}

void write(Writer& w, const ivr::Leave&) {
    w.open("Leave");
    w.close_empty();
}

void write(Writer& w, const ivr::Refer& refer) {
    w.open("Refer");
    w.attr("action", refer.action);
    w.attr("method", refer.method);
    write_children(w, "Refer", refer.targets);
}

void write(Writer& w, const ivr::StreamParameter& parameter) {
    w.open("Parameter");
    w.attr("name", std::string_view(parameter.name));
    w.attr("value", std::string_view(parameter.value));
    w.close_empty();
}

void write(Writer& w, const ivr::Stream& stream) {
    w.open("Stream");
    w.attr("url", stream.url);
    w.attr("track", stream.track);
    w.attr("name", stream.name);
    w.attr("codec", stream.codec);
    w.attr("bidirectionalMode", stream.bidirectional_mode);
    w.attr("bidirectionalCodec", stream.bidirectional_codec);
    w.attr("bidirectionalSamplingRate", stream.bidirectional_sampling_rate);
    write_children(w, "Stream", stream.parameters);
}

void write(Writer& w, const ivr::Transcription& transcription) {
    w.open("Transcription");
    w.attr("language", transcription.language);
    w.attr("interimResults", transcription.interim_results);
    w.attr("transcriptionEngine", transcription.transcription_engine);
    w.attr("transcriptionTracks", transcription.transcription_tracks);
    w.attr("transcriptionCallback", transcription.transcription_callback);
    w.close_empty();
}

void write(Writer& w, const ivr::Start& start) {
    w.open("Start");
    write_children(w, "Start", start.tasks);
}

void write(Writer& w, const ivr::Stop& stop) {
    w.open("Stop");
    write_children(w, "Stop", stop.tasks);
}

}  // namespace

std::string render_texml(const std::vector<core::ivr::Instruction>& instructions) {
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    Writer writer(out);
    writer.open("Response");
    write_children(writer, "Response", instructions);
    return out;
}

std::string escape_xml_text(std::string_view text) { return escape(text, Context::kText); }

std::string escape_xml_attribute(std::string_view value) { return escape(value, Context::kAttribute); }

bool is_xml_text(std::string_view text) {
    std::size_t at = 0;
    while (at < text.size()) {
        const auto code = next_code_point(text, at);
        if (!code || !is_xml_char(*code)) return false;
    }
    return true;
}

}  // namespace crossvoice::telnyx
