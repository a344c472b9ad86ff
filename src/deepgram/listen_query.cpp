#include "deepgram/listen_query.hpp"

#include <string>

namespace crossvoice::deepgram {
namespace {

class QueryBuilder {
  public:
    void add(std::string_view name, std::string_view value) {
        if (!query_.empty()) query_.push_back('&');
        query_.append(name);
        query_.push_back('=');
        query_ += percent_encode(value);
    }
    void add_if(std::string_view name, bool enabled) {
        if (enabled) add(name, "true");
    }
    void add_bool(std::string_view name, bool value) { add(name, value ? "true" : "false"); }

    std::string take() && { return std::move(query_); }

  private:
    std::string query_;
};

}  // namespace

bool takes_keyterms(std::string_view model) { return model == "nova-3" || model.starts_with("nova-3-"); }

std::string percent_encode(std::string_view text) {
    constexpr std::string_view kHex = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (const char ch : text) {
        const auto byte = static_cast<unsigned char>(ch);
        const bool unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                                (byte >= '0' && byte <= '9') || byte == '-' || byte == '.' || byte == '_' ||
                                byte == '~';
        if (unreserved) {
            out.push_back(ch);
        } else {
            out.push_back('%');
            out.push_back(kHex[byte >> 4]);
            out.push_back(kHex[byte & 0x0f]);
        }
    }
    return out;
}

std::string listen_query(const core::ports::SttRequest& request, std::string_view default_model) {
    const std::string_view model = request.model && !request.model->empty() ? *request.model : default_model;
    QueryBuilder query;
    if (!model.empty()) query.add("model", model);
    if (request.language && !request.language->empty()) {
        query.add("language", *request.language);
    } else {
        // A fixed language wins: asking Deepgram to detect one as well would override the caller's choice.
        query.add_if("detect_language", request.detect_language);
    }
    query.add_bool("punctuate", request.punctuate);
    query.add_bool("smart_format", request.smart_format);
    query.add_if("diarize", request.diarize);
    query.add_if("utterances", request.utterances);
    query.add_if("multichannel", request.multichannel);
    for (const auto& kind : request.redact) {
        if (!kind.empty()) query.add("redact", kind);
    }
    query.add_if("detect_entities", request.detect_entities);
    query.add_if("sentiment", request.sentiment);
    query.add_if("topics", request.topics);
    query.add_if("intents", request.intents);
    if (request.summarize) query.add("summarize", "v2");
    const std::string_view boost = takes_keyterms(model) ? "keyterm" : "keywords";
    for (const auto& word : request.keywords) {
        if (!word.empty()) query.add(boost, word);
    }
    return std::move(query).take();
}

}  // namespace crossvoice::deepgram
