#include "deepgram/response_mapper.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/printable.hpp"

namespace crossvoice::deepgram {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxExcerpt = 200;  // of an error body that is not Deepgram's shape
constexpr std::size_t kMaxField = 300;    // of a code, message or request id

// Where in the document a value sits, rendered only when something is wrong there: a long response has
// thousands of words, and building a path string for each of their fields would cost more than the mapping.
struct Where {
    const Where* parent = nullptr;
    std::string_view name;  // a member; empty for an array element
    std::size_t index = 0;

    Where member(std::string_view key) const { return {this, key, 0}; }
    Where element(std::size_t at) const { return {this, {}, at}; }

    std::string render() const {
        if (parent == nullptr) return std::string(name);
        std::string out = parent->render();
        if (name.empty()) return out + "[" + std::to_string(index) + "]";
        if (!out.empty()) out.push_back('.');
        out.append(name);
        return out;
    }
};

// Thrown inside this file only, and caught by map_listen_response: the shape checks sit deep in the walk,
// and unwinding to one place keeps every step a plain read.
struct Unexpected {
    std::string where;
};

[[noreturn]] void unexpected(const Where& where) { throw Unexpected{where.render()}; }

// A member, or null when it is absent or JSON null (Deepgram writes null for some optional values).
const json* find(const json& object, std::string_view key) {
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) return nullptr;
    return &*it;
}

const json* object_member(const json& object, std::string_view key, const Where& where) {
    const json* value = find(object, key);
    if (value != nullptr && !value->is_object()) unexpected(where.member(key));
    return value;
}

const json* array_member(const json& object, std::string_view key, const Where& where) {
    const json* value = find(object, key);
    if (value != nullptr && !value->is_array()) unexpected(where.member(key));
    return value;
}

std::optional<std::string> string_member(const json& object, std::string_view key, const Where& where) {
    const json* value = find(object, key);
    if (value == nullptr) return std::nullopt;
    if (!value->is_string()) unexpected(where.member(key));
    return value->get<std::string>();
}

std::optional<double> number_member(const json& object, std::string_view key, const Where& where) {
    const json* value = find(object, key);
    if (value == nullptr) return std::nullopt;
    if (!value->is_number()) unexpected(where.member(key));
    const double number = value->get<double>();
    if (!std::isfinite(number)) unexpected(where.member(key));
    return number;
}

// A whole number in 0..INT_MAX (channel counts, speakers, word indices): anything else is a wrong shape, and
// converting it unchecked would be undefined behaviour.
std::optional<int> count_member(const json& object, std::string_view key, const Where& where) {
    const json* value = find(object, key);
    if (value == nullptr) return std::nullopt;
    constexpr double kMax = std::numeric_limits<int>::max();
    if (value->is_number_unsigned()) {
        const auto number = value->get<std::uint64_t>();
        if (number <= static_cast<std::uint64_t>(kMax)) return static_cast<int>(number);
    } else if (value->is_number_integer()) {
        const auto number = value->get<std::int64_t>();
        if (number >= 0 && number <= static_cast<std::int64_t>(kMax)) return static_cast<int>(number);
    } else if (value->is_number_float()) {
        const double number = value->get<double>();
        if (std::isfinite(number) && number >= 0 && number <= kMax && std::floor(number) == number) {
            return static_cast<int>(number);
        }
    }
    unexpected(where.member(key));
}

double clamp_unit(double value) { return std::clamp(value, 0.0, 1.0); }

std::string lower(std::string text) {
    for (char& ch : text) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return text;
}

void add_unique(std::vector<std::string>& labels, std::string label) {
    if (label.empty() || std::find(labels.begin(), labels.end(), label) != labels.end()) return;
    labels.push_back(std::move(label));
}

// Byte range of a word in Transcript::text, when it could be found there.
struct Span {
    std::size_t start = 0;
    std::size_t end = 0;
};

struct MappedChannel {
    std::string text;
    std::vector<std::optional<Span>> spans;  // per word of the channel, offsets into the channel's text
};

void read_metadata(const json& document, core::Transcript& transcript) {
    const Where root;
    const Where where = root.member("metadata");
    const json* metadata = object_member(document, "metadata", root);
    if (metadata == nullptr) return;
    transcript.request_id = string_member(*metadata, "request_id", where);
    if (auto duration = number_member(*metadata, "duration", where)) transcript.duration = std::max(0.0, *duration);
    if (auto channels = count_member(*metadata, "channels", where); channels && *channels > 0) {
        transcript.channels = *channels;
    }
    const json* models = array_member(*metadata, "models", where);
    if (models == nullptr || models->empty()) return;
    const Where first = where.member("models").element(0);
    if (!models->front().is_string()) unexpected(first);
    const auto uuid = models->front().get<std::string>();
    transcript.model = uuid;
    // model_info maps the uuid to {name, version, arch}: the name is what people recognise.
    const json* info = object_member(*metadata, "model_info", where);
    if (info == nullptr) return;
    const Where info_where = where.member("model_info");
    const json* entry = object_member(*info, uuid, info_where);
    if (entry == nullptr) return;
    if (auto name = string_member(*entry, "name", info_where.member(uuid)); name && !name->empty()) {
        transcript.model = std::move(*name);
    }
}

// Finds each word in the channel's transcript, left to right, so entities can be given text offsets. A word
// smart_format rewrote beyond recognition gets no span; the search resumes after the last word found.
std::vector<std::optional<Span>> locate_words(const std::string& text, const std::vector<core::TranscriptWord>& words,
                                              std::size_t first) {
    std::vector<std::optional<Span>> spans;
    spans.reserve(words.size() - first);
    std::size_t cursor = 0;
    for (std::size_t i = first; i < words.size(); ++i) {
        std::optional<Span> span;
        for (const std::string* form : {&words[i].punctuated, &words[i].word}) {
            if (form->empty()) continue;
            const auto at = text.find(*form, cursor);
            if (at != std::string::npos) {
                span = Span{at, at + form->size()};
                break;
            }
        }
        if (span) cursor = span->end;
        spans.push_back(span);
    }
    return spans;
}

core::TranscriptWord read_word(const json& item, const Where& where, int channel) {
    if (!item.is_object()) unexpected(where);
    core::TranscriptWord word;
    word.word = string_member(item, "word", where).value_or("");
    word.punctuated = string_member(item, "punctuated_word", where).value_or(word.word);
    word.start = number_member(item, "start", where).value_or(0);
    word.end = number_member(item, "end", where).value_or(word.start);
    word.confidence = clamp_unit(number_member(item, "confidence", where).value_or(0));
    word.speaker = count_member(item, "speaker", where);
    word.channel = channel;
    return word;
}

void read_entities(const json& alternative, const Where& where, const MappedChannel& channel, std::size_t word_base,
                   std::size_t text_base, core::Transcript& transcript) {
    const json* entities = array_member(alternative, "entities", where);
    if (entities == nullptr) return;
    const Where list = where.member("entities");
    for (std::size_t i = 0; i < entities->size(); ++i) {
        const json& item = (*entities)[i];
        const Where at = list.element(i);
        if (!item.is_object()) unexpected(at);
        core::Entity entity;
        entity.type = lower(string_member(item, "label", at).value_or(""));
        entity.value = string_member(item, "value", at).value_or("");
        entity.confidence = clamp_unit(number_member(item, "confidence", at).value_or(1));
        entity.source = "deepgram";
        const auto start_word = count_member(item, "start_word", at);
        const auto end_word = count_member(item, "end_word", at);
        const std::size_t words = channel.spans.size();
        bool placed = false;
        if (start_word && end_word && *start_word <= *end_word && static_cast<std::size_t>(*end_word) < words) {
            const auto first = static_cast<std::size_t>(*start_word);
            const auto last = static_cast<std::size_t>(*end_word);
            entity.start_word = word_base + first;
            entity.end_word = word_base + last;
            if (channel.spans[first] && channel.spans[last]) {
                std::size_t start = channel.spans[first]->start;
                std::size_t end = channel.spans[last]->end;
                // The words' span includes their punctuation ("0100."); the value itself is tighter when found.
                const std::string_view covered = std::string_view(channel.text).substr(start, end - start);
                if (const auto inner = entity.value.empty() ? std::string_view::npos : covered.find(entity.value);
                    inner != std::string_view::npos) {
                    start += inner;
                    end = start + entity.value.size();
                }
                entity.start_char = text_base + start;
                entity.end_char = text_base + end;
                placed = true;
            }
        }
        if (!placed && !entity.value.empty()) {
            // Without usable word indices the value itself, as written in the text, still locates it.
            if (const auto found = channel.text.find(entity.value); found != std::string::npos) {
                entity.start_char = text_base + found;
                entity.end_char = text_base + found + entity.value.size();
            }
        }
        transcript.entities.push_back(std::move(entity));
    }
}

void read_channels(const json& results, const Where& where, core::Transcript& transcript) {
    const json* channels = array_member(results, "channels", where);
    if (channels == nullptr) unexpected(where.member("channels"));
    const Where list = where.member("channels");
    double confidence_sum = 0;
    int confidence_count = 0;
    for (std::size_t c = 0; c < channels->size(); ++c) {
        const json& item = (*channels)[c];
        const Where at = list.element(c);
        if (!item.is_object()) unexpected(at);
        const int channel_index = static_cast<int>(std::min<std::size_t>(c, std::numeric_limits<int>::max()));

        if (auto language = string_member(item, "detected_language", at); language && !transcript.language) {
            transcript.language = std::move(*language);
            transcript.language_source = "engine";
            transcript.language_confidence = clamp_unit(number_member(item, "language_confidence", at).value_or(0));
        }

        const json* alternatives = array_member(item, "alternatives", at);
        const Where alternatives_where = at.member("alternatives");
        if (alternatives == nullptr || alternatives->empty()) unexpected(alternatives_where);
        const json& alternative = alternatives->front();
        const Where best = alternatives_where.element(0);
        if (!alternative.is_object()) unexpected(best);

        const std::size_t word_base = transcript.words.size();
        if (const json* words = array_member(alternative, "words", best)) {
            const Where words_where = best.member("words");
            transcript.words.reserve(word_base + words->size());
            for (std::size_t w = 0; w < words->size(); ++w) {
                transcript.words.push_back(read_word((*words)[w], words_where.element(w), channel_index));
            }
        }

        MappedChannel mapped;
        if (auto text = string_member(alternative, "transcript", best)) {
            mapped.text = std::move(*text);
        } else {
            for (std::size_t w = word_base; w < transcript.words.size(); ++w) {
                if (!mapped.text.empty()) mapped.text.push_back(' ');
                mapped.text += transcript.words[w].punctuated;
            }
        }
        mapped.spans = locate_words(mapped.text, transcript.words, word_base);

        if (auto value = number_member(alternative, "confidence", best)) {
            confidence_sum += clamp_unit(*value);
            ++confidence_count;
        }

        if (c > 0) transcript.text.push_back('\n');
        const std::size_t text_base = transcript.text.size();
        read_entities(alternative, best, mapped, word_base, text_base, transcript);
        transcript.text += mapped.text;
    }
    if (confidence_count > 0) transcript.confidence = confidence_sum / confidence_count;
    if (transcript.channels <= 1 && channels->size() > 1) {
        transcript.channels = static_cast<int>(std::min<std::size_t>(channels->size(), 1024));
    }
}

void read_utterances(const json& results, const Where& where, core::Transcript& transcript) {
    const json* utterances = array_member(results, "utterances", where);
    if (utterances == nullptr) return;
    const Where list = where.member("utterances");
    for (std::size_t i = 0; i < utterances->size(); ++i) {
        const json& item = (*utterances)[i];
        const Where at = list.element(i);
        if (!item.is_object()) unexpected(at);
        core::Utterance utterance;
        utterance.start = number_member(item, "start", at).value_or(0);
        utterance.end = number_member(item, "end", at).value_or(utterance.start);
        utterance.confidence = clamp_unit(number_member(item, "confidence", at).value_or(0));
        utterance.channel = count_member(item, "channel", at).value_or(0);
        utterance.speaker = count_member(item, "speaker", at);
        utterance.text = string_member(item, "transcript", at).value_or("");
        transcript.utterances.push_back(std::move(utterance));
    }
}

void read_summary(const json& results, const Where& where, core::Transcript& transcript) {
    const json* summary = object_member(results, "summary", where);
    if (summary == nullptr) return;
    if (auto text = string_member(*summary, "short", where.member("summary")); text && !text->empty()) {
        transcript.engine_summary = std::move(*text);
    }
}

void read_sentiment(const json& results, const Where& where, core::Transcript& transcript) {
    const json* sentiments = object_member(results, "sentiments", where);
    if (sentiments == nullptr) return;
    const Where sentiments_where = where.member("sentiments");
    const json* average = object_member(*sentiments, "average", sentiments_where);
    if (average == nullptr) return;
    const Where at = sentiments_where.member("average");
    auto label = string_member(*average, "sentiment", at);
    const auto score = number_member(*average, "sentiment_score", at);
    if (!label && !score) return;
    transcript.engine_sentiment =
        core::Sentiment{lower(label.value_or("neutral")), std::clamp(score.value_or(0), -1.0, 1.0)};
}

// results.topics / results.intents: {segments:[{text, start_word, end_word, <list>:[{<label>, confidence_score}]}]}.
void read_labels(const json& results, const Where& where, std::string_view section, std::string_view list_key,
                 std::string_view label_key, std::vector<std::string>& labels) {
    const json* block = object_member(results, section, where);
    if (block == nullptr) return;
    const Where block_where = where.member(section);
    const json* segments = array_member(*block, "segments", block_where);
    if (segments == nullptr) return;
    const Where segments_where = block_where.member("segments");
    for (std::size_t s = 0; s < segments->size(); ++s) {
        const json& segment = (*segments)[s];
        const Where at = segments_where.element(s);
        if (!segment.is_object()) unexpected(at);
        const json* entries = array_member(segment, list_key, at);
        if (entries == nullptr) continue;
        const Where entries_where = at.member(list_key);
        for (std::size_t e = 0; e < entries->size(); ++e) {
            const json& entry = (*entries)[e];
            if (!entry.is_object()) unexpected(entries_where.element(e));
            if (auto label = string_member(entry, label_key, entries_where.element(e))) {
                add_unique(labels, std::move(*label));
            }
        }
    }
}

// `where` can hold a key taken from the body (a model uuid): it is cleaned like any vendor text.
core::Error shape_error(std::string_view raw_where) {
    std::string where = core::printable(raw_where, kMaxField);
    return core::Error{core::ErrorCode::kVendor,
                       "Deepgram answered with an unexpected shape: " + where,
                       {{"vendor", "deepgram"}, {"field", std::move(where)}}};
}

// A member Deepgram sends as a string; a number is taken as written (some proxies send numeric codes).
std::optional<std::string> text_of(const json& object, std::string_view key) {
    if (!object.is_object()) return std::nullopt;
    const auto it = object.find(key);
    if (it == object.end()) return std::nullopt;
    std::string value;
    if (it->is_string()) {
        value = it->get<std::string>();
    } else if (it->is_number_integer()) {
        value = it->dump();
    } else {
        return std::nullopt;
    }
    value = core::printable(value, kMaxField);
    if (value.empty()) return std::nullopt;
    return value;
}

bool mentions_unreadable_audio(const std::string& text) {
    const std::string lowered = lower(text);
    return lowered.find("unsupported") != std::string::npos || lowered.find("corrupt") != std::string::npos ||
           lowered.find("failed to process audio") != std::string::npos;
}

}  // namespace

core::Result<core::Transcript> map_listen_response(std::string_view body) {
    const json document = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
    if (document.is_discarded()) return shape_error("not JSON");
    if (!document.is_object()) return shape_error("document");
    try {
        core::Transcript transcript;
        read_metadata(document, transcript);
        const Where root;
        const json* results = object_member(document, "results", root);
        const Where where = root.member("results");
        if (results == nullptr) unexpected(where.member("channels"));
        read_channels(*results, where, transcript);
        read_utterances(*results, where, transcript);
        read_summary(*results, where, transcript);
        read_sentiment(*results, where, transcript);
        read_labels(*results, where, "topics", "topics", "topic", transcript.engine_topics);
        read_labels(*results, where, "intents", "intents", "intent", transcript.engine_intents);
        return transcript;
    } catch (const Unexpected& failure) {
        return shape_error(failure.where);
    } catch (const std::exception& failure) {
        // nlohmann only throws on the type errors checked above; a bad_alloc on a hostile body is the rest.
        return shape_error(std::string("unreadable (") + failure.what() + ")");
    }
}

core::Error map_listen_error(int status, std::string_view body) {
    const json document = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
    // {err_code, err_msg, request_id} or {category, message, details, request_id}.
    auto code = text_of(document, "err_code");
    if (!code) code = text_of(document, "category");
    auto message = text_of(document, "err_msg");
    if (!message) message = text_of(document, "message");
    const auto extra = text_of(document, "details");
    const auto request_id = text_of(document, "request_id");
    if (!code && !message && !extra) {
        if (auto excerpt = core::printable(body, kMaxExcerpt); !excerpt.empty()) message = std::move(excerpt);
    }
    std::string said = message.value_or(code.value_or(""));
    if (extra && *extra != said) said += said.empty() ? *extra : " (" + *extra + ")";

    core::ErrorCode kind = core::ErrorCode::kVendor;
    std::string text;
    if (status == 401 || status == 403) {
        text = fmt::format("Deepgram refused the API key ({})", status);
    } else {
        text = fmt::format("Deepgram {}", status);
        if (status == 400 && mentions_unreadable_audio(said + " " + code.value_or(""))) {
            kind = core::ErrorCode::kUnsupportedMediaType;
        } else if (status == 413) {
            kind = core::ErrorCode::kPayloadTooLarge;
        } else if (status == 429) {
            kind = core::ErrorCode::kRateLimited;
        }
    }
    if (!said.empty()) text += ": " + said;

    core::Error error{kind, std::move(text), {{"vendor", "deepgram"}, {"status", std::to_string(status)}}};
    if (code) error = std::move(error).with("vendor_code", *code);
    if (!said.empty()) error = std::move(error).with("vendor_message", said);
    if (request_id) error = std::move(error).with("request_id", *request_id);
    return error;
}

}  // namespace crossvoice::deepgram
