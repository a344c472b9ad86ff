#include "services/live_translations.hpp"

#include "observability/logging.hpp"
#include "services/text_language.hpp"

namespace crossvoice::services {
LiveTranslations::LiveTranslations(core::ports::Translator* translator, core::ports::TranscriptPipeline* detector,
                                   std::string staff_language)
    : translator_(translator), detector_(detector), staff_language_(base_language(staff_language)) {}

std::optional<std::string> LiveTranslations::language_of(const core::TimelineMessage& message) const {
    if (message.language) {
        if (auto language = base_language(*message.language); !language.empty()) return language;
    }
    if (detector_ == nullptr) return std::nullopt;
    return detect_confident_language(*detector_, message.content);
}

std::optional<std::string> LiveTranslations::customer_language(const std::string& session_id) {
    std::lock_guard lock(mutex_);
    const auto found = customers_.find(session_id);
    if (found == customers_.end()) return std::nullopt;
    return found->second;
}

void LiveTranslations::remember(const std::string& session_id, const std::string& language) {
    std::lock_guard lock(mutex_);
    // A plain bound rather than an LRU: forgetting only costs the translation of an agent's words until the
    // customer writes again.
    if (customers_.size() >= kRememberedSessions && !customers_.count(session_id)) customers_.clear();
    customers_[session_id] = language;
}

std::optional<nlohmann::json> LiveTranslations::for_message(
    const core::TimelineMessage& message, const std::optional<std::string>& declared_customer_language) {
    if (translator_ == nullptr || message.content.empty()) return std::nullopt;
    if (message.type != core::MessageType::kText && message.type != core::MessageType::kTranscription &&
        message.type != core::MessageType::kVoice) {
        return std::nullopt;
    }
    std::string source;
    std::string target;
    if (message.author == core::MessageAuthor::kCaller) {
        const auto language = language_of(message);
        if (!language) return std::nullopt;
        remember(message.session_id, *language);
        source = *language;
        target = staff_language_;
    } else {
        // Agents, SHANGO, and the platform's own texts to the customer (the IVR chat node's, an integration's first
        // message): all are read by the customer.
        auto customer = customer_language(message.session_id);
        if (!customer && declared_customer_language) {
            if (auto declared = base_language(*declared_customer_language); !declared.empty()) customer = declared;
        }
        if (!customer) return std::nullopt;
        source = message.language ? base_language(*message.language) : std::string();
        if (source.empty()) source = staff_language_;
        target = *customer;
    }
    if (source == target) return std::nullopt;
    auto translated = translator_->translate(message.content, source, target);
    if (!translated) {
        // An unsupported pair is ordinary (kValidation); anything else is worth a line.
        if (translated.error().code != core::ErrorCode::kValidation) {
            observability::logger("live")->warn("live translation {}->{} failed: {}", source, target,
                                                translated.error().message);
        }
        return std::nullopt;
    }
    return nlohmann::json{{"language", target}, {"content", *translated}, {"engine", translator_->name()}};
}

}  // namespace crossvoice::services
