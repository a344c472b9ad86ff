#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "core/message.hpp"
#include "core/ports/transcript_pipeline.hpp"
#include "core/ports/translator.hpp"

namespace crossvoice::services {

// The other side's language on live events. A customer who writes Spanish to a platform whose staff read
// English: the agents' consoles get each of the customer's messages also in English, and the customer's widget
// gets the agents' and SHANGO's words also in Spanish. The customer's language is learned from their own messages
// (the message's language, else a confident detection) as the live events pass; the staff's is configured.
// Thread-safe.
class LiveTranslations {
  public:
    LiveTranslations(core::ports::Translator* translator, core::ports::TranscriptPipeline* detector,
                     std::string staff_language);

    // {"language", "content", "engine"} to attach to the message's live event; nullopt when both sides share a
    // language, the message is not text, or no engine translates the pair (the event then goes without).
    // `declared_customer_language`: the language the session was started with, if any (the customer's own
    // messages still tell theirs when they write).
    std::optional<nlohmann::json> for_message(const core::TimelineMessage& message,
                                              const std::optional<std::string>& declared_customer_language = {});

    static constexpr std::size_t kRememberedSessions = 10'000;

  private:
    std::optional<std::string> language_of(const core::TimelineMessage& message) const;
    std::optional<std::string> customer_language(const std::string& session_id);
    void remember(const std::string& session_id, const std::string& language);

    core::ports::Translator* translator_;
    core::ports::TranscriptPipeline* detector_;
    std::string staff_language_;
    std::mutex mutex_;
    std::unordered_map<std::string, std::string> customers_;  // session -> the customer's language
};

}  // namespace crossvoice::services
